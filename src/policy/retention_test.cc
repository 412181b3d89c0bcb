#include "policy/retention.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::policy {
namespace {

std::optional<model::PartialDate> MaybeDay(const std::string& text) {
  if (text == "-") return std::nullopt;
  auto date = model::PartialDate::Parse(text);
  EXPECT_TRUE(date.ok()) << text;
  return date.ok() ? std::optional<model::PartialDate>(*date) : std::nullopt;
}

model::PartialDate Day(const std::string& text) {
  return MaybeDay(text).value_or(model::PartialDate::Day(1970, 1, 1));
}

TEST(RetentionTest, SweepsFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("policy/retention.tsv"));
  ASSERT_GT(rows.size(), 20u);
  for (const auto& row : rows) {
    SCOPED_TRACE("retention.tsv:" + std::to_string(row.line) + " (" + row[9] + ")");
    SubjectFacts subject;
    subject.id = "S1";
    auto state = ParseRecordState(row[0]);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    subject.state = *state;
    subject.review_date = MaybeDay(row[1]);
    subject.retention_date = MaybeDay(row[2]);
    subject.last_change = MaybeDay(row[3]);
    subject.restricted_on = MaybeDay(row[4]);
    subject.birth_dates = {Day(row[5] == "yes" ? "2012-03-01" : "1990-05-05")};
    const model::PartialDate today = Day(row[6]);
    EXPECT_EQ(ReviewStateName(ReviewStateOn(subject, today)), row[7]);
    EXPECT_EQ(RetentionActionName(RetentionActionOn(subject, today)), row[8]);
  }
}

TEST(RetentionTest, ErasureComesExactlyAfterTheGracePeriod) {
  SubjectFacts subject;
  subject.state = RecordState::kRestricted;
  subject.retention_date = Day("2026-01-31");
  const auto erase_on = ErasureDate(subject);
  ASSERT_TRUE(erase_on.has_value());
  EXPECT_EQ(erase_on->ToEpochDays() - subject.retention_date->ToEpochDays(), kErasureGraceDays);
  const auto before = model::PartialDate::FromEpochDays(erase_on->ToEpochDays() - 1);
  EXPECT_EQ(RetentionActionOn(subject, before), RetentionAction::kNone);
  EXPECT_EQ(RetentionActionOn(subject, *erase_on), RetentionAction::kErase);
  subject.state = RecordState::kActive;
  EXPECT_EQ(RetentionActionOn(subject, *erase_on), RetentionAction::kRestrict);
}

TEST(RetentionTest, NextReviewIsShorterForMinors) {
  SubjectFacts adult;
  adult.birth_dates = {Day("1990-05-05")};
  SubjectFacts minor;
  minor.returning_minor = true;
  const auto reviewed = Day("2026-06-15");
  EXPECT_EQ(NextReviewDate(adult, reviewed), Day("2029-06-15"));
  EXPECT_EQ(NextReviewDate(minor, reviewed), Day("2027-06-15"));
  EXPECT_EQ(ReviewPeriodMonths(adult, reviewed), kReviewPeriodMonths);
  EXPECT_EQ(ReviewPeriodMonths(minor, reviewed), kMinorReviewPeriodMonths);
  EXPECT_LT(kMinorReviewPeriodMonths, kReviewPeriodMonths);
}

TEST(RetentionTest, ReceivedRecordsAreKeptForTheReviewPeriodAtMost) {
  SubjectFacts record;
  const auto received = Day("2026-12-07");
  EXPECT_EQ(ReceivedRetentionDate(record, received), Day("2029-12-07"));
  record.retention_date = Day("2027-03-01");  // its owner keeps it less long
  EXPECT_EQ(ReceivedRetentionDate(record, received), Day("2027-03-01"));
  record.retention_date = Day("2035-01-01");  // longer than this node may keep it
  EXPECT_EQ(ReceivedRetentionDate(record, received), Day("2029-12-07"));
  SubjectFacts minor;
  minor.returning_minor = true;
  EXPECT_EQ(ReceivedRetentionDate(minor, received), Day("2027-12-07"));
}

TEST(RetentionTest, NextReviewClampsToTheEndOfTheMonth) {
  SubjectFacts minor;
  minor.returning_minor = true;
  EXPECT_EQ(NextReviewDate(minor, Day("2028-02-29")), Day("2029-02-28"));
  SubjectFacts adult;
  EXPECT_EQ(NextReviewDate(adult, Day("2028-02-29")), Day("2031-02-28"));
}

TEST(RetentionTest, MinorTurningAdultGetsTheLongerPeriod) {
  SubjectFacts subject;
  subject.birth_dates = {Day("2008-06-15")};
  EXPECT_EQ(ReviewPeriodMonths(subject, Day("2026-06-14")), kMinorReviewPeriodMonths);
  EXPECT_EQ(ReviewPeriodMonths(subject, Day("2026-06-15")), kReviewPeriodMonths);
}

}  // namespace
}  // namespace entente::policy
