#include "model/csv_reader.h"

#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "common/testing.h"
#include "model/stream_check.h"

namespace entente::model {
namespace {

// Reads and validates `content` as the file `name`; renders every problem and a summary line,
// in the format of the tests/data/model/csv/*.expected files.
std::string CheckCsv(const std::string& name, const std::string& content) {
  std::istringstream in(content);
  CsvEntityReader reader(in, name);
  auto report = CheckEntityStream(reader, name, 100, {});
  std::string out;
  for (const auto& p : report->problems) out += p.ToString() + "\n";
  out += "records=" + std::to_string(report->records) +
         " valid=" + std::to_string(report->valid_records) +
         " problems=" + std::to_string(report->problem_count) + (report->fatal ? " fatal" : "") +
         "\n";
  return out;
}

// Each tests/data/model/csv/NAME.csv is checked against NAME.expected.
TEST(CsvEntityReaderTest, CasesFromDataFiles) {
  const std::string dir = testing::TestDataPath("model/csv");
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* entry = readdir(d)) {
      std::string name = entry->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".csv") names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  ASSERT_GE(names.size(), 6u);
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const std::string stem = name.substr(0, name.size() - 4);
    const std::string expected = testing::ReadFile(dir + "/" + stem + ".expected");
    ASSERT_FALSE(expected.empty()) << "missing " << stem << ".expected";
    EXPECT_EQ(CheckCsv(name, testing::ReadFile(dir + "/" + name)), expected);
  }
}

TEST(CsvEntityReaderTest, ReadsQuotingMultiValuesAndEscapes) {
  std::istringstream in(
      "\xEF\xBB\xBFid,schema,name,alias,notes\r\n"
      "W1,Person,\"EL AMRANI, Mohammed\",Abu Musab|Mohamed  Amrani ,\"said \"\"hello\"\"\r\n"
      "on two lines\"\r\n"
      "W2,,Pipe \\| Name,a\\\\b,\r\n");
  CsvEntityReader reader(in, "x.csv");
  Record record;
  Problems problems;
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  EXPECT_EQ(record.entity.id, "W1");
  EXPECT_EQ(record.line, 2);
  EXPECT_EQ(record.entity.Values("name"), std::vector<std::string>{"EL AMRANI, Mohammed"});
  EXPECT_EQ(record.entity.Values("alias"),
            (std::vector<std::string>{"Abu Musab", "Mohamed  Amrani"}));
  EXPECT_EQ(record.entity.First("notes"), "said \"hello\"\r\non two lines");
  EXPECT_EQ(record.ColumnOf("alias"), 33);
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  EXPECT_EQ(record.line, 4);
  EXPECT_EQ(record.entity.schema, Schema::kPerson);
  EXPECT_EQ(record.entity.First("name"), "Pipe | Name");
  EXPECT_EQ(record.entity.First("alias"), "a\\b");
  EXPECT_FALSE(record.entity.Has("notes"));
  EXPECT_EQ(reader.Next(&record, &problems), ReadOutcome::kEnd);
  EXPECT_TRUE(problems.empty());
}

TEST(CsvEntityReaderTest, ColumnsCountCharactersNotBytes) {
  std::istringstream in("id,name,birthDate\nW1,Ren\xc3\xa9,1987-02-30\n");
  CsvEntityReader reader(in, "x.csv");
  auto report = CheckEntityStream(reader, "x.csv", 10, {});
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_EQ(report->problems[0].ToString(),
            "x.csv:2:9: birthDate: day 30 does not exist in February 1987");
}

TEST(CsvEntityReaderTest, LongRowIsRejectedAndReadingGoesOn) {
  std::string big(CsvEntityReader::kMaxRecordBytes + 10, 'a');
  std::istringstream in("id,name\nW1," + big + "\nW2,Ok Name\n");
  CsvEntityReader reader(in, "x.csv");
  Record record;
  Problems problems;
  EXPECT_EQ(reader.Next(&record, &problems), ReadOutcome::kBadRecord);
  ASSERT_EQ(reader.Next(&record, &problems), ReadOutcome::kRecord);
  EXPECT_EQ(record.entity.id, "W2");
  EXPECT_EQ(record.line, 3);
}

}  // namespace
}  // namespace entente::model
