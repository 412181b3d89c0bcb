#include "federation/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "federation/testing.h"

namespace entente::federation {
namespace {

constexpr int64_t kNow = 1'790'000'000'000'000;

Message Full() {
  Message m = testing::MakeMessage("BE/police", "FR/intelligence", kNow);
  m.type = MessageType::kRequest;
  m.recipients.push_back("ES/police");
  m.priority = Priority::kUrgent;
  m.deadline = "2026-12-10";
  m.handling_code = model::HandlingCode::kH3;
  m.handling_restriction = "For the joint investigation team only.";
  m.source_reliability = "B";
  m.information_accuracy = "2";
  m.subjects = {{"BE-000042", "BE/intelligence"}};
  model::Entity e;
  e.id = "BE-000042";
  e.Set("name", {"Youssef El Khattabi"});
  e.Set("birthDate", {"1991-04"});
  m.entities = {e};
  m.attachments = {{"note.txt", "text/plain", std::string("a\0b", 3)}};
  return m;
}

TEST(MessageTest, RoundTripsThroughJson) {
  const Message m = Full();
  ASSERT_TRUE(ValidateMessage(m).ok()) << ValidateMessage(m).ToString();
  auto back = ParseMessage(MessageToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(MessageToJson(*back), MessageToJson(m));
  EXPECT_EQ(back->attachments[0].data, std::string("a\0b", 3));
  EXPECT_EQ(back->entities[0].Values("name")[0], "Youssef El Khattabi");
  EXPECT_EQ(back->RecipientCountries(), (std::vector<std::string>{"ES", "FR"}));
  EXPECT_EQ(back->SenderCountry(), "BE");
}

// A record notice says what became of the records it names; only a correction carries them,
// and only records it names.
TEST(MessageTest, RecordNoticesNameTheirRecordsAndWhatBecameOfThem) {
  Message m = Full();
  m.type = MessageType::kRecordNotice;
  m.handling_code = model::HandlingCode::kH0;
  m.deadline.clear();
  m.notice = "correction";
  ASSERT_TRUE(ValidateMessage(m).ok()) << ValidateMessage(m).ToString();
  auto back = ParseMessage(MessageToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->notice, "correction");
  EXPECT_EQ(ParseRecordNoticeKind(back->notice), RecordNoticeKind::kCorrection);
  auto refused = [](Message broken, std::string_view field) {
    const Status status = ValidateMessage(broken);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << field;
    EXPECT_TRUE(status.message().starts_with(field)) << status.message();
  };
  Message erasure = m;
  erasure.notice = "erasure";
  refused(erasure, "entities");  // an erasure carries no record
  erasure.entities.clear();
  EXPECT_TRUE(ValidateMessage(erasure).ok()) << ValidateMessage(erasure).ToString();
  Message other = m;
  other.entities[0].id = "BE-000043";
  refused(other, "entities[0].id");
  Message unknown = m;
  unknown.notice = "deletion";
  refused(unknown, "notice");
  Message unnamed = erasure;
  unnamed.subjects.clear();
  refused(unnamed, "subjects");
  Message stray = Full();
  stray.notice = "erasure";
  refused(stray, "notice");
}

TEST(MessageTest, IdsAreFreshAndWellFormed) {
  const std::string a = NewMessageId(), b = NewMessageId();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_TRUE(NewCaseId().starts_with("case-"));
}

// Each broken message is refused with the field at fault named first.
TEST(MessageTest, RefusalsNameTheField) {
  struct Case {
    const char* field;
    void (*breaks)(Message&);
  };
  const Case cases[] = {
      {"id:", [](Message& m) { m.id = "msg-1"; }},
      {"case_id:", [](Message& m) { m.case_id = ""; }},
      {"sender:", [](Message& m) { m.sender = "BE/spies"; }},
      {"recipients:", [](Message& m) { m.recipients.clear(); }},
      {"recipients[2]:", [](Message& m) { m.recipients.push_back("FR/intelligence"); }},
      {"recipients[2]:", [](Message& m) { m.recipients.push_back("BE/judicial"); }},
      {"deadline:", [](Message& m) { m.deadline = "2026-02-30"; }},
      {"deadline:", [](Message& m) { m.deadline = ""; }},  // a request needs one
      {"handling_restriction:", [](Message& m) { m.handling_restriction = ""; }},
      {"source_reliability:", [](Message& m) { m.source_reliability = "E"; }},
      {"information_accuracy:", [](Message& m) { m.information_accuracy = "5"; }},
      {"in_reply_to:", [](Message& m) { m.type = MessageType::kReply; }},
      {"minors:", [](Message& m) { m.type = MessageType::kConsultation; }},
      {"entities:", [](Message& m) { m.minors = true; }},
      {"subjects[0].owner:", [](Message& m) { m.subjects[0].owner = "BE"; }},
      {"body:", [](Message& m) { m.body = std::string(kMaxBodyBytes + 1, 'x'); }},
      {"attachments[0].name:", [](Message& m) { m.attachments[0].name = "../etc/passwd"; }},
      {"attachments[0].data:",
       [](Message& m) { m.attachments[0].data = std::string(kMaxAttachmentBytes + 1, 'x'); }},
      {"legal_basis.kind:", [](Message& m) { m.legal_basis.kind = ""; }},
      {"event_kind:",
       [](Message& m) {
         m.type = MessageType::kReleaseNotice;
         m.deadline = "";
       }},
  };
  for (const Case& c : cases) {
    Message m = Full();
    c.breaks(m);
    Status status = ValidateMessage(m);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_TRUE(status.message().starts_with(c.field)) << c.field << " got " << status.message();
  }
}

TEST(MessageTest, ParsingNamesTheFieldOfBadJson) {
  nlohmann::json json = MessageToJson(Full());
  json["recipients"][1] = 7;
  EXPECT_EQ(MessageFromJson(json).status().message(), "recipients[1]: expected text");
  json = MessageToJson(Full());
  json["type"] = "gossip";
  EXPECT_EQ(MessageFromJson(json).status().message(), "type: unknown message type gossip");
  json = MessageToJson(Full());
  json["attachments"][0]["data"] = "***";
  EXPECT_EQ(MessageFromJson(json).status().message(), "attachments[0].data: not base64");
  json = MessageToJson(Full());
  json["entities"][0]["properties"]["name"] = 3;
  EXPECT_TRUE(MessageFromJson(json).status().message().starts_with("entities[0]"));
  EXPECT_EQ(ParseMessage("{").status().message(), "message: not valid JSON");
  json = MessageToJson(Full());
  json["v"] = 2;
  EXPECT_EQ(MessageFromJson(json).status().message(), "v: unknown message format version");
}

TEST(MessageTest, TypesThatExpectAnAnswer) {
  EXPECT_TRUE(ExpectsAnswer(MessageType::kRequest));
  EXPECT_TRUE(ExpectsAnswer(MessageType::kConsultation));
  EXPECT_TRUE(ExpectsAnswer(MessageType::kReleaseNotice));
  EXPECT_FALSE(ExpectsAnswer(MessageType::kSpontaneous));
  for (int t = 0; t <= static_cast<int>(MessageType::kAcknowledgement); ++t) {
    const auto type = static_cast<MessageType>(t);
    EXPECT_EQ(ParseMessageType(MessageTypeName(type)), type);
  }
}

}  // namespace
}  // namespace entente::federation
