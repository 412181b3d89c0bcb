#include "match/national_number.h"

#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "common/testing.h"
#include "match/comparison.h"
#include "match/fs_model.h"
#include "match/identity.h"

namespace entente::match {
namespace {

TEST(NationalNumberTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/national_numbers.tsv"));
  ASSERT_GE(rows.size(), 10u);
  for (const auto& row : rows) {
    const NationalNumberReading reading = ReadNationalNumber(NormalizeDocument(row[0]));
    const std::string where =
        "national_numbers.tsv:" + std::to_string(row.line) + " (" + row[3] + ")";
    EXPECT_EQ(reading.birth ? reading.birth->ToString() : "-", row[1]) << where;
    EXPECT_EQ(reading.gender == 0 ? "-" : std::string(1, reading.gender), row[2]) << where;
  }
}

// A record that does not say when its person was born, or their gender, takes them from its
// national number; one that does keeps its own.
TEST(NationalNumberTest, ACompiledIdentityReadsItsNationalNumber) {
  model::Entity e;
  e.id = "P";
  e.Add("name", "Karim Benali");
  e.Add("idNumber", "85.03.14-123.02");
  const Identity read = CompileIdentity(e);
  ASSERT_EQ(read.births.size(), 1u);
  EXPECT_EQ(read.births[0].ToString(), "1985-03-14");
  EXPECT_EQ(read.gender, 'm');
  EXPECT_EQ(read.from_number, Identity::kBirthFromNumber | Identity::kGenderFromNumber);

  // An analyst sees where the evidence came from: compared with a record that states them.
  model::Entity listed;
  listed.id = "L";
  listed.Add("name", "Karim Benali");
  listed.Add("birthDate", "1985-03-14");
  listed.Add("gender", "male");
  const std::string explained =
      DefaultModel().Explain(CompareIdentities(read, CompileIdentity(listed)));
  EXPECT_TRUE(std::regex_search(
      explained, std::regex(R"(birthDate=exact[+-][0-9.]+ \(read from an identity number\) )")))
      << explained;
  EXPECT_TRUE(std::regex_search(
      explained, std::regex(R"(gender=agree[+-][0-9.]+ \(read from an identity number\) )")))
      << explained;

  e.Add("birthDate", "1986");
  e.Add("gender", "female");
  const Identity own = CompileIdentity(e);
  ASSERT_EQ(own.births.size(), 1u);
  EXPECT_EQ(own.births[0].ToString(), "1986");
  EXPECT_EQ(own.gender, 'f');
  EXPECT_EQ(own.from_number, 0);
  EXPECT_EQ(
      DefaultModel().Explain(CompareIdentities(own, CompileIdentity(listed))).find("read from"),
      std::string::npos);

  // A passport number is not read, whatever its digits.
  model::Entity p;
  p.id = "Q";
  p.Add("name", "Karim Benali");
  p.Add("passportNumber", "85031412302");
  EXPECT_TRUE(CompileIdentity(p).births.empty());
}

}  // namespace
}  // namespace entente::match
