#include "model/date.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::model {
namespace {

std::string PrecisionName(PartialDate::Precision p) {
  switch (p) {
    case PartialDate::Precision::kYear:
      return "year";
    case PartialDate::Precision::kMonth:
      return "month";
    case PartialDate::Precision::kDay:
      return "day";
  }
  return "";
}

TEST(PartialDateTest, CasesFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("model/dates.tsv"));
  ASSERT_GT(rows.size(), 20u);
  for (const auto& row : rows) {
    SCOPED_TRACE("dates.tsv:" + std::to_string(row.line) + " '" + row[0] + "'");
    auto date = PartialDate::Parse(row[0]);
    if (row[1] == "ok") {
      ASSERT_TRUE(date.ok()) << date.status().ToString();
      EXPECT_EQ(PrecisionName(date->precision()), row[2]);
      EXPECT_EQ(date->ToString(), row[0]);  // round trip
    } else {
      ASSERT_FALSE(date.ok());
      EXPECT_NE(date.status().message().find(row[2]), std::string::npos) << date.status().message();
    }
  }
}

TEST(PartialDateTest, EpochDaysRoundTrip) {
  for (int64_t d = -200000; d < 200000; d += 97) {
    EXPECT_EQ(PartialDate::FromEpochDays(d).ToEpochDays(), d);
  }
  EXPECT_EQ(PartialDate::Day(1970, 1, 1).ToEpochDays(), 0);
  EXPECT_EQ(PartialDate::Day(2000, 3, 1).ToEpochDays(), 11017);
}

TEST(PartialDateTest, ContainsAtItsPrecision) {
  const auto day = PartialDate::Day(1987, 3, 14);
  EXPECT_TRUE(PartialDate::Year(1987).Contains(day));
  EXPECT_TRUE(PartialDate::YearMonth(1987, 3).Contains(day));
  EXPECT_FALSE(PartialDate::YearMonth(1987, 4).Contains(day));
  EXPECT_FALSE(PartialDate::Day(1987, 3, 15).Contains(day));
}

TEST(PartialDateTest, AgeCountsBirthdays) {
  const auto on = PartialDate::Day(2026, 12, 1);
  EXPECT_EQ(AgeOn(PartialDate::Day(2008, 12, 1), on), 18);
  EXPECT_EQ(AgeOn(PartialDate::Day(2008, 12, 2), on), 17);
  EXPECT_EQ(AgeOn(PartialDate::Year(2009), on), 17);
}

TEST(PartialDateTest, LeapYears) {
  EXPECT_TRUE(IsLeapYear(2000));
  EXPECT_FALSE(IsLeapYear(1900));
  EXPECT_TRUE(IsLeapYear(2024));
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
}

}  // namespace
}  // namespace entente::model
