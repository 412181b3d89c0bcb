#include "policy/retention.h"

#include <algorithm>
#include <array>

#include "common/check.h"

namespace entente::policy {
namespace {

constexpr std::array<std::string_view, 3> kReviewStateNames = {"not_due", "due", "overdue"};
constexpr std::array<std::string_view, 3> kRetentionActionNames = {"none", "restrict", "erase"};

bool IsFullDate(const model::PartialDate& date) {
  return date.precision() == model::PartialDate::Precision::kDay;
}

// `date` plus `months`, the day clamped to the end of a shorter month.
model::PartialDate AddMonths(const model::PartialDate& date, int months) {
  const int index = date.year() * 12 + (date.month() - 1) + months;
  const int year = index / 12;
  const int month = index % 12 + 1;
  return model::PartialDate::Day(year, month,
                                 std::min(date.day(), model::DaysInMonth(year, month)));
}

model::PartialDate AddDays(const model::PartialDate& date, int64_t days) {
  return model::PartialDate::FromEpochDays(date.ToEpochDays() + days);
}

}  // namespace

std::string_view ReviewStateName(ReviewState state) {
  return kReviewStateNames[static_cast<size_t>(state)];
}

std::string_view RetentionActionName(RetentionAction action) {
  return kRetentionActionNames[static_cast<size_t>(action)];
}

int ReviewPeriodMonths(const SubjectFacts& subject, const model::PartialDate& day) {
  return IsMinorOn(subject, day) ? kMinorReviewPeriodMonths : kReviewPeriodMonths;
}

model::PartialDate NextReviewDate(const SubjectFacts& subject,
                                  const model::PartialDate& reviewed_on) {
  ENTENTE_CHECK(IsFullDate(reviewed_on));
  return AddMonths(reviewed_on, ReviewPeriodMonths(subject, reviewed_on));
}

std::optional<model::PartialDate> ReviewDeadline(const SubjectFacts& subject,
                                                 const model::PartialDate& today) {
  ENTENTE_CHECK(IsFullDate(today));
  std::optional<model::PartialDate> deadline = subject.review_date;
  if (subject.last_change) {
    const model::PartialDate by_period =
        AddMonths(*subject.last_change, ReviewPeriodMonths(subject, today));
    if (!deadline || by_period.ToEpochDays() < deadline->ToEpochDays()) deadline = by_period;
  }
  return deadline;
}

ReviewState ReviewStateOn(const SubjectFacts& subject, const model::PartialDate& today) {
  if (subject.state == RecordState::kErased) return ReviewState::kNotDue;
  const auto deadline = ReviewDeadline(subject, today);
  if (!deadline) return ReviewState::kDue;
  const int64_t days_left = deadline->ToEpochDays() - today.ToEpochDays();
  if (days_left < 0) return ReviewState::kOverdue;
  if (days_left <= kReviewNoticeDays) return ReviewState::kDue;
  return ReviewState::kNotDue;
}

model::PartialDate ReceivedRetentionDate(const SubjectFacts& record,
                                         const model::PartialDate& received_on) {
  const model::PartialDate kept = AddMonths(received_on, ReviewPeriodMonths(record, received_on));
  if (record.retention_date && record.retention_date->ToEpochDays() < kept.ToEpochDays()) {
    return *record.retention_date;
  }
  return kept;
}

std::optional<model::PartialDate> ErasureDate(const SubjectFacts& subject) {
  if (!subject.retention_date) return std::nullopt;
  model::PartialDate from = *subject.retention_date;
  if (subject.restricted_on && subject.restricted_on->ToEpochDays() > from.ToEpochDays()) {
    from = *subject.restricted_on;
  }
  return AddDays(from, kErasureGraceDays);
}

RetentionAction RetentionActionOn(const SubjectFacts& subject, const model::PartialDate& today) {
  ENTENTE_CHECK(IsFullDate(today));
  if (!subject.retention_date) return RetentionAction::kNone;
  switch (subject.state) {
    case RecordState::kActive:
      return today.ToEpochDays() > subject.retention_date->ToEpochDays()
                 ? RetentionAction::kRestrict
                 : RetentionAction::kNone;
    case RecordState::kRestricted: {
      const auto erase_on = ErasureDate(subject);
      return erase_on && today.ToEpochDays() >= erase_on->ToEpochDays() ? RetentionAction::kErase
                                                                        : RetentionAction::kNone;
    }
    case RecordState::kErased:
      return RetentionAction::kNone;
  }
  return RetentionAction::kNone;
}

}  // namespace entente::policy
