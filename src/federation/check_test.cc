#include "federation/check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/testing.h"

namespace entente::federation {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

pprl::QueryCode SomeQuery(uint64_t seed) {
  pprl::QueryCode q;
  for (size_t w = 0; w < pprl::kCodeWords; ++w)
    q.code.words[w] = (seed + 1) * 0x9E3779B97F4A7C15ULL * (w + 1);
  q.birth.words[0] = {seed | 1, 0, 2};
  q.birth.popcounts[0] = static_cast<uint16_t>(std::popcount(seed | 1) + 1);
  return q;
}

class CheckTest : public ::testing::Test {
 protected:
  NodeKeys ma_ = testing::MakeKeys("MA");
  NodeKeys be_ = testing::MakeKeys("BE");
  std::vector<std::string> ma_keys_ = {ma_.sign_public};
  std::vector<std::string> be_keys_ = {be_.sign_public};

  CheckRequest Request(size_t queries = 2) {
    CheckRequest r;
    r.id = NewCheckId();
    r.from = "MA";
    r.to = "BE";
    r.sent_at = kNow;
    r.agency = "MA/police";
    r.justification = "travel movement of a suspected facilitator (synthetic)";
    r.case_reference = "MA-2026-17";
    r.key_version = 3;
    for (size_t i = 0; i < queries; ++i) r.queries.push_back(SomeQuery(i));
    return r;
  }

  CheckAnswer AnswerTo(const CheckRequest& r) {
    CheckAnswer a;
    a.id = r.id;
    a.from = r.to;
    a.to = r.from;
    a.answered_at = kNow + 1000;
    a.batch_size = 100;
    a.checks_left_today = 998;
    a.results.resize(r.queries.size());
    a.results[0].push_back({NewHitId(), NewIndexReference(), "BE/intelligence", 0.93});
    return a;
  }

  // The request body with one field of the signed document replaced, signed again by MA.
  std::string Resigned(const CheckRequest& r, const std::string& field, const nlohmann::json& v) {
    nlohmann::json outer = nlohmann::json::parse(SignCheckRequest(r, ma_));
    nlohmann::json doc = nlohmann::json::parse(outer["request"].get<std::string>());
    doc[field] = v;
    const std::string text = doc.dump();
    return nlohmann::json{{"request", text},
                          {"signature", Sign("entente-check-v1\n" + text, ma_.sign_secret)}}
        .dump();
  }
};

TEST_F(CheckTest, TheOwnerReadsWhatThePartnerSignedAndNothingElse) {
  const CheckRequest sent = Request();
  auto opened = OpenCheckRequest(SignCheckRequest(sent, ma_), "MA", "BE", ma_keys_, kNow + 5);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->id, sent.id);
  EXPECT_EQ(opened->agency, "MA/police");
  EXPECT_EQ(opened->justification, sent.justification);
  EXPECT_EQ(opened->case_reference, "MA-2026-17");
  EXPECT_EQ(opened->key_version, 3U);
  ASSERT_EQ(opened->queries.size(), 2U);
  EXPECT_EQ(opened->queries[1].code, sent.queries[1].code);
  EXPECT_EQ(opened->queries[1].birth.words, sent.queries[1].birth.words);
  EXPECT_EQ(opened->queries[1].birth.popcounts, sent.queries[1].birth.popcounts);
}

TEST_F(CheckTest, ARequestIsRefusedWhenAnythingIsWrong) {
  const CheckRequest r = Request();
  const std::string body = SignCheckRequest(r, ma_);
  // Signed by another node, or sent over another partner's certificate.
  EXPECT_FALSE(OpenCheckRequest(SignCheckRequest(r, be_), "MA", "BE", ma_keys_, kNow).ok());
  EXPECT_FALSE(OpenCheckRequest(body, "FR", "BE", ma_keys_, kNow).ok());
  // For another owner; too old or from the future (a replay).
  EXPECT_FALSE(OpenCheckRequest(body, "MA", "FR", ma_keys_, kNow).ok());
  EXPECT_FALSE(OpenCheckRequest(body, "MA", "BE", ma_keys_, kNow + kMaxCheckSkewMicros + 1).ok());
  EXPECT_FALSE(OpenCheckRequest(body, "MA", "BE", ma_keys_, kNow - kMaxCheckSkewMicros - 1).ok());
  // A signed document changed after signing.
  std::string tampered = body;
  tampered.replace(tampered.find("MA/police"), 9, "MA/judici");
  EXPECT_FALSE(OpenCheckRequest(tampered, "MA", "BE", ma_keys_, kNow).ok());
  // Well signed, but wrong inside: each names its field.
  auto field_error = [&](const std::string& field, const nlohmann::json& value) {
    auto opened = OpenCheckRequest(Resigned(r, field, value), "MA", "BE", ma_keys_, kNow);
    EXPECT_FALSE(opened.ok()) << field;
    return opened.ok() ? std::string() : opened.status().message();
  };
  EXPECT_NE(field_error("justification", "why").find("request.justification"), std::string::npos);
  EXPECT_NE(field_error("agency", "BE/police").find("request.agency"), std::string::npos);
  EXPECT_NE(field_error("id", "msg-1").find("request.id"), std::string::npos);
  EXPECT_NE(field_error("queries", nlohmann::json::array()).find("request.queries"),
            std::string::npos);
  EXPECT_NE(field_error("queries", {"not base64!"}).find("request.queries[0]"), std::string::npos);
  EXPECT_NE(field_error("key_version", 0).find("request.key_version"), std::string::npos);
  EXPECT_FALSE(OpenCheckRequest("not json", "MA", "BE", ma_keys_, kNow).ok());
}

TEST_F(CheckTest, AQueryCodeSurvivesItsBytesAndAForgedOneDoesNot) {
  const pprl::QueryCode q = SomeQuery(7);
  auto back = QueryCodeFromBytes(QueryCodeBytes(q), "q");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->code, q.code);
  std::string bytes = QueryCodeBytes(q);
  EXPECT_FALSE(QueryCodeFromBytes(bytes.substr(0, bytes.size() - 1), "q").ok());
  EXPECT_FALSE(QueryCodeFromBytes(bytes + "x", "q").ok());
  bytes[128 + 24] = static_cast<char>(bytes[128 + 24] + 1);  // the popcount no longer its bits'
  EXPECT_FALSE(QueryCodeFromBytes(bytes, "q").ok());
}

TEST_F(CheckTest, ThePartnerAcceptsOnlyTheOwnersAnswerToItsOwnRequest) {
  const CheckRequest r = Request();
  const CheckAnswer a = AnswerTo(r);
  auto opened = OpenCheckAnswer(SignCheckAnswer(a, be_), r, be_keys_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  ASSERT_EQ(opened->results.size(), 2U);
  EXPECT_EQ(opened->results[0], a.results[0]);
  EXPECT_TRUE(opened->results[1].empty());
  EXPECT_EQ(opened->checks_left_today, 998);
  // Signed by someone else; the answer to another request; a result short.
  EXPECT_FALSE(OpenCheckAnswer(SignCheckAnswer(a, ma_), r, be_keys_).ok());
  EXPECT_FALSE(OpenCheckAnswer(SignCheckAnswer(a, be_), Request(), be_keys_).ok());
  CheckAnswer short_answer = a;
  short_answer.results.pop_back();
  EXPECT_FALSE(OpenCheckAnswer(SignCheckAnswer(short_answer, be_), r, be_keys_).ok());
  // A hit must be a reference and an agency of the owner, never anything else.
  CheckAnswer leaky = a;
  leaky.results[0][0].reference = "subject-42";
  EXPECT_FALSE(OpenCheckAnswer(SignCheckAnswer(leaky, be_), r, be_keys_).ok());
  leaky = a;
  leaky.results[0][0].owner = "FR/police";
  EXPECT_FALSE(OpenCheckAnswer(SignCheckAnswer(leaky, be_), r, be_keys_).ok());
}

}  // namespace
}  // namespace entente::federation
