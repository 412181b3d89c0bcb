#include "policy/subject_facts.h"

#include <algorithm>
#include <array>

#include "common/check.h"

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 3> kStateNames = {"active", "restricted", "erased"};

constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

// The full date of `property` (its first value), nullopt when absent; InvalidArgument naming the
// property when the value is not YYYY-MM-DD.
Result<std::optional<model::PartialDate>> FullDate(const model::Entity& entity,
                                                   std::string_view property) {
  const std::string_view text = entity.First(property);
  if (text.empty()) return std::optional<model::PartialDate>();
  auto date = model::PartialDate::Parse(text);
  if (!date.ok() || date->precision() != model::PartialDate::Precision::kDay) {
    return InvalidArgument("subject " + entity.id + ": " + std::string(property) + " \"" +
                           std::string(text) + "\" is not a full date (expected YYYY-MM-DD)");
  }
  return std::optional<model::PartialDate>(*date);
}

// The last day of the period a possibly partial date stands for.
model::PartialDate LastDayOf(const model::PartialDate& date) {
  switch (date.precision()) {
    case model::PartialDate::Precision::kYear:
      return model::PartialDate::Day(date.year(), 12, 31);
    case model::PartialDate::Precision::kMonth:
      return model::PartialDate::Day(date.year(), date.month(),
                                     model::DaysInMonth(date.year(), date.month()));
    case model::PartialDate::Precision::kDay:
      return date;
  }
  return date;
}

}  // namespace

std::string_view RecordStateName(RecordState state) {
  return kStateNames[static_cast<size_t>(state)];
}

Result<RecordState> ParseRecordState(std::string_view text) {
  for (size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == text) return static_cast<RecordState>(i);
  }
  return InvalidArgument("\"" + std::string(text) +
                         "\" is not a record state (expected one of active, restricted, erased)");
}

Result<SubjectFacts> SubjectFactsFromEntity(const model::Entity& entity, RecordState state,
                                            std::optional<model::PartialDate> restricted_on) {
  SubjectFacts facts;
  facts.id = entity.id;
  facts.state = state;
  facts.restricted_on = restricted_on;

  if (const std::string_view owner = entity.First("ownerAgency"); !owner.empty()) {
    auto agency = AgencyId::Parse(owner);
    if (!agency.ok()) return agency.status().WithContext("subject " + entity.id + ": ownerAgency");
    facts.owner = std::move(agency).value();
  }
  for (const auto& text : entity.Values("birthDate")) {
    auto date = model::PartialDate::Parse(text);
    if (!date.ok()) return date.status().WithContext("subject " + entity.id + ": birthDate");
    facts.birth_dates.push_back(*date);
  }
  for (const auto& text : entity.Values("category")) {
    const auto category = model::ParseCategory(text);
    if (!category) {
      std::string expected;
      for (const std::string_view code : model::CategoryCodes()) {
        expected += (expected.empty() ? "" : ", ") + std::string(code);
      }
      std::string message = "subject " + entity.id + ": category \"";
      message += text;
      message += "\" is not a category (expected one of ";
      message += expected;
      message += ")";
      return InvalidArgument(std::move(message));
    }
    if (*category == model::Category::kReturningMinor) facts.returning_minor = true;
    if (std::find(facts.categories.begin(), facts.categories.end(), *category) ==
        facts.categories.end()) {
      facts.categories.push_back(*category);
    }
  }
  if (const std::string_view code = entity.First("handlingCode"); !code.empty()) {
    const auto parsed = model::ParseHandlingCode(code);
    if (!parsed) {
      return InvalidArgument("subject " + entity.id + ": handlingCode \"" + std::string(code) +
                             "\" is not a handling code (expected one of H0, H1, H2, H3)");
    }
    facts.handling_code = *parsed;
  }
  facts.handling_restriction = std::string(entity.First("handlingRestriction"));

  ENTENTE_ASSIGN_OR_RETURN(facts.review_date, FullDate(entity, "reviewDate"));
  ENTENTE_ASSIGN_OR_RETURN(facts.retention_date, FullDate(entity, "retentionDate"));
  ENTENTE_ASSIGN_OR_RETURN(auto modified, FullDate(entity, "modifiedAt"));
  ENTENTE_ASSIGN_OR_RETURN(auto created, FullDate(entity, "createdAt"));
  facts.last_change = modified ? modified : created;
  return facts;
}

bool IsMinorOn(const SubjectFacts& subject, const model::PartialDate& today) {
  ENTENTE_CHECK(today.precision() == model::PartialDate::Precision::kDay);
  if (subject.returning_minor) return true;
  for (const auto& birth : subject.birth_dates) {
    if (model::AgeOn(LastDayOf(birth), today) < kAgeOfMajority) return true;
  }
  return false;
}

model::PartialDate DayOfMicros(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  if (micros % kMicrosPerDay < 0) --days;  // floor for times before 1970
  return model::PartialDate::FromEpochDays(days);
}

}  // namespace entente::policy
