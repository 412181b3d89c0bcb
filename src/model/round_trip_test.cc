#include <sstream>

#include <gtest/gtest.h>

#include "model/csv_reader.h"
#include "model/csv_writer.h"
#include "model/entity_format.h"
#include "model/ndjson_reader.h"
#include "model/ndjson_writer.h"
#include "model/property.h"
#include "model/validation.h"

namespace entente::model {
namespace {

std::vector<Entity> Sample() {
  Entity a;
  a.id = "W0000001";
  a.Set("name", {"EL AMRANI, Mohammed", "محمد العمراني"});
  a.Set("alias", {"Abu \"Musab\" al-Baljiki", "Pipe|Name", "Back\\slash"});
  a.Set("birthDate", {"1987-03"});
  a.Set("nationality", {"BE", "MA"});
  a.Set("notes", {"line one\nline two, with comma"});
  a.Set("category", {"foreign_terrorist_fighter", "returnee"});
  a.Set("handlingCode", {"H3"});
  a.Set("handlingRestriction", {"no judicial use"});
  a.Set("link", {"associate:W0000002"});
  Entity b;
  b.id = "O1";
  b.schema = Schema::kOrganization;
  b.Set("name", {"Synthetic Cell, Alpha"});
  Entity c;
  c.id = "W0000002";
  c.Set("lastName", {"Çelik"});
  return {a, b, c};
}

std::string WriteAll(EntityFormat format, const std::vector<Entity>& entities) {
  std::vector<std::string> used;
  for (const auto& e : entities) {
    for (const auto& [name, values] : e.properties) used.push_back(name);
  }
  std::ostringstream out;
  auto writer = MakeEntityWriter(format, out, ColumnsFor(used));
  for (const auto& e : entities) EXPECT_TRUE(writer->Write(e).ok());
  EXPECT_TRUE(writer->Finish().ok());
  return out.str();
}

std::vector<Entity> ReadAll(EntityFormat format, const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeEntityReader(format, in, "mem");
  std::vector<Entity> out;
  Record record;
  Problems problems;
  while (reader->Next(&record, &problems) == ReadOutcome::kRecord) out.push_back(record.entity);
  EXPECT_TRUE(problems.empty()) << problems.front().ToString();
  return out;
}

TEST(RoundTripTest, SampleIsValid) {
  for (const auto& e : Sample()) EXPECT_TRUE(ValidateEntity(e).empty()) << e.id;
}

TEST(RoundTripTest, CsvToNdjsonToCsvIsLossless) {
  const auto entities = Sample();
  const std::string csv = WriteAll(EntityFormat::kCsv, entities);
  const auto from_csv = ReadAll(EntityFormat::kCsv, csv);
  EXPECT_EQ(from_csv, entities);
  const std::string ndjson = WriteAll(EntityFormat::kNdjson, from_csv);
  const auto from_ndjson = ReadAll(EntityFormat::kNdjson, ndjson);
  EXPECT_EQ(from_ndjson, entities);
  EXPECT_EQ(WriteAll(EntityFormat::kCsv, from_ndjson), csv);
}

// A value a spreadsheet would run as a formula is written escaped ("\=..."), and read back as it
// was; numbers and phone numbers are left as they are.
TEST(RoundTripTest, FormulasAreEscapedInCsvAndReadBackUnchanged) {
  Entity e;
  e.id = "W0000009";
  e.Set("alias", {"=HYPERLINK(\"http://x.test\",\"click\")", "@SUM(A1)", "-2+3+cmd|' /C calc'!A0",
                  "+cmd", "plain"});
  e.Set("phone", {"+32 475 12 34 56"});
  e.Set("notes", {"\\=not a formula: a backslash first"});
  const std::string csv = WriteAll(EntityFormat::kCsv, {e});
  EXPECT_NE(csv.find("\\=HYPERLINK("), std::string::npos) << csv;
  EXPECT_NE(csv.find("|\\@SUM(A1)|"), std::string::npos) << csv;
  EXPECT_NE(csv.find("|\\-2+3+cmd"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",+32 475 12 34 56"), std::string::npos) << csv;
  for (const char* line_start : {"\n=", "\n+", "\n-", "\n@", ",=", ",+c", ",-2", ",@"}) {
    EXPECT_EQ(csv.find(line_start), std::string::npos) << line_start << " in " << csv;
  }
  EXPECT_EQ(ReadAll(EntityFormat::kCsv, csv), std::vector<Entity>{e});
  EXPECT_FALSE(NeedsFormulaGuard("-3"));
  EXPECT_FALSE(NeedsFormulaGuard("Mohamed"));
  EXPECT_TRUE(NeedsFormulaGuard("=1+1"));
}

TEST(RoundTripTest, CsvWriterRefusesAPropertyWithoutColumn) {
  std::ostringstream out;
  CsvEntityWriter writer(out, {"name"});
  Entity e = Sample()[0];
  EXPECT_EQ(writer.Write(e).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.str(), "");
}

TEST(RoundTripTest, ColumnsFollowTheCatalogue) {
  EXPECT_EQ(ColumnsFor({"birthDate", "name", "link"}),
            (std::vector<std::string>{"name", "birthDate", "link"}));
}

TEST(FormatTest, ByExtension) {
  EXPECT_EQ(*FormatFromPath("a/b.CSV"), EntityFormat::kCsv);
  EXPECT_EQ(*FormatFromPath("x.jsonl"), EntityFormat::kNdjson);
  EXPECT_EQ(*FormatFromPath("x.ndjson"), EntityFormat::kNdjson);
  EXPECT_FALSE(FormatFromPath("x.xlsx").ok());
}

}  // namespace
}  // namespace entente::model
