#pragma once

#include <optional>
#include <string>

#include "model/date.h"
#include "policy/subject_facts.h"

namespace entente::policy {

// Longest time between two reviews of a record: 3 years, 1 year for a minor.
inline constexpr int kReviewPeriodMonths = 36;
inline constexpr int kMinorReviewPeriodMonths = 12;
// A review is listed as due this many days before its deadline.
inline constexpr int kReviewNoticeDays = 30;
// A record restricted past its retention limit is erased this many days later.
inline constexpr int kErasureGraceDays = 90;

enum class ReviewState {
  kNotDue,   // the deadline is more than kReviewNoticeDays away
  kDue,      // the deadline is today or within kReviewNoticeDays, or unknown
  kOverdue,  // the deadline has passed
};

// "not_due", "due", "overdue".
std::string_view ReviewStateName(ReviewState state);

// The review period that applies on `day`: kMinorReviewPeriodMonths for a minor, else
// kReviewPeriodMonths.
int ReviewPeriodMonths(const SubjectFacts& subject, const model::PartialDate& day);

// The date of the next review of a record reviewed on `reviewed_on` (a full date): that day plus
// the review period (29 February becomes 28 February in common years).
model::PartialDate NextReviewDate(const SubjectFacts& subject,
                                  const model::PartialDate& reviewed_on);

// The day by which the record must be reviewed, seen on `today`: the earlier of its reviewDate and
// its last change plus the review period that applies today (so a minor's record written with a
// 3-year review date is still reviewed within a year). nullopt when neither is known.
std::optional<model::PartialDate> ReviewDeadline(const SubjectFacts& subject,
                                                 const model::PartialDate& today);

// Where the record's review stands on `today`. Erased records are never due; a record with no
// deadline at all is kDue. Pure.
ReviewState ReviewStateOn(const SubjectFacts& subject, const model::PartialDate& today);

enum class RetentionAction {
  kNone,
  kRestrict,  // past the retention limit: restrict it now
  kErase,     // restricted for kErasureGraceDays: erase it now (and log the erasure)
};

// "none", "restrict", "erase".
std::string_view RetentionActionName(RetentionAction action);

// The last day this node keeps a record a partner sent it, received on `received_on` (a full
// date): the record's own retention date when its owner gave one, else the review period
// that applies on reception (a minor's shorter) from that day. The copy is erased the day after
// (a partner's record is not restricted first: its owner keeps the original). Pure.
model::PartialDate ReceivedRetentionDate(const SubjectFacts& record,
                                         const model::PartialDate& received_on);

// The day a restricted record is erased: kErasureGraceDays after the later of its restriction
// (restricted_on, when known) and its retention limit. nullopt without a retention limit: a
// record restricted for another reason is never erased by the sweep.
std::optional<model::PartialDate> ErasureDate(const SubjectFacts& subject);

// What the retention sweep must do with the record on `today`: restrict an active record once
// `today` is after its retentionDate, erase a restricted one on or after ErasureDate, else
// nothing. An active record is always restricted before it is erased. Pure.
RetentionAction RetentionActionOn(const SubjectFacts& subject, const model::PartialDate& today);

}  // namespace entente::policy
