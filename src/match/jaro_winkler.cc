#include "match/jaro_winkler.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <vector>

namespace entente::match {
namespace {

using internal::kWordBits;
using internal::LowBits;

struct JaroCounts {
  int matches = 0;
  int transpositions = 0;  // Already halved, with integer division, as jellyfish does.
};

template <typename CharT>
int Size(std::basic_string_view<CharT> s) {
  return static_cast<int>(s.size());
}

// Bit-parallel Jaro counts for strings of 1..64 symbols. `s1` is scanned; `masks` are those of
// s2. For each symbol of s1, in order, the first free equal symbol of s2 inside the match window
// is taken: the window is a mask that grows, then slides, one bit per symbol, and "first free"
// is the lowest set bit of (masks & window & free).
//
// Transpositions pair the k-th matched symbol of s1 with the k-th taken position of s2 (in
// position order): they differ when the k-th matched symbol's mask lacks that position. The
// main loop appends each matched symbol's mask to a compact list without branching, so the
// second loop runs over the matches only.
template <typename Masks, typename CharT>
[[gnu::always_inline]] inline JaroCounts CountBitParallel(const Masks& masks, int s2_len,
                                                          const CharT* s1, int s1_len) {
  const int bound = std::max(std::max(s1_len, s2_len) / 2 - 1, 0);
  uint64_t window = LowBits(bound + 1);
  uint64_t free_positions = ~uint64_t{0};
  uint64_t matched_masks[kWordBits + 4];
  int matches = 0;
  for (int i = 0; i < s1_len; ++i) {
    const uint64_t mask = masks.Get(s1[i]);
    const uint64_t candidates = mask & window & free_positions;
    free_positions ^= candidates & (~candidates + 1);
    matched_masks[matches] = mask;
    matches += candidates != 0;
    window = (window << 1) | uint64_t{i < bound};
  }

  JaroCounts counts;
  counts.matches = matches;
  uint64_t taken = ~free_positions;
  int transpositions = 0;
  // Steps of 4 matches: past the last match, `position` is 0 and counts nothing. The loop runs
  // once or twice for name tokens, where an exit after 1, 2, ..., 12 matches would be
  // mispredicted most of the time.
  matched_masks[matches] = matched_masks[matches + 1] = matched_masks[matches + 2] = 0;
  for (int k = 0; k < matches; k += 4) {
    for (int j = k; j < k + 4; ++j) {
      const uint64_t position = taken & (~taken + 1);
      transpositions += (position & ~matched_masks[j]) != 0;
      taken ^= position;
    }
  }
  counts.transpositions = transpositions / 2;
  return counts;
}

// jellyfish's loops, symbol by symbol.
template <typename CharT>
JaroCounts CountScalar(std::basic_string_view<CharT> s1, std::basic_string_view<CharT> s2) {
  const int len1 = Size(s1);
  const int len2 = Size(s2);
  const int bound = std::max(std::max(len1, len2) / 2 - 1, 0);
  std::vector<char> s1_flags(s1.size(), 0);
  std::vector<char> s2_flags(s2.size(), 0);
  JaroCounts counts;
  for (int i = 0; i < len1; ++i) {
    const int hi = std::min(i + bound, len2 - 1);
    for (int j = std::max(0, i - bound); j <= hi; ++j) {
      if (!s2_flags[j] && s2[j] == s1[i]) {
        s1_flags[i] = s2_flags[j] = 1;
        ++counts.matches;
        break;
      }
    }
  }
  if (counts.matches == 0) return counts;
  int transpositions = 0;
  int k = 0;
  for (int i = 0; i < len1; ++i) {
    if (!s1_flags[i]) continue;
    int j = k;
    while (!s2_flags[j]) ++j;
    k = j + 1;
    if (s1[i] != s2[j]) ++transpositions;
  }
  counts.transpositions = transpositions / 2;
  return counts;
}

// The operations and their order follow jellyfish's, so results agree to the last bit. No
// branch on the data: with no match the last term is 0 / 1 rather than 0 / 0.
inline double JaroFromCounts(const JaroCounts& counts, int len1, int len2) {
  const double m = counts.matches;
  return (m / len1 + m / len2 + (m - counts.transpositions) / std::max(m, 1.0)) / 3;
}

template <typename CharT>
int CommonPrefix(std::basic_string_view<CharT> s1, std::basic_string_view<CharT> s2) {
  const int limit = std::min({Size(s1), Size(s2), kWinklerMaxPrefix});
  int prefix = 0;
  while (prefix < limit && s1[prefix] == s2[prefix]) ++prefix;
  return prefix;
}

// The same from s2's masks, without a branch: bit k of masks.Get(s1[k]) says s2[k] == s1[k].
template <typename Masks, typename CharT>
int CommonPrefix(const Masks& masks, const CharT* s1, int s1_len) {
  uint64_t same = 0;
  for (int k = 0; k < kWinklerMaxPrefix; ++k) {
    same |= masks.Get(s1[std::min(k, s1_len - 1)]) & (uint64_t{k < s1_len} << k);
  }
  return std::min(std::countr_one(same), kWinklerMaxPrefix);
}

// Most compared pairs score below the boost threshold, so `common_prefix` (which returns the
// length of the common prefix, at most 4) is only called above it.
template <typename CommonPrefixFn>
inline double Winklerize(double jaro, const JaroCounts& counts, int len1, int len2,
                         bool long_tolerance, CommonPrefixFn common_prefix) {
  if (!(jaro > kWinklerBoostThreshold)) return jaro;
  const int prefix = common_prefix();
  double weight = jaro + prefix * kWinklerPrefixScale * (1.0 - jaro);
  const int min_len = std::min(len1, len2);
  const int m = counts.matches;
  if (long_tolerance && min_len > 4 && m > prefix + 1 && 2 * m >= min_len + prefix) {
    weight += (1.0 - weight) * (static_cast<double>(m - prefix - 1) /
                                static_cast<double>(len1 + len2 - prefix * 2 + 2));
  }
  return weight;
}

template <typename CharT>
JaroCounts Count(std::basic_string_view<CharT> s1, std::basic_string_view<CharT> s2) {
  if (s1.size() <= kWordBits && s2.size() <= kWordBits) {
    const internal::SparseSymbolMasks<CharT> masks(s2, s1);
    return CountBitParallel(masks, Size(s2), s1.data(), Size(s1));
  }
  return CountScalar(s1, s2);
}

template <typename CharT>
double JaroOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  if (a.empty() || b.empty()) return 0.0;
  return JaroFromCounts(Count(a, b), Size(a), Size(b));
}

template <typename CharT>
double JaroWinklerOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b,
                     bool long_tolerance) {
  if (a.empty() || b.empty()) return 0.0;
  const JaroCounts counts = Count(a, b);
  return Winklerize(JaroFromCounts(counts, Size(a), Size(b)), counts, Size(a), Size(b),
                    long_tolerance, [&] { return CommonPrefix(a, b); });
}

}  // namespace

double Jaro(std::string_view a, std::string_view b) { return JaroOf(a, b); }
double Jaro(std::u32string_view a, std::u32string_view b) { return JaroOf(a, b); }

double JaroWinkler(std::string_view a, std::string_view b) { return JaroWinklerOf(a, b, false); }
double JaroWinkler(std::u32string_view a, std::u32string_view b) {
  return JaroWinklerOf(a, b, false);
}

double JaroWinklerLongTolerance(std::string_view a, std::string_view b) {
  return JaroWinklerOf(a, b, true);
}
double JaroWinklerLongTolerance(std::u32string_view a, std::u32string_view b) {
  return JaroWinklerOf(a, b, true);
}

template <typename CharT>
BasicJaroPattern<CharT>::BasicJaroPattern(StringView query)
    : query_(query), masks_(query.size() <= kWordBits ? query : StringView()) {}

namespace {

enum class Metric { kJaro, kJaroWinkler, kLongTolerance };

// The pattern's masks describe the query, so the candidate is the scanned string. Jaro counts
// do not depend on which string is scanned (greedy matching inside a sliding window pairs the
// same positions either way); the tests check this against the scalar algorithm.
template <Metric kMetric, typename CharT>
inline double ComparePrepared(const internal::SymbolMasks& masks,
                              std::basic_string_view<CharT> query,
                              std::basic_string_view<CharT> candidate) {
  const int query_len = Size(query);
  const int candidate_len = Size(candidate);
  // One well-predicted test for the rare cases: an empty string, or one longer than a word.
  if (static_cast<unsigned>(query_len - 1) >= unsigned{kWordBits} ||
      static_cast<unsigned>(candidate_len - 1) >= unsigned{kWordBits}) {
    if constexpr (kMetric == Metric::kJaro) return JaroOf(query, candidate);
    return JaroWinklerOf(query, candidate, kMetric == Metric::kLongTolerance);
  }
  const JaroCounts counts = CountBitParallel(masks, query_len, candidate.data(), candidate_len);
  const double jaro = JaroFromCounts(counts, query_len, candidate_len);
  if constexpr (kMetric == Metric::kJaro) return jaro;
  return Winklerize(jaro, counts, query_len, candidate_len, kMetric == Metric::kLongTolerance,
                    [&] { return CommonPrefix(masks, candidate.data(), candidate_len); });
}

}  // namespace

template <typename CharT>
double BasicJaroPattern<CharT>::Jaro(StringView candidate) const {
  return ComparePrepared<Metric::kJaro>(masks_, StringView(query_), candidate);
}

template <typename CharT>
double BasicJaroPattern<CharT>::JaroWinkler(StringView candidate) const {
  return ComparePrepared<Metric::kJaroWinkler>(masks_, StringView(query_), candidate);
}

template <typename CharT>
double BasicJaroPattern<CharT>::JaroWinklerLongTolerance(StringView candidate) const {
  return ComparePrepared<Metric::kLongTolerance>(masks_, StringView(query_), candidate);
}

template class BasicJaroPattern<char>;
template class BasicJaroPattern<char32_t>;

namespace internal {

double JaroScalar(std::u32string_view a, std::u32string_view b) {
  if (a.empty() || b.empty()) return 0.0;
  return JaroFromCounts(CountScalar(a, b), Size(a), Size(b));
}

double JaroWinklerScalar(std::u32string_view a, std::u32string_view b, bool long_tolerance) {
  if (a.empty() || b.empty()) return 0.0;
  const JaroCounts counts = CountScalar(a, b);
  return Winklerize(JaroFromCounts(counts, Size(a), Size(b)), counts, Size(a), Size(b),
                    long_tolerance, [&] { return CommonPrefix(a, b); });
}

}  // namespace internal
}  // namespace entente::match
