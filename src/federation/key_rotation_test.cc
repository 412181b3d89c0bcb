// Key rotation between partners: the announcement and its proof, the partner record's states,
// and two nodes of one process going through a rotation (LocalNetwork, a fake clock).
#include "federation/key_rotation.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "federation/crypto.h"
#include "federation/delivery.h"
#include "federation/envelope.h"
#include "federation/inbox.h"
#include "federation/local_transport.h"
#include "federation/outbox.h"
#include "federation/testing.h"
#include "store/test_backends.h"

namespace entente::federation {
namespace {

constexpr int64_t kStart = 1'790'000'000'000'000;
constexpr int64_t kDay = 86'400LL * 1'000'000;

std::string ReadData(const std::string& name) {
  std::ifstream in(std::string(ENTENTE_TEST_DATA_DIR) + "/http/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The public keys of `keys` with a certificate from the test data.
PublicKeys PublicOf(const NodeKeys& keys, const std::string& pem_file) {
  PublicKeys pub;
  pub.country = keys.country;
  pub.sign_public_key = Base64Encode(keys.sign_public);
  pub.box_public_key = Base64Encode(keys.box_public);
  pub.tls_certificate = ReadData(pem_file);
  pub.tls_fingerprint = *CertificateFingerprint(pub.tls_certificate);
  return pub;
}

store::Partner RecordOf(const NodeKeys& keys, const std::string& pem_file) {
  store::Partner p = testing::PartnerOf(keys);
  const PublicKeys pub = PublicOf(keys, pem_file);
  p.tls_certificate = pub.tls_certificate;
  p.tls_fingerprint = pub.tls_fingerprint;
  return p;
}

TEST(KeyAnnouncementTest, ReadsBackAndIsProvenByTheNextKey) {
  const NodeKeys next = testing::MakeKeys("BE");
  const KeyAnnouncement a = MakeKeyAnnouncement(PublicOf(next, "client.pem"), 14, next.sign_secret);
  auto read = ParseKeyAnnouncement(KeyAnnouncementToJson(a), "body");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->next.sign_public_key, a.next.sign_public_key);
  EXPECT_EQ(read->next.tls_fingerprint, a.next.tls_fingerprint);
  EXPECT_EQ(read->grace_days, 14);

  // Proven by another key than the one announced: refused.
  const NodeKeys other = testing::MakeKeys("BE");
  const KeyAnnouncement forged =
      MakeKeyAnnouncement(PublicOf(next, "client.pem"), 14, other.sign_secret);
  auto refused = ParseKeyAnnouncement(KeyAnnouncementToJson(forged), "body");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("proof"), std::string::npos);

  // A key or the grace period changed after the proof: refused.
  nlohmann::json json = nlohmann::json::parse(KeyAnnouncementToJson(a));
  json["keys"]["box_public_key"] = Base64Encode(other.box_public);
  EXPECT_FALSE(ParseKeyAnnouncement(json.dump(), "body").ok());
  json = nlohmann::json::parse(KeyAnnouncementToJson(a));
  json["grace_days"] = 365;
  EXPECT_FALSE(ParseKeyAnnouncement(json.dump(), "body").ok());
  json["grace_days"] = 0;
  auto zero = ParseKeyAnnouncement(json.dump(), "body");
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("body: grace_days"), std::string::npos);
  // A fingerprint that is not the certificate's.
  json = nlohmann::json::parse(KeyAnnouncementToJson(a));
  json["keys"]["tls_fingerprint"] = "AA:BB";
  EXPECT_FALSE(ParseKeyAnnouncement(json.dump(), "body").ok());
}

TEST(KeyAnnouncementTest, TravelsFromNodeToNodeWithAValidAnnouncementOnly) {
  const NodeKeys next = testing::MakeKeys("BE");
  Message m;
  m.id = NewMessageId();
  m.type = MessageType::kKeyRotation;
  m.case_id = NewCaseId();
  m.sender = "BE/node";
  m.recipients = {"FR/node"};
  m.created_at = kStart;
  m.legal_basis = {"eu_partner", ""};
  m.body = KeyAnnouncementToJson(
      MakeKeyAnnouncement(PublicOf(next, "client.pem"), 30, next.sign_secret));
  EXPECT_TRUE(ValidateMessage(m).ok()) << ValidateMessage(m).ToString();
  Message from_agency = m;
  from_agency.sender = "BE/police";
  EXPECT_NE(ValidateMessage(from_agency).message().find("a key rotation goes from node to node"),
            std::string::npos);
  Message no_keys = m;
  no_keys.body = "new keys soon";
  EXPECT_NE(ValidateMessage(no_keys).message().find("body: not a JSON object"), std::string::npos)
      << ValidateMessage(no_keys).ToString();
  Message with_subject = m;
  with_subject.subjects = {{"BE-1", "BE/police"}};
  EXPECT_FALSE(ValidateMessage(with_subject).ok());
}

TEST(PartnerKeyRotationTest, AnnouncedKeysAreAcceptedThenCurrentThenTheFormerExpire) {
  const NodeKeys old_keys = testing::MakeKeys("BE");
  const NodeKeys new_keys = testing::MakeKeys("BE");
  const store::Partner before = RecordOf(old_keys, "server.pem");
  const KeyAnnouncement a =
      MakeKeyAnnouncement(PublicOf(new_keys, "client.pem"), 10, new_keys.sign_secret);

  auto announced = WithAnnouncedKeys(before, a, kStart);
  ASSERT_TRUE(announced.ok()) << announced.status().ToString();
  EXPECT_EQ(announced->sign_public_key, before.sign_public_key);  // still current
  auto keys = AcceptedSignKeys(*announced, kStart);
  ASSERT_TRUE(keys.ok());
  EXPECT_EQ(*keys, (std::vector<std::string>{old_keys.sign_public, new_keys.sign_public}));
  EXPECT_TRUE(HasCertificate(*announced, before.tls_fingerprint, kStart));
  EXPECT_TRUE(HasCertificate(*announced, a.next.tls_fingerprint, kStart));
  EXPECT_FALSE(HasCertificate(*announced, "AA:BB", kStart));
  EXPECT_NE(PinnedCertificates(*announced).find(a.next.tls_certificate), std::string::npos);
  EXPECT_NE(PinnedCertificates(*announced).find(before.tls_certificate), std::string::npos);
  EXPECT_NE(DescribeKeyRotation(*announced).find("next keys announced"), std::string::npos);

  // Keys of another country are refused.
  const NodeKeys fr = testing::MakeKeys("FR");
  EXPECT_FALSE(
      WithAnnouncedKeys(before, MakeKeyAnnouncement(PublicOf(fr, "client.pem"), 10, fr.sign_secret),
                        kStart)
          .ok());

  // Used with the current key: nothing changes. With the announced one: it becomes current.
  EXPECT_FALSE(AfterKeyUsed(*announced, old_keys.sign_public, kStart + kDay).has_value());
  const auto switched = AfterKeyUsed(*announced, new_keys.sign_public, kStart + kDay);
  ASSERT_TRUE(switched.has_value());
  EXPECT_EQ(switched->sign_public_key, Base64Encode(new_keys.sign_public));
  EXPECT_EQ(switched->box_public_key, Base64Encode(new_keys.box_public));
  EXPECT_EQ(switched->tls_fingerprint, a.next.tls_fingerprint);
  EXPECT_EQ(PinnedCertificates(*switched), a.next.tls_certificate);
  // The former keys for the 10 days of grace after the switch, not after.
  const int64_t last = kStart + kDay + 10 * kDay - 1;
  EXPECT_EQ(*AcceptedSignKeys(*switched, last),
            (std::vector<std::string>{new_keys.sign_public, old_keys.sign_public}));
  EXPECT_TRUE(HasCertificate(*switched, before.tls_fingerprint, last));
  EXPECT_EQ(*AcceptedSignKeys(*switched, last + 1),
            (std::vector<std::string>{new_keys.sign_public}));
  EXPECT_FALSE(HasCertificate(*switched, before.tls_fingerprint, last + 1));
  EXPECT_FALSE(AfterKeyUsed(*switched, new_keys.sign_public, last).has_value());

  // A damaged record names the partner and the field.
  store::Partner damaged = before;
  damaged.key_rotation_json = R"({"next": {"sign_public_key": 3}})";
  auto error = AcceptedSignKeys(damaged, kStart);
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("partner BE: key_rotation.next.sign_public_key"),
            std::string::npos);
}

TEST(KeyRotationEnvelopeTest, EitherKeySignsAndTheFormerBoxOpensUntilItsGraceEnds) {
  const NodeKeys be_old = testing::MakeKeys("BE");
  NodeKeys be_new = testing::MakeKeys("BE");
  const NodeKeys fr = testing::MakeKeys("FR");
  // Sealed and signed by BE's old keys for FR, enveloped at delivery by BE's new keys.
  const Message m = testing::MakeMessage("BE/police", "FR/police", kStart);
  const std::string sealed = SealMessage(MessageToJson(m).dump(), be_old, fr.box_public);
  const std::string envelope = MakeEnvelope(m.id, "FR", sealed, be_new, kStart);
  Refusal refusal;
  const std::vector<std::string> both = {be_old.sign_public, be_new.sign_public};
  auto opened = OpenEnvelope(envelope, fr, both, kStart, &refusal);
  ASSERT_TRUE(opened.has_value()) << refusal.reason;
  EXPECT_EQ(opened->signed_with, be_new.sign_public);
  EXPECT_FALSE(OpenEnvelope(envelope, fr, be_old.sign_public, kStart, &refusal).has_value());
  EXPECT_FALSE(OpenEnvelope(envelope, fr, be_new.sign_public, kStart, &refusal).has_value());

  // FR sealed for BE's old box key; BE, switched, keeps it for its grace period only.
  const Message reply = testing::MakeMessage("FR/police", "BE/police", kStart);
  const std::string to_old_box = SealMessage(MessageToJson(reply).dump(), fr, be_old.box_public);
  be_new.former_boxes.push_back({be_old.box_public, be_old.box_secret, kStart + kDay});
  EXPECT_TRUE(OpenEnvelope(MakeEnvelope(reply.id, "BE", to_old_box, fr, kStart), be_new,
                           fr.sign_public, kStart, &refusal)
                  .has_value())
      << refusal.reason;
  EXPECT_FALSE(OpenEnvelope(MakeEnvelope(reply.id, "BE", to_old_box, fr, kStart + kDay), be_new,
                            fr.sign_public, kStart + kDay, &refusal)
                   .has_value());
}

// Two nodes of one process: BE announces new keys to FR, switches, and the exchange goes on
// both ways; FR makes BE's new keys current when it first sees them in use.
class KeyRotationExchangeTest : public ::testing::TestWithParam<store::TestBackend> {
 protected:
  struct Node {
    NodeKeys keys;
    std::string temp_dir;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<Inbox> inbox;
  };

  void SetUp() override {
    clock_.Set(kStart);
    for (Node* node : {&be_, &fr_}) {
      auto opened = store::OpenTestStore(GetParam(), clock_, &node->temp_dir);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      node->store = std::move(opened).value();
    }
    be_.keys = testing::MakeKeys("BE");
    fr_.keys = testing::MakeKeys("FR");
    ASSERT_TRUE(Put(be_, RecordOf(fr_.keys, "client.pem")).ok());
    ASSERT_TRUE(Put(fr_, RecordOf(be_.keys, "server.pem")).ok());
    // What the node's reception hook does with a key rotation (service/reception.cc).
    AcceptHook hook = [](store::WriteTxn& txn, const OpenedEnvelope& opened, int64_t,
                         int64_t at) -> Status {
      if (opened.message.type != MessageType::kKeyRotation) return Status::Ok();
      return ApplyKeyAnnouncement(txn, opened.message, opened.from, at);
    };
    for (Node* node : {&be_, &fr_}) {
      node->inbox = std::make_unique<Inbox>(*node->store, node->keys, clock_, hook);
      network_.Attach(node->keys.country, node->inbox.get());
    }
  }
  void TearDown() override {
    for (Node* node : {&be_, &fr_}) {
      network_.Detach(node->keys.country);
      node->inbox.reset();
      node->store.reset();
      if (!node->temp_dir.empty()) std::filesystem::remove_all(node->temp_dir);
    }
  }

  static Status Put(Node& node, const store::Partner& partner) {
    return node.store->Write([&](store::WriteTxn& t) { return t.partners().Put(partner); });
  }

  // Posts a message from `from` to `to` and delivers `from`'s outbox; the delivered count.
  int64_t Send(Node& from, Message m) {
    Status posted = from.store->Write([&](store::WriteTxn& t) {
      return PostMessage(t, m, from.keys, clock_.NowMicros()).status();
    });
    EXPECT_TRUE(posted.ok()) << posted.ToString();
    return Deliver(from);
  }
  int64_t Deliver(Node& from) {
    Deliverer deliverer(*from.store, from.keys, network_, clock_);
    auto pass = deliverer.RunOnce();
    EXPECT_TRUE(pass.ok());
    return pass.ok() ? pass->delivered : -1;
  }
  int64_t Received(Node& node) {
    store::MessageQuery q;
    q.direction = store::MessageDirection::kIn;
    q.limit = 1000;
    return static_cast<int64_t>(node.store->messages().List(q)->size());
  }
  Message Spontaneous(const std::string& from, const std::string& to) {
    return testing::MakeMessage(from, to, clock_.NowMicros());
  }

  FakeClock clock_;
  Node be_, fr_;
  LocalNetwork network_;
};

TEST_P(KeyRotationExchangeTest, PartnersFollowARotationWithoutLosingAMessage) {
  const NodeKeys be_next = testing::MakeKeys("BE");
  const std::string be_old_sign = Base64Encode(be_.keys.sign_public);

  // 1. BE announces (signed with its current keys); FR keeps the next keys beside the current.
  Message announce;
  announce.id = NewMessageId();
  announce.type = MessageType::kKeyRotation;
  announce.case_id = NewCaseId();
  announce.sender = "BE/node";
  announce.recipients = {"FR/node"};
  announce.created_at = clock_.NowMicros();
  announce.legal_basis = {"eu_partner", ""};
  announce.body = KeyAnnouncementToJson(
      MakeKeyAnnouncement(PublicOf(be_next, "client.pem"), 7, be_next.sign_secret));
  ASSERT_EQ(Send(be_, announce), 1);
  auto at_fr = fr_.store->partners().Get("BE");
  ASSERT_TRUE(at_fr.ok());
  EXPECT_EQ(at_fr->sign_public_key, be_old_sign);
  EXPECT_EQ(*AcceptedSignKeys(*at_fr, clock_.NowMicros()),
            (std::vector<std::string>{be_.keys.sign_public, be_next.sign_public}));

  // 2. Before BE switches, FR queues a message sealed for BE's current box key; BE is down.
  network_.SetDown("BE", true);
  Message queued = Spontaneous("FR/police", "BE/police");
  EXPECT_EQ(Send(fr_, queued), 0);
  network_.SetDown("BE", false);

  // 3. BE switches: its next keys are its own, its former box kept for 7 days.
  const NodeKeys be_old = be_.keys;
  network_.Detach("BE");
  be_.inbox.reset();
  be_.keys = be_next;
  be_.keys.former_boxes.push_back(
      {be_old.box_public, be_old.box_secret, clock_.NowMicros() + 7 * kDay});
  be_.inbox = std::make_unique<Inbox>(*be_.store, be_.keys, clock_);
  network_.Attach("BE", be_.inbox.get());

  // FR's queued message, sealed for the former box, is opened; FR verifies BE's receipt signed
  // with the next key, and makes BE's next keys current.
  clock_.Advance(60'000'000);
  EXPECT_EQ(Deliver(fr_), 1);
  at_fr = fr_.store->partners().Get("BE");
  EXPECT_EQ(at_fr->sign_public_key, Base64Encode(be_next.sign_public));
  EXPECT_EQ(at_fr->box_public_key, Base64Encode(be_next.box_public));
  EXPECT_NE(DescribeKeyRotation(*at_fr).find("previous keys accepted until"), std::string::npos);

  // BE sends with its new keys; FR seals for BE's new box key from now on.
  EXPECT_EQ(Send(be_, Spontaneous("BE/police", "FR/police")), 1);
  EXPECT_EQ(Send(fr_, Spontaneous("FR/police", "BE/police")), 1);
  EXPECT_EQ(Received(fr_), 2);
  EXPECT_EQ(Received(be_), 2);

  // 4. After the grace period, an envelope signed with BE's former key is refused for good.
  clock_.Advance(8 * kDay);
  const Message late = Spontaneous("BE/police", "FR/police");
  const std::string sealed = SealMessage(MessageToJson(late).dump(), be_old, fr_.keys.box_public);
  auto outcomes =
      network_.Deliver(*be_.store->partners().Get("FR"),
                       {MakeEnvelope(late.id, "FR", sealed, be_old, clock_.NowMicros())});
  ASSERT_TRUE(outcomes.ok());
  EXPECT_FALSE(outcomes->front().delivered);
  EXPECT_TRUE(outcomes->front().permanent);
}

INSTANTIATE_TEST_SUITE_P(Backends, KeyRotationExchangeTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const ::testing::TestParamInfo<store::TestBackend>& backend) {
                           return std::string(store::TestBackendName(backend.param));
                         });

}  // namespace
}  // namespace entente::federation
