#include "common/time_format.h"

#include <fmt/format.h>

#include <charconv>

namespace entente {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);
}

bool Digits(std::string_view text, size_t at, size_t n, int* out) {
  if (at + n > text.size()) return false;
  int value = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

int DaysInMonth(int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::string FormatIsoTime(int64_t micros, bool millis) {
  const int64_t seconds = FloorDiv(micros, kMicrosPerSecond);
  const int64_t days = FloorDiv(seconds, kSecondsPerDay);
  const int64_t in_day = seconds - days * kSecondsPerDay;
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", y, m, d, in_day / 3600,
                                (in_day / 60) % 60, in_day % 60);
  if (millis) out += fmt::format(".{:03}", (micros - seconds * kMicrosPerSecond) / 1000);
  return out + "Z";
}

Result<int64_t> ParseIsoTime(std::string_view text, std::string_view field) {
  auto bad = [&] {
    return InvalidArgument(std::string(field) + " \"" + std::string(text) +
                           "\": expected an ISO 8601 time with its zone, e.g. "
                           "2026-12-07T09:30:00Z or 2026-12-07T10:30:00+01:00, or a date "
                           "2026-12-07");
  };
  int year = 0, month = 0, day = 0;
  if (!Digits(text, 0, 4, &year) || text.size() < 10 || text[4] != '-' ||
      !Digits(text, 5, 2, &month) || text[7] != '-' || !Digits(text, 8, 2, &day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return bad();
  int64_t seconds = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) *
                    kSecondsPerDay;
  if (text.size() == 10) return seconds * kMicrosPerSecond;
  int hour = 0, minute = 0, second = 0;
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !Digits(text, 11, 2, &hour) ||
      text.size() < 19 || text[13] != ':' || !Digits(text, 14, 2, &minute) || text[16] != ':' ||
      !Digits(text, 17, 2, &second) || hour > 23 || minute > 59 || second > 59) {
    return bad();
  }
  seconds += hour * 3600 + minute * 60 + second;
  size_t at = 19;
  int64_t fraction = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    int64_t scale = 100'000;
    const size_t start = at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      fraction += (text[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return bad();
  }
  if (at >= text.size()) return bad();  // no zone
  if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) {
    return seconds * kMicrosPerSecond + fraction;
  }
  int off_hour = 0, off_minute = 0;
  if ((text[at] != '+' && text[at] != '-') || text.size() != at + 6 ||
      !Digits(text, at + 1, 2, &off_hour) || text[at + 3] != ':' ||
      !Digits(text, at + 4, 2, &off_minute) || off_hour > 23 || off_minute > 59) {
    return bad();
  }
  const int64_t offset = off_hour * 3600 + off_minute * 60;
  seconds += text[at] == '+' ? -offset : offset;
  return seconds * kMicrosPerSecond + fraction;
}

}  // namespace entente
