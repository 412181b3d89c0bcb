#include "policy/subject_facts.h"

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente::policy {
namespace {

model::PartialDate Day(const std::string& text) {
  auto date = model::PartialDate::Parse(text);
  EXPECT_TRUE(date.ok()) << text;
  return date.ok() ? *date : model::PartialDate::Day(1970, 1, 1);
}

TEST(SubjectFactsTest, MinorsFromDataFile) {
  const auto rows = testing::ReadTsv(testing::TestDataPath("policy/minors.tsv"));
  ASSERT_GT(rows.size(), 15u);
  for (const auto& row : rows) {
    SCOPED_TRACE("minors.tsv:" + std::to_string(row.line) + " (" + row[4] + ")");
    model::Entity entity;
    entity.id = "S1";
    if (row[0] != "-") {
      std::string_view rest = row[0];
      while (!rest.empty()) {
        const size_t bar = rest.find('|');
        entity.Add("birthDate", std::string(rest.substr(0, bar)));
        rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      }
    }
    if (row[1] != "-") entity.Add("category", row[1]);
    auto facts = SubjectFactsFromEntity(entity);
    ASSERT_TRUE(facts.ok()) << facts.status().ToString();
    EXPECT_EQ(IsMinorOn(*facts, Day(row[2])), row[3] == "yes");
  }
}

TEST(SubjectFactsTest, ReadsTheRegisterProperties) {
  model::Entity entity;
  entity.id = "W0000042";
  entity.Add("ownerAgency", "be/intelligence");
  entity.Add("handlingCode", "H3");
  entity.Add("handlingRestriction", "not for visa decisions");
  entity.Add("reviewDate", "2027-01-31");
  entity.Add("retentionDate", "2031-01-31");
  entity.Add("createdAt", "2024-01-02");
  entity.Add("modifiedAt", "2025-03-04");
  entity.Add("category", "returnee");
  auto facts = SubjectFactsFromEntity(entity, RecordState::kRestricted, Day("2026-01-01"));
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->id, "W0000042");
  ASSERT_TRUE(facts->owner.has_value());
  EXPECT_EQ(facts->owner->ToString(), "BE/intelligence");
  EXPECT_EQ(facts->handling_code, model::HandlingCode::kH3);
  EXPECT_EQ(facts->handling_restriction, "not for visa decisions");
  EXPECT_EQ(facts->review_date, Day("2027-01-31"));
  EXPECT_EQ(facts->retention_date, Day("2031-01-31"));
  EXPECT_EQ(facts->last_change, Day("2025-03-04"));
  EXPECT_EQ(facts->state, RecordState::kRestricted);
  EXPECT_EQ(facts->restricted_on, Day("2026-01-01"));
  EXPECT_FALSE(facts->returning_minor);

  entity.Set("modifiedAt", {});
  facts = SubjectFactsFromEntity(entity);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->last_change, Day("2024-01-02"));
}

TEST(SubjectFactsTest, DefaultsWhenPropertiesAreAbsent) {
  model::Entity entity;
  entity.id = "S1";
  auto facts = SubjectFactsFromEntity(entity);
  ASSERT_TRUE(facts.ok());
  EXPECT_FALSE(facts->owner.has_value());
  EXPECT_EQ(facts->handling_code, kDefaultHandlingCode);
  EXPECT_FALSE(facts->review_date.has_value());
  EXPECT_FALSE(facts->retention_date.has_value());
  EXPECT_FALSE(facts->last_change.has_value());
  EXPECT_EQ(facts->state, RecordState::kActive);
}

TEST(SubjectFactsTest, BadValuesNameThePropertyAndValue) {
  const std::pair<std::string, std::string> cases[] = {
      {"ownerAgency", "BE-police"}, {"ownerAgency", "BE/army"}, {"handlingCode", "H4"},
      {"reviewDate", "2027"},       {"retentionDate", "soon"},  {"birthDate", "1990-13"},
  };
  for (const auto& [property, value] : cases) {
    model::Entity entity;
    entity.id = "S9";
    entity.Add(property, value);
    auto facts = SubjectFactsFromEntity(entity);
    ASSERT_FALSE(facts.ok()) << property << "=" << value;
    EXPECT_EQ(facts.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(facts.status().message().find(property), std::string::npos)
        << facts.status().message();
    EXPECT_NE(facts.status().message().find("S9"), std::string::npos) << facts.status().message();
  }
}

TEST(SubjectFactsTest, DayOfMicrosFloorsToTheUtcDay) {
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  EXPECT_EQ(DayOfMicros(0), Day("1970-01-01"));
  EXPECT_EQ(DayOfMicros(kDay - 1), Day("1970-01-01"));
  EXPECT_EQ(DayOfMicros(kDay), Day("1970-01-02"));
  EXPECT_EQ(DayOfMicros(-1), Day("1969-12-31"));
  EXPECT_EQ(DayOfMicros(Day("2026-06-15").ToEpochDays() * kDay + kDay / 2), Day("2026-06-15"));
}

TEST(SubjectFactsTest, RecordStateNamesRoundTrip) {
  for (const RecordState state :
       {RecordState::kActive, RecordState::kRestricted, RecordState::kErased}) {
    EXPECT_EQ(*ParseRecordState(RecordStateName(state)), state);
  }
  EXPECT_FALSE(ParseRecordState("deleted").ok());
}

}  // namespace
}  // namespace entente::policy
