#pragma once

// Jaro and Jaro-Winkler similarity, as jellyfish defines them (jamesturk/jellyfish): the match
// window is max(|a|, |b|) / 2 - 1, transpositions are halved with integer division, the
// Winkler boost applies above 0.7 with prefix scale 0.1 over at most 4 symbols, and either
// string being empty gives 0 (even when both are).
//
// Strings are sequences of symbols: `std::string_view` compares bytes (use it for ASCII
// tokens: the fast path), `std::u32string_view` compares code points (use it for anything
// else; decode UTF-8 once, outside the hot loop). When both strings have at most 64 symbols the
// comparison is bit-parallel (the match window and the flags are 64-bit words); longer strings
// take the scalar algorithm. All functions are pure and thread-safe.

#include <string>
#include <string_view>

#include "match/symbol_masks.h"

namespace entente::match {

inline constexpr double kWinklerPrefixScale = 0.1;
inline constexpr int kWinklerMaxPrefix = 4;
inline constexpr double kWinklerBoostThreshold = 0.7;

// Jaro similarity in [0, 1]; 1 for equal non-empty strings, 0 when either is empty.
double Jaro(std::string_view a, std::string_view b);
double Jaro(std::u32string_view a, std::u32string_view b);

// Jaro-Winkler similarity in [0, 1]: Jaro boosted by the common prefix (at most 4 symbols).
double JaroWinkler(std::string_view a, std::string_view b);
double JaroWinkler(std::u32string_view a, std::u32string_view b);

// jellyfish's `long_tolerance` variant: Jaro-Winkler further boosted when both strings have
// more than 4 symbols and agree on more than half of the symbols after the common prefix.
double JaroWinklerLongTolerance(std::string_view a, std::string_view b);
double JaroWinklerLongTolerance(std::u32string_view a, std::u32string_view b);

// One query token prepared for comparison with many candidate tokens: the hot path of the
// comparator. Jaro(candidate) equals Jaro(query, candidate) above. Owns a copy of the query;
// immutable after construction, so one pattern may be shared by threads.
// JaroPattern compares bytes (ASCII tokens), JaroPattern32 compares code points.
template <typename CharT>
class BasicJaroPattern {
 public:
  using StringView = std::basic_string_view<CharT>;

  explicit BasicJaroPattern(StringView query);

  double Jaro(StringView candidate) const;
  double JaroWinkler(StringView candidate) const;
  double JaroWinklerLongTolerance(StringView candidate) const;

  StringView query() const { return query_; }

 private:
  std::basic_string<CharT> query_;
  internal::SymbolMasks masks_;
};

using JaroPattern = BasicJaroPattern<char>;
using JaroPattern32 = BasicJaroPattern<char32_t>;

extern template class BasicJaroPattern<char>;
extern template class BasicJaroPattern<char32_t>;

namespace internal {

// The scalar algorithm, a direct transcription of jellyfish's: the reference that the
// bit-parallel code is tested against, and the path taken by strings longer than 64 symbols.
double JaroScalar(std::u32string_view a, std::u32string_view b);
double JaroWinklerScalar(std::u32string_view a, std::u32string_view b, bool long_tolerance);

}  // namespace internal
}  // namespace entente::match
