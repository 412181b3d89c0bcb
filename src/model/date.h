#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace entente::model {

// A date as registers hold it: year only, year and month, or a full day
// ("1987", "1987-03", "1987-03-14"). Proleptic Gregorian, years 1000-2999. A value type.
class PartialDate {
 public:
  enum class Precision { kYear, kMonth, kDay };

  // Parses the ISO forms above. Fails with InvalidArgument and a reason a person can act on
  // ("day 30 does not exist in February 2019") for anything else.
  static Result<PartialDate> Parse(std::string_view text);
  // Builds a date; the parts must be valid (ENTENTE_CHECK).
  static PartialDate Year(int year);
  static PartialDate YearMonth(int year, int month);
  static PartialDate Day(int year, int month, int day);

  int year() const { return year_; }
  int month() const { return month_; }  // 0 when precision is kYear
  int day() const { return day_; }      // 0 unless precision is kDay
  Precision precision() const { return precision_; }

  // The ISO form at the date's own precision.
  std::string ToString() const;

  // Days since 1970-01-01 for a full date; the first day of the period otherwise.
  int64_t ToEpochDays() const;
  static PartialDate FromEpochDays(int64_t days);

  // Whether a fully known `other` falls inside this possibly partial date.
  bool Contains(const PartialDate& other) const;

  friend bool operator==(const PartialDate&, const PartialDate&) = default;

 private:
  PartialDate(int year, int month, int day, Precision precision)
      : year_(year), month_(month), day_(day), precision_(precision) {}
  int year_ = 0;
  int month_ = 0;
  int day_ = 0;
  Precision precision_ = Precision::kYear;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

// Age in whole years on `on` of a person born on `birth` (a partial birth date counts from the
// first day of its period, so the age is the largest it can be). Both must be known to the day
// for `on`.
int AgeOn(const PartialDate& birth, const PartialDate& on);

}  // namespace entente::model
