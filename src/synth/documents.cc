#include "synth/documents.h"

#include <array>
#include <cstdint>

namespace entente::synth {
namespace {

void AppendDigits(std::string& out, Rng& rng, int count) {
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + rng.Below(10));
}

void AppendLetters(std::string& out, Rng& rng, int count) {
  for (int i = 0; i < count; ++i) out += static_cast<char>('A' + rng.Below(26));
}

void AppendPadded(std::string& out, uint64_t value, int width) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

uint64_t ParseDigits(std::string_view digits) {
  uint64_t v = 0;
  for (char c : digits) v = v * 10 + static_cast<uint64_t>(c - '0');
  return v;
}

bool IsLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Inserts `sep` into `digits` after each group size in `groups` (the last group takes the rest).
std::string Group(std::string_view digits, std::initializer_list<size_t> groups,
                  std::string_view sep) {
  std::string out;
  size_t pos = 0;
  for (size_t g : groups) {
    if (pos >= digits.size()) break;
    if (pos > 0) out += sep;
    out += digits.substr(pos, g);
    pos += g;
  }
  if (pos < digits.size()) {
    if (pos > 0) out += sep;
    out += digits.substr(pos);
  }
  return out;
}

constexpr std::string_view kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

}  // namespace

std::string MakePassportNumber(std::string_view country, Rng& rng) {
  std::string out;
  if (country == "FR") {
    AppendDigits(out, rng, 2);
    AppendLetters(out, rng, 2);
    AppendDigits(out, rng, 5);
  } else if (country == "ES") {
    AppendLetters(out, rng, 3);
    AppendDigits(out, rng, 6);
  } else if (country == "MA" || country == "NL") {
    AppendLetters(out, rng, 2);
    AppendDigits(out, rng, 7);
  } else if (country == "DZ" || country == "RU") {
    AppendDigits(out, rng, 9);
  } else if (country == "TR") {
    out += 'U';
    AppendDigits(out, rng, 8);
  } else if (country == "SY") {
    out += 'N';
    AppendDigits(out, rng, 9);
  } else if (country == "IQ") {
    out += 'A';
    AppendDigits(out, rng, 8);
  } else {
    AppendLetters(out, rng, 2);
    AppendDigits(out, rng, 6);
  }
  return out;
}

std::string FormatDocumentNumber(std::string_view canonical, Rng* variation) {
  if (variation == nullptr) return std::string(canonical);
  size_t letters = 0;
  while (letters < canonical.size() && IsLetter(canonical[letters])) ++letters;
  const std::string_view head = canonical.substr(0, letters);
  const std::string_view tail = canonical.substr(letters);
  std::string out;
  switch (variation->Below(8)) {
    case 0:
    case 1:
    case 2:
      return std::string(canonical);
    case 3:  // EM 123 456
      out = std::string(head);
      if (!head.empty()) out += ' ';
      out += Group(tail, {3, 3}, " ");
      return out;
    case 4:  // em-123456
      for (char c : head) out += Lower(c);
      if (!head.empty()) out += '-';
      out += tail;
      return out;
    case 5:  // EM-123456
      out = std::string(head);
      if (!head.empty()) out += '-';
      out += tail;
      return out;
    case 6:  // EM 123456
      out = std::string(head);
      if (!head.empty()) out += ' ';
      out += tail;
      return out;
    default:  // em123456
      for (char c : canonical) out += Lower(c);
      return out;
  }
}

std::string BelgianNationalNumber(const model::PartialDate& birth, bool male, Rng& rng) {
  std::string out;
  AppendPadded(out, static_cast<uint64_t>(birth.year() % 100), 2);
  AppendPadded(out, static_cast<uint64_t>(birth.month()), 2);
  AppendPadded(out, static_cast<uint64_t>(birth.day()), 2);
  // 001-997: odd for men, even for women.
  uint64_t sequence = 1 + 2 * rng.Below(498);
  if (!male) sequence += 1;
  AppendPadded(out, sequence, 3);
  uint64_t base = ParseDigits(out);
  if (birth.year() >= 2000) base += 2000000000ULL;
  AppendPadded(out, 97 - base % 97, 2);
  return out;
}

bool IsValidBelgianNationalNumber(std::string_view digits) {
  if (digits.size() != 11) return false;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
  }
  const uint64_t base = ParseDigits(digits.substr(0, 9));
  const uint64_t check = ParseDigits(digits.substr(9));
  return check == 97 - base % 97 || check == 97 - (base + 2000000000ULL) % 97;
}

std::string FrenchNir(const model::PartialDate& birth, bool male, bool born_abroad, Rng& rng) {
  static constexpr std::array<std::string_view, 8> kDepartments = {"75", "93", "13", "69",
                                                                   "59", "92", "94", "31"};
  static constexpr std::array<std::string_view, 6> kCountries = {"350", "352", "351",
                                                                 "131", "208", "203"};
  std::string out = male ? "1" : "2";
  AppendPadded(out, static_cast<uint64_t>(birth.year() % 100), 2);
  AppendPadded(out, static_cast<uint64_t>(birth.month()), 2);
  if (born_abroad) {
    out += "99";
    out += kCountries[rng.Below(kCountries.size())];
  } else {
    out += kDepartments[rng.Below(kDepartments.size())];
    AppendPadded(out, 1 + rng.Below(120), 3);
  }
  AppendPadded(out, 1 + rng.Below(999), 3);
  AppendPadded(out, 97 - ParseDigits(out) % 97, 2);
  return out;
}

std::string SpanishDocumentNumber(bool national, Rng& rng) {
  std::string out;
  uint64_t value;
  if (national) {
    AppendDigits(out, rng, 8);
    value = ParseDigits(out);
  } else {
    const uint64_t prefix = rng.Below(2);  // X = 0, Y = 1
    out += prefix == 0 ? 'X' : 'Y';
    std::string digits;
    AppendDigits(digits, rng, 7);
    out += digits;
    value = prefix * 10000000ULL + ParseDigits(digits);
  }
  out += kDniLetters[value % 23];
  return out;
}

std::string MoroccanCin(Rng& rng) {
  std::string out;
  AppendLetters(out, rng, rng.Chance(0.7) ? 2 : 1);
  AppendDigits(out, rng, rng.Chance(0.8) ? 6 : 5);
  return out;
}

std::string MakeNationalNumber(std::string_view country, const model::PartialDate& birth, bool male,
                               bool national, Rng& rng) {
  if (country == "BE") return BelgianNationalNumber(birth, male, rng);
  if (country == "FR") return FrenchNir(birth, male, !national || rng.Chance(0.3), rng);
  if (country == "ES") return SpanishDocumentNumber(national, rng);
  return MoroccanCin(rng);
}

std::string FormatNationalNumber(std::string_view country, std::string_view canonical,
                                 Rng* variation) {
  if (variation == nullptr) return std::string(canonical);
  const uint64_t form = variation->Below(4);
  if (form == 0) return std::string(canonical);
  if (country == "BE" && canonical.size() == 11) {
    const std::string_view d = canonical;
    if (form == 1) {  // 85.03.14-123.45
      return std::string(d.substr(0, 2)) + "." + std::string(d.substr(2, 2)) + "." +
             std::string(d.substr(4, 2)) + "-" + std::string(d.substr(6, 3)) + "." +
             std::string(d.substr(9, 2));
    }
    if (form == 2) return Group(d, {6, 3, 2}, "-");  // 850314-123-45
    return Group(d, {2, 2, 2, 3, 2}, " ");           // 85 03 14 123 45
  }
  if (country == "FR" && canonical.size() == 15) {
    if (form == 1) return Group(canonical, {1, 2, 2, 2, 3, 3, 2}, " ");
    return Group(canonical, {13, 2}, " ");
  }
  if (country == "ES" && canonical.size() == 9) {
    const bool nie = IsLetter(canonical[0]);
    if (nie) {
      if (form == 1) return Group(canonical, {1, 7, 1}, "-");  // X-1234567-L
      return Group(canonical, {8, 1}, "-");
    }
    if (form == 1) {  // 12.345.678-Z
      return Group(canonical.substr(0, 8), {2, 3, 3}, ".") + "-" + std::string(canonical.substr(8));
    }
    return Group(canonical, {8, 1}, "-");  // 12345678-Z
  }
  return FormatDocumentNumber(canonical, variation);
}

std::string MakeMobileNumber(std::string_view country, Rng& rng) {
  std::string out;
  if (country == "BE") {
    out = "4";
    out += static_cast<char>('7' + rng.Below(3));
    AppendDigits(out, rng, 7);
  } else {
    out = rng.Chance(0.8) ? "6" : "7";
    AppendDigits(out, rng, 8);
  }
  return out;
}

std::string FormatPhone(std::string_view country, std::string_view national, Rng* variation) {
  const std::string_view code = country == "BE"   ? "32"
                                : country == "FR" ? "33"
                                : country == "ES" ? "34"
                                                  : "212";
  const std::string plus = "+" + std::string(code);
  if (variation == nullptr) return plus + std::string(national);
  std::string trunk = country == "ES" ? std::string(national) : "0" + std::string(national);
  switch (variation->Below(6)) {
    case 0:
      return plus + std::string(national);
    case 1:
      return "00" + std::string(code) + std::string(national);
    case 2:  // international, spaced
      if (country == "BE") return plus + " " + Group(national, {3, 2, 2, 2}, " ");
      if (country == "ES") return plus + " " + Group(national, {3, 3, 3}, " ");
      return plus + " " + Group(national, {1, 2, 2, 2, 2}, " ");
    case 3:  // national, spaced
      if (country == "BE") return Group(trunk, {4, 2, 2, 2}, " ");
      if (country == "ES") return Group(trunk, {3, 2, 2, 2}, " ");
      return Group(trunk, {2, 2, 2, 2, 2}, " ");
    case 4:  // national, the country's punctuation
      if (country == "BE") {
        return trunk.substr(0, 4) + "/" + Group(std::string_view(trunk).substr(4), {2, 2, 2}, ".");
      }
      if (country == "FR") return Group(trunk, {2, 2, 2, 2, 2}, ".");
      if (country == "MA") return trunk.substr(0, 4) + "-" + trunk.substr(4);
      return trunk;
    default:
      return trunk;
  }
}

}  // namespace entente::synth
