#include "federation/envelope.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "federation/testing.h"

namespace entente::federation {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

class EnvelopeTest : public ::testing::Test {
 protected:
  NodeKeys be_ = testing::MakeKeys("BE");
  NodeKeys fr_ = testing::MakeKeys("FR");
  NodeKeys es_ = testing::MakeKeys("ES");
  Message message_ = testing::MakeMessage("BE/police", "FR/police", kNow);
  std::string document_ = MessageToJson(message_).dump();

  std::string EnvelopeFor(const NodeKeys& recipient, int64_t sent_at = kNow) {
    return MakeEnvelope(message_.id, recipient.country,
                        SealMessage(document_, be_, recipient.box_public), be_, sent_at);
  }
};

TEST_F(EnvelopeTest, TheRecipientOpensWhatTheSenderSealed) {
  Refusal refusal;
  auto opened = OpenEnvelope(EnvelopeFor(fr_), fr_, be_.sign_public, kNow + 1000, &refusal);
  ASSERT_TRUE(opened.has_value()) << refusal.reason;
  EXPECT_EQ(opened->from, "BE");
  EXPECT_EQ(opened->document, document_);
  EXPECT_EQ(opened->message.id, message_.id);
}

TEST_F(EnvelopeTest, NobodyElseCanReadIt) {
  const std::string envelope = EnvelopeFor(fr_);
  EXPECT_EQ(envelope.find("travel movement"), std::string::npos);  // sealed, not in clear
  Refusal refusal;
  // ES holding FR's envelope: not addressed to it.
  EXPECT_FALSE(OpenEnvelope(envelope, es_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_TRUE(refusal.permanent);
  // Re-addressed to ES: the envelope signature breaks.
  nlohmann::json json = nlohmann::json::parse(envelope);
  json["to"] = "ES";
  EXPECT_FALSE(OpenEnvelope(json.dump(), es_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_NE(refusal.reason.find("signature"), std::string::npos);
}

TEST_F(EnvelopeTest, ForgeriesAndTamperingAreRefusedForGood) {
  Refusal refusal;
  // Signed by someone else than the partner registered as BE.
  NodeKeys impostor = testing::MakeKeys("BE");
  const std::string forged = MakeEnvelope(
      message_.id, "FR", SealMessage(document_, impostor, fr_.box_public), impostor, kNow);
  EXPECT_FALSE(OpenEnvelope(forged, fr_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_TRUE(refusal.permanent);
  // A sealed box swapped under a re-signed envelope by the impostor: the outer signature fails.
  nlohmann::json json = nlohmann::json::parse(EnvelopeFor(fr_));
  std::string sealed = json["sealed"];
  sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
  json["sealed"] = sealed;
  EXPECT_FALSE(OpenEnvelope(json.dump(), fr_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_TRUE(refusal.permanent);
  // An envelope whose id differs from the message inside (signed by BE itself).
  const std::string mismatched =
      MakeEnvelope(NewMessageId(), "FR", SealMessage(document_, be_, fr_.box_public), be_, kNow);
  EXPECT_FALSE(OpenEnvelope(mismatched, fr_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_EQ(refusal.reason, "the message id differs from the envelope's");
  EXPECT_FALSE(OpenEnvelope("{}", fr_, be_.sign_public, kNow, &refusal).has_value());
  EXPECT_EQ(refusal.reason, "malformed envelope");
}

TEST_F(EnvelopeTest, StaleEnvelopesAreRefusedButMaySendAgain) {
  Refusal refusal;
  const std::string old = EnvelopeFor(fr_, kNow);
  EXPECT_TRUE(
      OpenEnvelope(old, fr_, be_.sign_public, kNow + kMaxEnvelopeSkewMicros, &refusal).has_value());
  EXPECT_FALSE(OpenEnvelope(old, fr_, be_.sign_public, kNow + kMaxEnvelopeSkewMicros + 1, &refusal)
                   .has_value());
  EXPECT_FALSE(refusal.permanent);
  EXPECT_TRUE(refusal.reason.starts_with("stale envelope"));
  // From the future too.
  EXPECT_FALSE(OpenEnvelope(EnvelopeFor(fr_, kNow + kMaxEnvelopeSkewMicros + 10), fr_,
                            be_.sign_public, kNow, &refusal)
                   .has_value());
}

TEST_F(EnvelopeTest, ReceiptsAreSignedByTheRecipient) {
  const std::string receipt = MakeReceipt(message_.id, "BE", ReceiptStatus::kAccepted, fr_, kNow);
  EXPECT_TRUE(VerifyReceipt(receipt, message_.id, "BE", "FR", fr_.sign_public).ok());
  EXPECT_FALSE(VerifyReceipt(receipt, NewMessageId(), "BE", "FR", fr_.sign_public).ok());
  EXPECT_FALSE(VerifyReceipt(receipt, message_.id, "BE", "FR", es_.sign_public).ok());
  nlohmann::json json = nlohmann::json::parse(receipt);
  json["status"] = "duplicate";
  EXPECT_FALSE(VerifyReceipt(json.dump(), message_.id, "BE", "FR", fr_.sign_public).ok());
}

}  // namespace
}  // namespace entente::federation
