#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "match/identity.h"

namespace entente::match {

// The fields compared between two identities, each falling into one level. Level 0 always means
// "no evidence" (a value is missing on either side) and weighs nothing.
enum class Field : uint8_t {
  kName,
  kBirthDate,
  kGender,
  kNationality,
  kDocument,
  kPhone,
  kAddress,
  kEmail,
  kWeakAlias,
  kCountry,   // country of residence: agree (one in common), disagree
  kPassport,  // passport numbers (DocumentKind::kPassport) of both: kDocument's levels
};
inline constexpr int kFieldCount = 11;
inline constexpr int kMaxLevels = 13;

// Names of fields and levels as the explanation and the model JSON spell them.
std::string_view FieldName(Field field);
int LevelCount(Field field);
std::string_view LevelName(Field field, int level);

// The levels of the two document fields (DocumentKind, identity.h). kPassport compares the
// passports of both sides; kDocument the identity numbers of both, and any number in common
// whatever columns hold it (an identity number entered as a passport's). Exact, one typo apart
// (a symbol changed, left out or added, or two neighbours swapped), or different: numbers of that
// kind on both sides, none in common. A passport and an identity number that differ are no
// evidence: everyone's do. Two fields, so that each "different" weighs against the pairs that
// hold numbers of its kind: identity numbers are a person's for life, passports are renewed.
inline constexpr int kDocumentExact = 1;
inline constexpr int kDocumentOneTypo = 2;
inline constexpr int kDocumentDifferent = 3;

// The levels of the birth date, strongest first where they exclude each other: when a side has
// several dates the lowest level of all pairs is kept. Two full dates: exact; day and month
// swapped; a 1 January placeholder on either side (same year); a year off by one (same day and
// month); one keystroke apart (a digit changed, or two neighbouring digits of the year, the month
// or the day swapped: 1989/1998, 12/21); the same year and month; at most 31 days apart; the same
// year; a year apart. A partial date on either side: partial_month (its year and month agree),
// partial_year (its year agrees), or as far apart as the years are.
inline constexpr int kBirthExact = 1;
inline constexpr int kBirthPartialMonth = 2;
inline constexpr int kBirthPartialYear = 3;
inline constexpr int kBirthDayMonthSwapped = 4;
inline constexpr int kBirthJanuaryFirst = 5;
inline constexpr int kBirthYearOffByOne = 6;
inline constexpr int kBirthOneEdit = 7;
inline constexpr int kBirthSameYearMonth = 8;
inline constexpr int kBirthWithinMonth = 9;
inline constexpr int kBirthSameYear = 10;
inline constexpr int kBirthNearYear = 11;
inline constexpr int kBirthDifferent = 12;

// Name similarity thresholds of the name levels 1 (exact) to 5; below the last is level 6.
inline constexpr std::array<double, 5> kNameLevelThresholds = {0.995, 0.95, 0.90, 0.84, 0.76};

// How two identities compare: one level per field, and what a person needs to read it.
struct Comparison {
  std::array<uint8_t, kFieldCount> levels{};
  // The fields whose evidence was read from an identity number on either side
  // (Identity::kBirthFromNumber, kGenderFromNumber), when they have a level: the explanation
  // says so. Set by CompareIdentities and MarkReadFromNumber, not CompareOtherFields.
  uint8_t from_number = 0;     // beside the levels, in what would be padding
  double name_similarity = 0;  // best alignment of the two names, 0..1
  int name_form_a = -1;        // which name forms gave it
  int name_form_b = -1;
  // log2 of how much more common the matched name is than an average one (term frequency);
  // set by the scorer from the candidate index, 0 otherwise.
  double name_frequency_bits = 0;
  // log2(1 + the odds of the query's other hits that are not this candidate's person): what
  // other listed people as close to the query take from this candidate, as the query is one
  // person; set by the screener (Screener::Screen), 0 otherwise.
  double competition_bits = 0;
  // The nom de guerre of the second identity that was the same as one of the first's (-1 when
  // none), and log2 of how much rarer it is than the u of "same" says (set by the scorer from the
  // candidate index, 0 otherwise): many people share "Abu Hamza", few "Abu Hamza al-Belgiki".
  int weak_form_b = -1;
  double weak_frequency_bits = 0;

  uint8_t level(Field f) const { return levels[static_cast<size_t>(f)]; }
};

// Similarity of two name tokens in 0..1: Jaro-Winkler of their spelling keys, also tried
// without leading particles, raised to 0.93 when they share a phonetic key of three classes or more
// and (unless one was written in Arabic script, without vowels) are not far apart in spelling.
double TokenSimilarity(const NameForm& a, size_t i, const NameForm& b, size_t j);

// Similarity of two name forms in 0..1: the tokens are aligned whatever their order (greedy
// best pairs); the score is the length-weighted mean of the aligned tokens' similarities, less
// half the shortfall of the weakest aligned token (two brothers share a long surname); tokens
// of the longer name left without partner weigh 0.15 of their length (a second surname or a
// middle name that one record leaves out is weak evidence against).
double NameSimilarity(const NameForm& a, const NameForm& b);
// The same when it is at least `at_least`; otherwise some value below `at_least`, found sooner
// (the comparison stops at the first token of the shorter name that finds no partner close
// enough for the name to reach `at_least`).
double NameSimilarity(const NameForm& a, const NameForm& b, double at_least);

// Compares two identities field by field. Pure and thread-safe.
Comparison CompareIdentities(const Identity& a, const Identity& b);

// CompareIdentities in two halves, for a caller that can tell from the other fields how close
// the names must be to matter. CompareOtherFields sets the level of every field but the name.
// CompareNames sets the name's similarity, forms and level as CompareIdentities does and
// returns true, unless the names' similarity is below `at_least`: then it returns false and
// leaves the name fields of `c` unspecified.
void CompareOtherFields(const Identity& a, const Identity& b, Comparison& c);
// Sets c.from_number from the levels CompareOtherFields set (the screener does it for its hits
// only, CompareIdentities for every pair).
void MarkReadFromNumber(const Identity& a, const Identity& b, Comparison& c);
bool CompareNames(const Identity& a, const Identity& b, double at_least, Comparison& c);

// The birth-date level of two dates (one pair; CompareIdentities takes the best pair).
int BirthDateLevel(const model::PartialDate& a, const model::PartialDate& b);
// The same for dates packed as PackBirth (candidate_index.h) packs them: year << 9 | month << 5
// | day, month and day 0 when unknown.
int PackedBirthDateLevel(uint32_t a, uint32_t b);

}  // namespace entente::match
