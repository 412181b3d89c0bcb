#include "match/phone.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::match {
namespace {

TEST(PhoneTest, NormalisesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("match/phones.tsv"));
  ASSERT_GE(rows.size(), 8u);
  for (const auto& row : rows) {
    EXPECT_EQ(NormalizePhone(row[0], row[1]), row[2]) << "line " << row.line << ": " << row[3];
  }
}

TEST(PhoneTest, SameNumberInAnyFormAndCountry) {
  const std::string international = NormalizePhone("+32 470 12 34 56", "");
  EXPECT_TRUE(SamePhone(international, NormalizePhone("0470 12 34 56", "BE")));
  EXPECT_TRUE(SamePhone(international, NormalizePhone("0470 12 34 56", "")))
      << "a national form without a country still meets its number";
  EXPECT_FALSE(SamePhone(international, NormalizePhone("+33 4 70 12 34 56", "")))
      << "the same digits in another country are another number";
  EXPECT_FALSE(SamePhone(international, NormalizePhone("+32 470 12 34 57", "")));
  EXPECT_EQ(PhoneKey(international), "470123456");
}

}  // namespace
}  // namespace entente::match
