#include "model/ndjson_reader.h"
#include "model/ndjson_writer.h"

#include <sstream>

#include <gtest/gtest.h>

#include "model/stream_check.h"

namespace entente::model {
namespace {

std::vector<std::string> Check(const std::string& content) {
  std::istringstream in(content);
  NdjsonEntityReader reader(in, "x.ndjson");
  auto report = CheckEntityStream(reader, "x.ndjson", 100, {});
  std::vector<std::string> out;
  for (const auto& p : report->problems) out.push_back(p.ToString());
  out.push_back("records=" + std::to_string(report->records) +
                " valid=" + std::to_string(report->valid_records));
  return out;
}

TEST(NdjsonEntityReaderTest, ReadsFollowTheMoneyEntities) {
  std::istringstream in(
      R"({"id":"W1","schema":"Person","caption":"x","properties":{"name":["محمد العمراني"],"birthDate":["1987"]}})"
      "\n\n"
      R"({"schema":"Organization","id":"O1","properties":{"name":"Cell \"Alpha\""}})"
      "\r\n");
  NdjsonEntityReader reader(in, "x.ndjson");
  Record record;
  Problems problems;
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  EXPECT_EQ(record.entity.id, "W1");
  EXPECT_EQ(record.entity.First("name"), "محمد العمراني");
  EXPECT_EQ(record.line, 1);
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  EXPECT_EQ(record.entity.schema, Schema::kOrganization);
  EXPECT_EQ(record.entity.First("name"), "Cell \"Alpha\"");
  EXPECT_EQ(record.line, 3);
  EXPECT_EQ(reader.Next(&record, &problems), ReadOutcome::kEnd);
  EXPECT_TRUE(problems.empty());
}

// The strict FollowTheMoney style (NdjsonStyle::kFollowTheMoney) reads back to the entity it
// was written from: the register's own properties under "entente", whose values win, countries
// in either case, the relationship entities of links skipped.
TEST(NdjsonEntityReaderTest, ReadsBackTheStrictFollowTheMoneyStyle) {
  Entity written;
  written.id = "BE-1";
  written.Set("name", {"Mohamed El Amrani"});
  written.Set("nationality", {"MA", "BE"});
  written.Set("phone", {"0488 63 20 97", "+32 485 13 51 46"});
  written.Set("category", {"returnee"});
  written.Set("link", {"associate:BE-2", "membership:BE-5"});
  std::ostringstream out;
  NdjsonEntityWriter writer(out, NdjsonStyle::kFollowTheMoney);
  ASSERT_TRUE(writer.Write(written).ok());
  const std::string text = out.str();
  EXPECT_NE(text.find(R"("properties":{"name":["Mohamed El Amrani"],"nationality":["ma","be"],)"
                      R"("phone":["+32485135146"]})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("schema":"UnknownLink")"), std::string::npos) << text;  // no lookup

  std::istringstream in(text);
  NdjsonEntityReader reader(in, "x.ndjson");
  Record record;
  Problems problems;
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  Entity expected = written;
  expected.Set("nationality", {"ma", "be"});  // FollowTheMoney's case (import restores ours)
  EXPECT_EQ(record.entity, expected);
  EXPECT_EQ(reader.Next(&record, &problems), ReadOutcome::kEnd) << "links are not entities";
  EXPECT_TRUE(problems.empty());
}

// A number too large for a double in a malformed line (found by ndjson_reader_fuzzer): reported
// and skipped like any invalid line, not thrown.
TEST(NdjsonEntityReaderTest, AnOverflowingNumberInAnInvalidLineIsReported) {
  const auto out = Check(
      "{\"id\":2e911\"]\n"
      R"({"id":"W2","properties":{"name":["A B"]}})"
      "\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NE(out[0].find("x.ndjson:1"), std::string::npos) << out[0];
  EXPECT_NE(out[0].find("invalid JSON"), std::string::npos) << out[0];
  EXPECT_EQ(out[1], "records=2 valid=1");
}

TEST(NdjsonEntityReaderTest, LocatesProblemsByLineColumnAndField) {
  const auto out = Check(R"({"id":"W1","properties":{"name":["A B"],"birthDate":["2019-02-30"]}})"
                         "\n"
                         R"({"id":"W2","properties":{"name":["A B"],)"
                         "\n"
                         R"({"id":"W3","properties":{"name":[42]}})"
                         "\n"
                         R"({"id":"W4","schema":"Vessel","properties":{}})"
                         "\n"
                         R"(["not","an","object"])"
                         "\n"
                         R"({"properties":{"name":["No Id"]}})"
                         "\n"
                         R"({"id":"W7","properties":{"name":["X Y"]}} trailing)"
                         "\n"
                         "{\"id\":\"W8\",\"properties\":{\"name\":[\"bad \xff\"]}}\n"
                         R"({"id":"W1","properties":{"name":["Dup Licate"]}})"
                         "\n");
  const std::vector<std::string> expected = {
      "x.ndjson:1:53: birthDate: day 30 does not exist in February 2019",
      "x.ndjson:2:41: invalid JSON: syntax error while parsing object key - unexpected end of "
      "input; expected string literal; line skipped",
      "x.ndjson:3:33: name: values must be strings, got a number; line skipped",
      "x.ndjson:4:21: schema: 'Vessel' is not a schema (expected Person or Organization); line "
      "skipped",
      "x.ndjson:5:1: expected a JSON object (an entity); line skipped",
      "x.ndjson:6:1: id: the entity has no \"id\"; line skipped",
      "x.ndjson:7:45: invalid JSON: syntax error while parsing value - invalid literal; last read: "
      "'\"X Y\"]}} tra'; expected end of input; line skipped",
      "x.ndjson:8:39: invalid UTF-8; line skipped",
      "x.ndjson:9:7: id: duplicate id 'W1' (first at line 1)",
      "records=9 valid=0"};
  EXPECT_EQ(out, expected);
}

}  // namespace
}  // namespace entente::model
