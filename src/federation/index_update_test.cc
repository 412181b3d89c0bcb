#include "federation/index_update.h"

#include <gtest/gtest.h>

#include "federation/message.h"
#include "federation/testing.h"

namespace entente::federation {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

pprl::BloomCode CodeWithBits(std::initializer_list<size_t> bits) {
  pprl::BloomCode code;
  for (size_t b : bits) code.Set(b);
  return code;
}

IndexUpdate Sample() {
  IndexUpdate u;
  u.key_version = 3;
  u.generation = 7;
  u.sequence = 2;
  u.upserts = {{NewIndexReference(), "BE/intelligence", CodeWithBits({0, 63, 64, 1023})},
               {NewIndexReference(), "BE/police", CodeWithBits({5, 500})}};
  u.removals = {NewIndexReference()};
  return u;
}

TEST(IndexUpdateTest, RoundTrips) {
  const IndexUpdate u = Sample();
  auto back = ParseIndexUpdate(SerializeIndexUpdate(u));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, u);

  IndexUpdate first;
  first.key_version = 1;
  first.generation = 1;
  first.sequence = 1;
  first.reset = true;
  first.complete = true;  // an empty register: one update both starts and completes
  back = ParseIndexUpdate(SerializeIndexUpdate(first));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, first);
}

TEST(IndexUpdateTest, ReferencesAreOpaqueAndFresh) {
  const std::string a = NewIndexReference(), b = NewIndexReference();
  EXPECT_NE(a, b);
  EXPECT_TRUE(IsIndexReference(a));
  EXPECT_FALSE(IsIndexReference("BE-000042"));
  EXPECT_FALSE(IsIndexReference("ref-" + std::string(32, 'G')));
}

// Every malformed form is refused with what is wrong; none is half-read.
TEST(IndexUpdateTest, RefusesMalformedForms) {
  const std::string good = SerializeIndexUpdate(Sample());
  struct Case {
    std::string bytes;
    const char* expected;
  };
  std::vector<Case> cases;
  cases.push_back({"", "magic"});
  cases.push_back({"ENTPPRL" + std::string(1, '\0') + good.substr(8), "magic"});
  std::string version = good;
  version[8] = 1;
  cases.push_back({version, "format version 1"});
  for (size_t cut :
       {size_t{10}, size_t{30}, size_t{45}, size_t{60}, size_t{200}, good.size() - 1}) {
    cases.push_back({good.substr(0, cut), "truncated"});
  }
  cases.push_back({good + "x", "1 trailing bytes"});
  std::string generation = good;
  for (int i = 0; i < 8; ++i) generation[16 + i] = 0;
  cases.push_back({generation, "generation"});
  std::string flags = good;
  flags[32] = 4;
  cases.push_back({flags, "unknown flags"});
  std::string reset = good;
  reset[32] = 1;  // reset at sequence 2
  cases.push_back({reset, "starts (reset) at sequence 1"});

  IndexUpdate twice = Sample();
  twice.removals = {twice.upserts[0].reference};
  cases.push_back({SerializeIndexUpdate(twice), "removals[0]: named twice"});
  IndexUpdate bad_ref = Sample();
  bad_ref.upserts[1].reference = "BE-000042";
  cases.push_back({SerializeIndexUpdate(bad_ref), "upserts[1].reference"});
  IndexUpdate bad_owner = Sample();
  bad_owner.upserts[0].owner = "BE/spies";
  cases.push_back({SerializeIndexUpdate(bad_owner), "upserts[0].owner"});
  IndexUpdate too_many = Sample();
  too_many.removals.clear();
  for (size_t i = 0; i <= kMaxIndexUpdateEntries; ++i) {
    too_many.removals.push_back(NewIndexReference());
  }
  cases.push_back({SerializeIndexUpdate(too_many), "more than 4096 entries"});

  for (const Case& c : cases) {
    auto parsed = ParseIndexUpdate(c.bytes);
    ASSERT_FALSE(parsed.ok()) << c.expected;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.expected), std::string::npos)
        << parsed.status().message() << " (expected: " << c.expected << ")";
  }
}

// An index update goes from node to node, and only an index update carries one.
TEST(IndexUpdateTest, TravelsOnlyFromNodeToNode) {
  Message m = testing::MakeMessage("BE/police", "FR/intelligence", kNow);
  m.type = MessageType::kIndexUpdate;
  m.index_update = SerializeIndexUpdate(Sample());
  Status status = ValidateMessage(m);
  EXPECT_NE(status.message().find("sender: an index update goes from node to node"),
            std::string::npos)
      << status.ToString();
  m.sender = NodeAgency("BE");
  m.recipients = {NodeAgency("FR")};
  ASSERT_TRUE(ValidateMessage(m).ok()) << ValidateMessage(m).ToString();
  auto back = ParseMessage(MessageToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->index_update, m.index_update);

  Message other = testing::MakeMessage("BE/police", "FR/intelligence", kNow);
  other.index_update = m.index_update;
  EXPECT_NE(ValidateMessage(other).message().find("only a message of type index_update"),
            std::string::npos);
  Message to_node = testing::MakeMessage("BE/police", "FR/node", kNow);
  EXPECT_FALSE(ValidateMessage(to_node).ok());
  m.subjects = {{"BE-1", "BE/police"}};
  EXPECT_NE(ValidateMessage(m).message().find("carries its codes only"), std::string::npos);
}

TEST(IndexUpdateTest, EncodingKeyFiles) {
  const pprl::EncodingKey key = NewEncodingKey(4);
  auto back = ParseEncodingKey(EncodingKeyToJson(key), "k.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, key);
  EXPECT_NE(NewEncodingKey(4), key);
  for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"nope", "k.json: expected a JSON object"},
           {R"({"version": 0, "secret": ""})", "k.json: version"},
           {R"({"version": 2})", "k.json: secret"},
           {R"({"version": 2, "secret": "AAAA"})", "k.json: secret: expected 32 bytes, got 3"},
           {R"({"version": 2, "secret": "!!"})", "k.json: secret"}}) {
    auto parsed = ParseEncodingKey(text, "k.json");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.status().message().find(expected), std::string::npos)
        << parsed.status().message();
  }
}

}  // namespace
}  // namespace entente::federation

namespace entente::federation {
namespace {

TEST(HitNotificationTest, NamesTheHitAndTheReference) {
  Message m = testing::MakeMessage("FR/police", "BE/intelligence", kNow);
  m.type = MessageType::kHitNotification;
  EXPECT_NE(ValidateMessage(m).message().find("hit.id"), std::string::npos);
  m.hit_id = NewHitId();
  m.hit_score = 0.91;
  EXPECT_NE(ValidateMessage(m).message().find("subjects"), std::string::npos);
  m.subjects = {{"BE-000042", "BE/intelligence"}};
  EXPECT_NE(ValidateMessage(m).message().find("subjects"), std::string::npos);
  m.subjects = {{NewIndexReference(), "BE/intelligence"}};
  ASSERT_TRUE(ValidateMessage(m).ok()) << ValidateMessage(m).ToString();
  auto back = ParseMessage(MessageToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->hit_id, m.hit_id);
  EXPECT_DOUBLE_EQ(back->hit_score, 0.91);
  m.hit_score = 1.5;
  EXPECT_NE(ValidateMessage(m).message().find("hit.score"), std::string::npos);
  m.hit_score = 0.5;
  m.hit_id = "hit-1";
  EXPECT_NE(ValidateMessage(m).message().find("hit.id: expected"), std::string::npos);

  Message other = testing::MakeMessage("FR/police", "BE/intelligence", kNow);
  other.hit_id = NewHitId();
  EXPECT_NE(ValidateMessage(other).message().find("only a hit notification or a follow-up"),
            std::string::npos);
}

}  // namespace
}  // namespace entente::federation
