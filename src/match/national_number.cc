#include "match/national_number.h"

#include <cstdint>
#include <string>

namespace entente::match {
namespace {

// The value of `digits` when all are decimal digits.
std::optional<uint64_t> Digits(std::string_view digits) {
  uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// A Turkish identity number (TC kimlik): 11 digits too, the first not 0, the tenth and the
// eleventh two checks of the others. One in fifty would pass the Belgian check by chance.
bool IsTurkishIdentityNumber(std::string_view n) {
  if (n.size() != 11 || n[0] == '0') return false;
  int odd = 0;
  int even = 0;
  int all = 0;
  for (size_t i = 0; i < 9; ++i) {
    const int d = n[i] - '0';
    (i % 2 == 0 ? odd : even) += d;
    all += d;
  }
  const int tenth = n[9] - '0';
  return tenth == ((odd * 7 - even) % 10 + 10) % 10 && n[10] - '0' == (all + tenth) % 10;
}

NationalNumberReading ReadBelgian(std::string_view number) {
  NationalNumberReading reading;
  const auto base = Digits(number.substr(0, 9));
  const auto check = Digits(number.substr(9, 2));
  if (!base || !check || IsTurkishIdentityNumber(number)) return reading;
  constexpr uint64_t kBornFrom2000 = 2'000'000'000;
  const bool nineteen = *check == 97 - *base % 97;
  const bool twenty = *check == 97 - (*base + kBornFrom2000) % 97;
  if (!nineteen && !twenty) return reading;
  const auto yy = static_cast<int>(*base / 10'000'000);
  int month = static_cast<int>(*base / 100'000 % 100);
  const auto day = static_cast<int>(*base / 1'000 % 100);
  const auto serial = static_cast<int>(*base % 1'000);
  bool gender_known = true;
  if (month > 40) {
    month -= 40;
  } else if (month > 20) {
    month -= 20;
    gender_known = false;
  }
  if (month > 12) return reading;
  if (gender_known) reading.gender = serial % 2 == 1 ? 'm' : 'f';
  if (nineteen == twenty) return reading;  // both checks hold: the century is not told
  const int year = (twenty ? 2000 : 1900) + yy;
  if (month == 0) {
    reading.birth = model::PartialDate::Year(year);
  } else if (day == 0) {
    reading.birth = model::PartialDate::YearMonth(year, month);
  } else if (day <= model::DaysInMonth(year, month)) {
    reading.birth = model::PartialDate::Day(year, month, day);
  }
  return reading;
}

NationalNumberReading ReadFrench(std::string_view number) {
  NationalNumberReading reading;
  if (number[0] != '1' && number[0] != '2') return reading;
  std::string digits(number.substr(0, 13));
  // The département (symbols 6 and 7): Corsica's, 2A and 2B, count as 19 and 18 in the key.
  if (digits[6] == 'A' || digits[6] == 'B') {
    if (digits[5] != '2') return reading;
    digits[5] = '1';
    digits[6] = digits[6] == 'A' ? '9' : '8';
  }
  const auto base = Digits(digits);
  const auto key = Digits(number.substr(13, 2));
  if (!base || !key || *key != 97 - *base % 97) return reading;
  reading.gender = number[0] == '1' ? 'm' : 'f';
  return reading;
}

}  // namespace

NationalNumberReading ReadNationalNumber(std::string_view number) {
  if (number.size() == 11) return ReadBelgian(number);
  if (number.size() == 15) return ReadFrench(number);
  return {};
}

}  // namespace entente::match
