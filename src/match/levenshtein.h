#pragma once

// Edit distances on symbol strings: Levenshtein (bit-parallel, Myers 1999 / Hyyrö 2003, one
// 64-bit word per 64 symbols of the pattern), its bounded form, optimal string alignment,
// unrestricted Damerau-Levenshtein and Hamming, as jellyfish defines them.
//
// `std::string_view` compares bytes (ASCII tokens, the fast path); `std::u32string_view`
// compares code points (decode UTF-8 once, outside the hot loop). Distances are counts of edits;
// all functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <variant>

#include "match/symbol_masks.h"

namespace entente::match {

// Insertions, deletions and substitutions that turn `a` into `b`.
int Levenshtein(std::string_view a, std::string_view b);
int Levenshtein(std::u32string_view a, std::u32string_view b);

// min(Levenshtein(a, b), max_distance + 1): stops early once the distance must exceed
// `max_distance` (which must be >= 0), so a caller with a threshold pays less for far pairs.
int LevenshteinAtMost(std::string_view a, std::string_view b, int max_distance);
int LevenshteinAtMost(std::u32string_view a, std::u32string_view b, int max_distance);

// 1 - Levenshtein(a, b) / max(|a|, |b|), in [0, 1]; 1 when both are empty.
double LevenshteinSimilarity(std::string_view a, std::string_view b);
double LevenshteinSimilarity(std::u32string_view a, std::u32string_view b);

// Optimal string alignment ("restricted Damerau-Levenshtein"): Levenshtein plus the
// transposition of two adjacent symbols, no substring edited twice. OSA("ca", "abc") == 3.
int OsaDistance(std::string_view a, std::string_view b);
int OsaDistance(std::u32string_view a, std::u32string_view b);

// Unrestricted Damerau-Levenshtein (Lowrance-Wagner), jellyfish's `damerau_levenshtein_distance`:
// transposed symbols may be edited again. DamerauLevenshtein("ca", "abc") == 2. O(|a| |b|).
int DamerauLevenshtein(std::string_view a, std::string_view b);
int DamerauLevenshtein(std::u32string_view a, std::u32string_view b);

// Positions that differ, plus the difference in length (jellyfish's `hamming_distance`).
int Hamming(std::string_view a, std::string_view b);
int Hamming(std::u32string_view a, std::u32string_view b);

// One query token prepared for Levenshtein against many candidates: the masks are built once.
// Distance(c) == Levenshtein(query, c). Owns a copy of the query; immutable after construction,
// so one pattern may be shared by threads. LevenshteinPattern compares bytes,
// LevenshteinPattern32 code points.
template <typename CharT>
class BasicLevenshteinPattern {
 public:
  using StringView = std::basic_string_view<CharT>;

  explicit BasicLevenshteinPattern(StringView query);

  int Distance(StringView candidate) const;
  // min(Distance(candidate), max_distance + 1); max_distance must be >= 0.
  int DistanceAtMost(StringView candidate, int max_distance) const;
  // 1 - Distance / max(|query|, |candidate|); 1 when both are empty.
  double Similarity(StringView candidate) const;

  StringView query() const { return query_; }

 private:
  std::basic_string<CharT> query_;
  // One word for queries of at most 64 symbols, blocks for longer ones.
  std::variant<internal::SymbolMasks, internal::BlockSymbolMasks> masks_;
};

using LevenshteinPattern = BasicLevenshteinPattern<char>;
using LevenshteinPattern32 = BasicLevenshteinPattern<char32_t>;

extern template class BasicLevenshteinPattern<char>;
extern template class BasicLevenshteinPattern<char32_t>;

namespace internal {

// Dynamic-programming references, for tests.
int LevenshteinScalar(std::u32string_view a, std::u32string_view b);
int OsaScalar(std::u32string_view a, std::u32string_view b);

}  // namespace internal
}  // namespace entente::match
