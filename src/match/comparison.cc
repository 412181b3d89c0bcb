#include "match/comparison.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <span>

#include "match/jaro_winkler.h"
#include "match/levenshtein.h"
#include "match/phone.h"
#include "text/phonetic.h"

namespace entente::match {
namespace {

using model::PartialDate;

constexpr std::array<std::string_view, 7> kNameLevels = {"null",    "exact", "very_close", "close",
                                                         "similar", "weak",  "different"};
constexpr std::array<std::string_view, 13> kBirthLevels = {"null",
                                                           "exact",
                                                           "partial_month",
                                                           "partial_year",
                                                           "day_month_swapped",
                                                           "january_first_placeholder",
                                                           "year_off_by_one",
                                                           "one_edit",
                                                           "same_year_month",
                                                           "within_month",
                                                           "same_year",
                                                           "near_year",
                                                           "different"};
constexpr std::array<std::string_view, 3> kAgreeLevels = {"null", "agree", "disagree"};
constexpr std::array<std::string_view, 4> kDocumentLevels = {"null", "exact", "one_typo",
                                                             "different"};
constexpr std::array<std::string_view, 4> kAddressLevels = {"null", "same", "partly_same",
                                                            "different"};
constexpr std::array<std::string_view, 4> kEmailLevels = {"null", "exact", "same_user",
                                                          "different"};
constexpr std::array<std::string_view, 3> kWeakAliasLevels = {"null", "same", "different"};

constexpr double kSharedKeySimilarity = 0.93;
constexpr double kUnvowelledSharedKeySimilarity = 0.96;
// Below this spelling similarity a shared key is a coincidence (Caron, Guerin: KRN).
constexpr double kSharedKeyMinSpelling = 0.8;
constexpr double kUnpairedTokenWeight = 0.15;
// A name is as strong as its weakest aligned token: two brothers share a long surname.
constexpr double kWeakestTokenPenalty = 0.5;
// Two noms de guerre this similar are the same.
constexpr double kSameWeakAlias = 0.92;

// Two spellings whose readings of j, y, dj and kh (text::GlideReading) are this close are as
// similar as their readings, up to the similarity of two unvowelled spellings that share a key: the
// same name in another orthography, not the same spelling.
constexpr double kGlideReadingMaxSimilarity = kUnvowelledSharedKeySimilarity;
constexpr double kGlideReadingMinSpelling = 0.9;
// Below this spelling similarity, no reading of those letters brings two tokens together.
constexpr double kGlideReadingFloor = 0.7;

// The similarity of two spellings read that way, 0 when neither holds such a letter.
double GlideReadingSimilarity(std::string_view a, std::string_view b) {
  std::array<char, 64> ra{};
  std::array<char, 64> rb{};
  if (!text::HoldsGlide(a) && !text::HoldsGlide(b)) return 0;
  const size_t na = text::GlideReading(a, ra);
  const size_t nb = text::GlideReading(b, rb);
  return JaroWinkler(std::string_view(ra.data(), na), std::string_view(rb.data(), nb));
}

// Whether two tokens share a phonetic key of three classes or more (fewer say little: Mahdi
// and Ahmed are both MT).
bool ShareKey(std::span<const KeyHash> a, std::span<const KeyHash> b) {
  for (KeyHash x : a) {
    if (KeyLength(x) < 3) continue;
    for (KeyHash y : b) {
      if (x == y) return true;
    }
  }
  return false;
}

int NameLevel(double similarity) {
  for (size_t i = 0; i < kNameLevelThresholds.size(); ++i) {
    if (similarity >= kNameLevelThresholds[i]) return static_cast<int>(i) + 1;
  }
  return static_cast<int>(kNameLevelThresholds.size()) + 1;
}

// Two numbers of at least 7 symbols that differ only by two neighbours swapped (4406021,
// 4406201): the commonest slip of a hand copying digits. At 7 symbols or more the swap leaves the
// first or the last three intact, as the screener's summaries expect (DocumentEnds).
bool IsAdjacentTransposition(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.size() < 7) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i + 1 >= a.size() || a[i] != b[i + 1] || a[i + 1] != b[i]) return false;
  return a.substr(i + 2) == b.substr(i + 2);
}

// Two numbers: exact, one typo apart, or different (comparison.h).
int NumberLevel(std::string_view a, std::string_view b) {
  if (a == b) return kDocumentExact;
  // A symbol changed, left out or added, in numbers of 6 symbols or more.
  const size_t longer = std::max(a.size(), b.size());
  const size_t shorter = std::min(a.size(), b.size());
  if (shorter >= 6 && longer - shorter <= 1 && LevenshteinAtMost(a, b, 1) <= 1) {
    return kDocumentOneTypo;
  }
  if (IsAdjacentTransposition(a, b)) return kDocumentOneTypo;
  return kDocumentDifferent;
}

// Share of the tokens of the longer address that find a close token (Jaro-Winkler >= 0.9) in
// the other: 1 same, >= 0.6 partly the same, else different.
int AddressLevel(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const auto& shorter = a.size() <= b.size() ? a : b;
  const auto& longer = a.size() <= b.size() ? b : a;
  size_t matched = 0;
  for (const auto& x : shorter) {
    for (const auto& y : longer) {
      if (x == y || JaroWinkler(x, y) >= 0.9) {
        ++matched;
        break;
      }
    }
  }
  const double share = static_cast<double>(matched) / static_cast<double>(longer.size());
  return share >= 0.9 ? 1 : share >= 0.6 ? 2 : 3;
}

int EmailLevel(const std::string& a, const std::string& b) {
  if (a == b) return 1;
  const std::string_view user_a = std::string_view(a).substr(0, a.find('@'));
  const std::string_view user_b = std::string_view(b).substr(0, b.find('@'));
  if (user_a.size() >= 3 && JaroWinkler(user_a, user_b) >= 0.9) return 2;
  return 3;
}

// The family of a particle, as spelling keys write it: the Arabic article (el, al, ul), "son
// of" (ben, bin, ibn), "father of" (abu, bu), Berber ait, Mauritanian ould, Dutch van, Romance
// de/le/del, and the abd- of "servant of" names; 0 when unknown.
int ParticleFamily(std::string_view particle) {
  if (particle.substr(0, 3) == "abd" || particle == "bd") return 8;
  static constexpr std::array<std::pair<std::string_view, int>, 24> kFamilies = {{
      {"el", 1},     {"al", 1},     {"ul", 1},    {"il", 1},  {"ben", 2}, {"bin", 2},
      {"ibn", 2},    {"abu", 3},    {"bu", 3},    {"ait", 4}, {"uld", 5}, {"van", 6},
      {"vander", 6}, {"vanden", 6}, {"vande", 6}, {"de", 7},  {"le", 7},  {"la", 7},
      {"du", 7},     {"del", 7},    {"da", 7},    {"di", 7},  {"dos", 7}, {"das", 7},
  }};
  for (const auto& [name, family] : kFamilies) {
    if (particle == name) return family;
  }
  return 0;
}

// The particle a spelling carries before its stripped form ("benali" / "ali" -> "ben").
std::string_view ParticleOf(std::string_view spelling, std::string_view stripped) {
  if (stripped.size() >= spelling.size() ||
      spelling.compare(spelling.size() - stripped.size(), stripped.size(), stripped) != 0) {
    return {};
  }
  return std::string_view(spelling).substr(0, spelling.size() - stripped.size());
}

// Ait Ali and Ben Ali are two families: particles of different families keep the names apart.
constexpr double kOtherParticleFactor = 0.85;

}  // namespace

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kName:
      return "name";
    case Field::kBirthDate:
      return "birthDate";
    case Field::kGender:
      return "gender";
    case Field::kNationality:
      return "nationality";
    case Field::kDocument:
      return "document";
    case Field::kPhone:
      return "phone";
    case Field::kAddress:
      return "address";
    case Field::kEmail:
      return "email";
    case Field::kWeakAlias:
      return "nomDeGuerre";
    case Field::kCountry:
      return "country";
    case Field::kPassport:
      return "passport";
  }
  return "";
}

int LevelCount(Field field) {
  switch (field) {
    case Field::kName:
      return static_cast<int>(kNameLevels.size());
    case Field::kBirthDate:
      return static_cast<int>(kBirthLevels.size());
    case Field::kDocument:
    case Field::kPassport:
      return static_cast<int>(kDocumentLevels.size());
    case Field::kAddress:
      return static_cast<int>(kAddressLevels.size());
    case Field::kEmail:
      return static_cast<int>(kEmailLevels.size());
    case Field::kWeakAlias:
      return static_cast<int>(kWeakAliasLevels.size());
    default:
      return static_cast<int>(kAgreeLevels.size());
  }
}

std::string_view LevelName(Field field, int level) {
  const auto index = static_cast<size_t>(level);
  switch (field) {
    case Field::kName:
      return kNameLevels[index];
    case Field::kBirthDate:
      return kBirthLevels[index];
    case Field::kDocument:
    case Field::kPassport:
      return kDocumentLevels[index];
    case Field::kAddress:
      return kAddressLevels[index];
    case Field::kEmail:
      return kEmailLevels[index];
    case Field::kWeakAlias:
      return kWeakAliasLevels[index];
    default:
      return kAgreeLevels[index];
  }
}

double TokenSimilarity(const NameForm& a, size_t i, const NameForm& b, size_t j) {
  const std::string_view sa = a.stripped(i);
  const std::string_view sb = b.stripped(j);
  double best;
  if (!sa.empty() && !sb.empty()) {
    // Both carry a particle or an abd- prefix: a shared prefix says nothing (Abdelkader and
    // Abdelhakim, Benali and Benabdellah), so only what follows is compared, and particles of
    // different families (Ait Ali, Ben Ali) count against.
    best = JaroWinkler(sa, sb);
    const int fa = ParticleFamily(ParticleOf(a.spelling(i), sa));
    const int fb = ParticleFamily(ParticleOf(b.spelling(j), sb));
    if (fa != 0 && fb != 0 && fa != fb) best *= kOtherParticleFactor;
    // What looks like a particle may be the name's own letters: "Alawi" (al-Alawi) is no
    // particle and "awi", so "Elalawi" reads as the article and "Alawi" (not "awi").
    best = std::max({best, JaroWinkler(sa, b.spelling(j)), JaroWinkler(a.spelling(i), sb)});
  } else {
    best = JaroWinkler(a.spelling(i), b.spelling(j));
    if (!sa.empty()) best = std::max(best, JaroWinkler(sa, b.spelling(j)));
    if (!sb.empty()) best = std::max(best, JaroWinkler(a.spelling(i), sb));
  }
  if (best >= 0.999) return 1.0;
  // Without vowels (Arabic script) a shared key is all the spelling can say, and it says more.
  const bool unvowelled = a.unvowelled() || b.unvowelled();
  const double shared = unvowelled ? kUnvowelledSharedKeySimilarity : kSharedKeySimilarity;
  if (best < shared && (best >= kSharedKeyMinSpelling || unvowelled) &&
      ShareKey(a.keys(i), b.keys(j))) {
    best = shared;
  }
  if (best < kGlideReadingMaxSimilarity && best >= kGlideReadingFloor && !unvowelled) {
    const std::string_view ra = sa.empty() ? a.spelling(i) : sa;
    const std::string_view rb = sb.empty() ? b.spelling(j) : sb;
    if (a.holds_glide(i) || b.holds_glide(j)) {
      const double reading = GlideReadingSimilarity(ra, rb);
      if (reading >= kGlideReadingMinSpelling) {
        best = std::max(best, std::min(reading, kGlideReadingMaxSimilarity));
      }
    }
  }
  return best;
}

double NameSimilarity(const NameForm& a, const NameForm& b) { return NameSimilarity(a, b, 0.0); }

double NameSimilarity(const NameForm& a, const NameForm& b, double at_least) {
  const size_t n = a.size(), m = b.size();
  if (n == 0 || m == 0) return 0;
  constexpr size_t kMax = 8;
  const size_t rows = std::min(n, kMax), cols = std::min(m, kMax);
  // Every token of the shorter name is aligned, so the weakest aligned pair is at most the
  // best partner of any of its tokens; the similarity, a mean of at most 1 less half the
  // weakest pair's shortfall, is then at most 1 - (1 - best partner) / 2.
  constexpr double kSlack = 1e-9;
  const double least_partner = 1 - (1 - at_least + kSlack) / kWeakestTokenPenalty;
  double sim[kMax][kMax];
  if (rows <= cols) {
    for (size_t i = 0; i < rows; ++i) {
      double best = 0;
      for (size_t j = 0; j < cols; ++j) {
        sim[i][j] = TokenSimilarity(a, i, b, j);
        best = std::max(best, sim[i][j]);
      }
      if (best < least_partner) return 0;
    }
  } else {
    for (size_t j = 0; j < cols; ++j) {
      double best = 0;
      for (size_t i = 0; i < rows; ++i) {
        sim[i][j] = TokenSimilarity(a, i, b, j);
        best = std::max(best, sim[i][j]);
      }
      if (best < least_partner) return 0;
    }
  }
  bool row_used[kMax] = {}, col_used[kMax] = {};
  double weighted = 0, weights = 0, weakest = 1;
  const size_t pairs = std::min(rows, cols);
  for (size_t k = 0; k < pairs; ++k) {
    double best = -1;
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < rows; ++i) {
      if (row_used[i]) continue;
      for (size_t j = 0; j < cols; ++j) {
        if (!col_used[j] && sim[i][j] > best) {
          best = sim[i][j];
          bi = i;
          bj = j;
        }
      }
    }
    row_used[bi] = col_used[bj] = true;
    const double w = static_cast<double>(std::max(a.spelling(bi).size(), b.spelling(bj).size()));
    weighted += best * w;
    weights += w;
    weakest = std::min(weakest, best);
  }
  for (size_t i = 0; i < rows; ++i) {
    if (!row_used[i]) weights += kUnpairedTokenWeight * static_cast<double>(a.spelling(i).size());
  }
  for (size_t j = 0; j < cols; ++j) {
    if (!col_used[j]) weights += kUnpairedTokenWeight * static_cast<double>(b.spelling(j).size());
  }
  if (weights <= 0) return 0;
  return std::max(0.0, weighted / weights - kWeakestTokenPenalty * (1 - weakest));
}

namespace {

// A date's parts: month 0 for a year, day 0 for a year and month.
struct DateParts {
  int year;
  int month;
  int day;
};

// Days since 1970-01-01 of a full date (the civil calendar, proleptic Gregorian).
int64_t DaysOf(DateParts d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (d.month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Whether two full dates, written YYYY-MM-DD, are one keystroke apart: one digit changed, or two
// neighbouring digits of the year, the month or the day swapped (1989/1998, 12/21).
bool OneEditApart(DateParts a, DateParts b) {
  std::array<char, 8> x{}, y{};
  auto digits = [](DateParts d, std::array<char, 8>& out) {
    const int values[8] = {d.year / 1000 % 10, d.year / 100 % 10, d.year / 10 % 10, d.year % 10,
                           d.month / 10,       d.month % 10,      d.day / 10,       d.day % 10};
    for (size_t i = 0; i < 8; ++i) out[i] = static_cast<char>('0' + values[i]);
  };
  digits(a, x);
  digits(b, y);
  size_t first = 8, differing = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (x[i] != y[i]) {
      if (first == 8) first = i;
      ++differing;
    }
  }
  if (differing == 1) return true;
  // Two neighbours swapped within one part (positions 0-3 the year, 4-5 the month, 6-7 the day).
  const bool same_part = first + 1 < 8 && first != 3 && first != 5;
  return differing == 2 && same_part && x[first] == y[first + 1] && x[first + 1] == y[first];
}

inline int BirthDateLevelOf(DateParts a, DateParts b) {
  const bool a_full = a.day != 0, b_full = b.day != 0;
  if (a_full && b_full) {
    if (a.year == b.year && a.month == b.month && a.day == b.day) return kBirthExact;
    if (a.year == b.year && a.month == b.day && a.day == b.month) return kBirthDayMonthSwapped;
    const bool a_jan1 = a.month == 1 && a.day == 1, b_jan1 = b.month == 1 && b.day == 1;
    if (a.year == b.year && (a_jan1 || b_jan1)) return kBirthJanuaryFirst;
    if (std::abs(a.year - b.year) == 1 && a.month == b.month && a.day == b.day) {
      return kBirthYearOffByOne;
    }
    if (OneEditApart(a, b)) return kBirthOneEdit;
    if (a.year == b.year && a.month == b.month) return kBirthSameYearMonth;
    if (std::abs(DaysOf(a) - DaysOf(b)) <= 31) return kBirthWithinMonth;
    if (a.year == b.year) return kBirthSameYear;
    return std::abs(a.year - b.year) == 1 ? kBirthNearYear : kBirthDifferent;
  }
  // At least one side partial: compatible when the partial one contains the other, and then
  // as strong as the less precise one: its year and month (partial_month), or its year only
  // (partial_year, also two dates of the same year only). A year agrees with one date in about
  // 250 of two random people's, a year and month with one in about 8,000.
  if (a.year != b.year) return std::abs(a.year - b.year) == 1 ? kBirthNearYear : kBirthDifferent;
  if (a.month != 0 && b.month != 0 && a.month != b.month) return kBirthSameYear;
  return a.month != 0 && b.month != 0 ? kBirthPartialMonth : kBirthPartialYear;
}

DateParts Unpack(uint32_t packed) {
  return {static_cast<int>(packed >> 9), static_cast<int>((packed >> 5) & 0xF),
          static_cast<int>(packed & 0x1F)};
}

}  // namespace

int BirthDateLevel(const PartialDate& a, const PartialDate& b) {
  // A date of day precision has a month and a day; one of month precision no day.
  return BirthDateLevelOf({a.year(), a.month(), a.day()}, {b.year(), b.month(), b.day()});
}

int PackedBirthDateLevel(uint32_t a, uint32_t b) {
  if (a == b && (a & 0x1F) != 0) return kBirthExact;
  return BirthDateLevelOf(Unpack(a), Unpack(b));
}

void MarkReadFromNumber(const Identity& a, const Identity& b, Comparison& c) {
  c.from_number =
      static_cast<uint8_t>((a.from_number | b.from_number) &
                           ((c.level(Field::kBirthDate) > 0 ? Identity::kBirthFromNumber : 0) |
                            (c.level(Field::kGender) > 0 ? Identity::kGenderFromNumber : 0)));
}

Comparison CompareIdentities(const Identity& a, const Identity& b) {
  Comparison c;
  CompareNames(a, b, 0.0, c);
  CompareOtherFields(a, b, c);
  MarkReadFromNumber(a, b, c);
  return c;
}

bool CompareNames(const Identity& a, const Identity& b, double at_least, Comparison& c) {
  c.name_similarity = 0;
  c.name_form_a = c.name_form_b = -1;
  // A form pair below `at_least` may be reported lower than it is; it cannot be the best pair
  // unless all are below, and those at or above it are exact.
  bool comparable = false;
  for (size_t i = 0; i < a.names.size(); ++i) {
    for (size_t j = 0; j < b.names.size(); ++j) {
      // A kunya is compared with kunyas only (identity.h).
      if (a.names[i].kunya() != b.names[j].kunya()) continue;
      // Initials meet a name of one word (IRW), never other initials or a longer name.
      if ((a.names[i].acronym() && (b.names[j].acronym() || b.names[j].size() != 1)) ||
          (b.names[j].acronym() && a.names[i].size() != 1)) {
        continue;
      }
      comparable = true;
      const double s = NameSimilarity(a.names[i], b.names[j], at_least);
      if (s > c.name_similarity) {
        c.name_similarity = s;
        c.name_form_a = static_cast<int>(i);
        c.name_form_b = static_cast<int>(j);
      }
    }
  }
  // Two named records always compare: names with nothing in common, or that one side could not
  // read (a script no transliteration covers), are different names, never missing evidence.
  // A kunya against civil names only is no evidence: the field of noms de guerre weighs it.
  const bool unreadable = (a.unreadable_name && !b.names.empty()) ||
                          (b.unreadable_name && !a.names.empty()) ||
                          (a.unreadable_name && b.unreadable_name);
  if (!comparable && !unreadable) {
    c.levels[static_cast<size_t>(Field::kName)] = 0;  // no evidence, whatever `at_least`
    return true;
  }
  if (c.name_similarity < at_least) return false;
  const int level = c.name_form_a >= 0 ? NameLevel(c.name_similarity)
                                       : static_cast<int>(kNameLevelThresholds.size()) + 1;
  c.levels[static_cast<size_t>(Field::kName)] = static_cast<uint8_t>(level);
  return true;
}

void CompareOtherFields(const Identity& a, const Identity& b, Comparison& c) {
  auto set = [&c](Field f, int level) {
    c.levels[static_cast<size_t>(f)] = static_cast<uint8_t>(level);
  };
  int birth = 0;
  for (const auto& x : a.births) {
    for (const auto& y : b.births) {
      const int level = BirthDateLevel(x, y);
      if (birth == 0 || level < birth) birth = level;
    }
  }
  set(Field::kBirthDate, birth);

  set(Field::kGender, a.gender == 0 || b.gender == 0 ? 0 : a.gender == b.gender ? 1 : 2);

  int nationality = 0;
  if (!a.nationalities.empty() && !b.nationalities.empty()) {
    nationality = 2;
    for (uint16_t x : a.nationalities) {
      if (std::find(b.nationalities.begin(), b.nationalities.end(), x) != b.nationalities.end()) {
        nationality = 1;
      }
    }
  }
  set(Field::kNationality, nationality);

  int document = 0;
  int passport = 0;
  for (const auto& x : a.documents) {
    for (const auto& y : b.documents) {
      const int level = NumberLevel(x.number, y.number);
      const bool passports = x.kind == DocumentKind::kPassport && y.kind == DocumentKind::kPassport;
      if (level == kDocumentDifferent && x.kind != y.kind) continue;  // no evidence
      int& field = passports ? passport : document;
      if (field == 0 || level < field) field = level;
    }
  }
  set(Field::kDocument, document);
  set(Field::kPassport, passport);

  int phone = 0;
  for (const auto& x : a.phones) {
    for (const auto& y : b.phones) {
      const int level = SamePhone(x, y) ? 1 : 2;
      if (phone == 0 || level < phone) phone = level;
    }
  }
  set(Field::kPhone, phone);

  int address = 0;
  for (const auto& x : a.addresses) {
    for (const auto& y : b.addresses) {
      const int level = AddressLevel(x, y);
      if (address == 0 || level < address) address = level;
    }
  }
  set(Field::kAddress, address);

  int email = 0;
  for (const auto& x : a.emails) {
    for (const auto& y : b.emails) {
      const int level = EmailLevel(x, y);
      if (email == 0 || level < email) email = level;
    }
  }
  set(Field::kEmail, email);

  int weak = 0;
  c.weak_form_b = -1;
  for (const auto& x : a.weak_names) {
    for (size_t j = 0; j < b.weak_names.size(); ++j) {
      const int level =
          NameSimilarity(x, b.weak_names[j], kSameWeakAlias) >= kSameWeakAlias ? 1 : 2;
      if (weak == 0 || level < weak) {
        weak = level;
        if (level == 1) c.weak_form_b = static_cast<int>(j);
      }
    }
  }
  set(Field::kWeakAlias, weak);

  int country = 0;
  if (a.countries[0] != 0 && b.countries[0] != 0) {
    country = 2;
    for (uint16_t x : a.countries) {
      if (x != 0 && std::find(b.countries.begin(), b.countries.end(), x) != b.countries.end()) {
        country = 1;
      }
    }
  }
  set(Field::kCountry, country);
}

}  // namespace entente::match
