#include "model/date.h"

#include <array>

#include "common/check.h"

namespace entente::model {
namespace {

constexpr int kMinYear = 1000;
constexpr int kMaxYear = 2999;

constexpr std::array<std::string_view, 13> kMonthNames = {
    "",     "January", "February",  "March",   "April",    "May",     "June",
    "July", "August",  "September", "October", "November", "December"};

bool ParseDigits(std::string_view s, int* out) {
  if (s.empty()) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void Pad(std::string& out, int value, int width) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

}  // namespace

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 13> kDays = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  ENTENTE_CHECK(month >= 1 && month <= 12);
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month];
}

Result<PartialDate> PartialDate::Parse(std::string_view text) {
  const std::string expected = " (expected YYYY, YYYY-MM or YYYY-MM-DD)";
  if (text.empty()) return InvalidArgument("empty date" + expected);
  int year = 0;
  if (text.size() < 4 || !ParseDigits(text.substr(0, 4), &year) ||
      (text.size() > 4 && text[4] != '-')) {
    return InvalidArgument("'" + std::string(text) + "' is not a date" + expected);
  }
  if (year < kMinYear || year > kMaxYear) {
    return InvalidArgument("year " + std::to_string(year) + " is outside 1000-2999");
  }
  if (text.size() == 4) return Year(year);
  int month = 0;
  if (text.size() < 7 || !ParseDigits(text.substr(5, 2), &month) ||
      (text.size() > 7 && text[7] != '-')) {
    return InvalidArgument("'" + std::string(text) + "' is not a date" + expected);
  }
  if (month < 1 || month > 12) {
    return InvalidArgument("month " + std::to_string(month) + " is not 1-12");
  }
  if (text.size() == 7) return YearMonth(year, month);
  int day = 0;
  if (text.size() != 10 || !ParseDigits(text.substr(8, 2), &day)) {
    return InvalidArgument("'" + std::string(text) + "' is not a date" + expected);
  }
  if (day < 1 || day > DaysInMonth(year, month)) {
    if (day >= 1 && day <= 31) {
      return InvalidArgument("day " + std::to_string(day) + " does not exist in " +
                             std::string(kMonthNames[month]) + " " + std::to_string(year));
    }
    return InvalidArgument("day " + std::to_string(day) + " is not 1-31");
  }
  return Day(year, month, day);
}

PartialDate PartialDate::Year(int year) {
  ENTENTE_CHECK(year >= kMinYear && year <= kMaxYear);
  return PartialDate(year, 0, 0, Precision::kYear);
}

PartialDate PartialDate::YearMonth(int year, int month) {
  ENTENTE_CHECK(year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12);
  return PartialDate(year, month, 0, Precision::kMonth);
}

PartialDate PartialDate::Day(int year, int month, int day) {
  ENTENTE_CHECK(year >= kMinYear && year <= kMaxYear && month >= 1 && month <= 12);
  ENTENTE_CHECK(day >= 1 && day <= DaysInMonth(year, month));
  return PartialDate(year, month, day, Precision::kDay);
}

std::string PartialDate::ToString() const {
  std::string out;
  out.reserve(10);
  Pad(out, year_, 4);
  if (precision_ == Precision::kYear) return out;
  out += '-';
  Pad(out, month_, 2);
  if (precision_ == Precision::kMonth) return out;
  out += '-';
  Pad(out, day_, 2);
  return out;
}

int64_t PartialDate::ToEpochDays() const {
  return DaysFromCivil(year_, month_ == 0 ? 1 : month_, day_ == 0 ? 1 : day_);
}

PartialDate PartialDate::FromEpochDays(int64_t days) {
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  return Day(y, m, d);
}

bool PartialDate::Contains(const PartialDate& other) const {
  if (year_ != other.year_) return false;
  if (precision_ == Precision::kYear) return true;
  if (month_ != other.month_) return false;
  if (precision_ == Precision::kMonth) return true;
  return day_ == other.day_;
}

int AgeOn(const PartialDate& birth, const PartialDate& on) {
  const int bm = birth.month() == 0 ? 1 : birth.month();
  const int bd = birth.day() == 0 ? 1 : birth.day();
  int age = on.year() - birth.year();
  if (on.month() < bm || (on.month() == bm && on.day() < bd)) --age;
  return age;
}

}  // namespace entente::model
