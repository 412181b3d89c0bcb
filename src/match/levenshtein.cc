#include "match/levenshtein.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "common/check.h"

namespace entente::match {
namespace {

using internal::BlockSymbolMasks;
using internal::kWordBits;
using internal::SparseSymbolMasks;
using internal::SymbolMasks;

template <typename CharT>
int Size(std::basic_string_view<CharT> s) {
  return static_cast<int>(s.size());
}

// Hyyrö's bit-parallel Levenshtein for a pattern of 1..64 symbols: the column of the DP matrix
// is kept as vertical deltas (vp: +1, vn: -1), one bit per pattern position, and `score` tracks
// the bottom cell. When kBounded, stops as soon as score - (symbols left) > max_distance: each
// remaining symbol lowers the bottom cell by at most 1.
template <bool kBounded, typename Masks, typename CharT>
int LevenshteinWord(const Masks& masks, int pattern_len, const CharT* text, int text_len,
                    int max_distance) {
  uint64_t vp = ~uint64_t{0};
  uint64_t vn = 0;
  const uint64_t last = uint64_t{1} << (pattern_len - 1);
  int score = pattern_len;
  for (int j = 0; j < text_len; ++j) {
    const uint64_t pm = masks.Get(text[j]);
    const uint64_t d0 = (((pm & vp) + vp) ^ vp) | pm | vn;
    uint64_t hp = vn | ~(d0 | vp);
    uint64_t hn = d0 & vp;
    score += (hp & last) != 0;
    score -= (hn & last) != 0;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    if constexpr (kBounded) {
      if (score - (text_len - j - 1) > max_distance) return max_distance + 1;
    }
  }
  if constexpr (kBounded) return std::min(score, max_distance + 1);
  return score;
}

// Myers' block algorithm for patterns longer than 64 symbols: each word passes its horizontal
// delta on the bottom row (+1, 0, -1) to the next word as a carry.
template <bool kBounded, typename CharT>
int LevenshteinBlocks(const BlockSymbolMasks& masks, int pattern_len, const CharT* text,
                      int text_len, int max_distance) {
  const int words = masks.words();
  std::vector<uint64_t> vp(words, ~uint64_t{0});
  std::vector<uint64_t> vn(words, 0);
  const uint64_t last = uint64_t{1} << ((pattern_len - 1) % kWordBits);
  constexpr uint64_t kHigh = uint64_t{1} << (kWordBits - 1);
  int score = pattern_len;
  for (int j = 0; j < text_len; ++j) {
    const uint64_t* pm = masks.Get(text[j]);
    uint64_t hp_in = 1;  // Row 0 of the matrix is 0, 1, 2, ...: a +1 delta enters word 0.
    uint64_t hn_in = 0;
    for (int w = 0; w < words; ++w) {
      const uint64_t high = w == words - 1 ? last : kHigh;
      const uint64_t xv = pm[w] | vn[w];
      const uint64_t eq = pm[w] | hn_in;
      const uint64_t xh = (((eq & vp[w]) + vp[w]) ^ vp[w]) | eq;
      uint64_t hp = vn[w] | ~(xh | vp[w]);
      uint64_t hn = vp[w] & xh;
      const uint64_t hp_out = (hp & high) != 0;
      const uint64_t hn_out = (hn & high) != 0;
      hp = (hp << 1) | hp_in;
      hn = (hn << 1) | hn_in;
      vp[w] = hn | ~(xv | hp);
      vn[w] = hp & xv;
      hp_in = hp_out;
      hn_in = hn_out;
    }
    score += static_cast<int>(hp_in) - static_cast<int>(hn_in);
    if constexpr (kBounded) {
      if (score - (text_len - j - 1) > max_distance) return max_distance + 1;
    }
  }
  if constexpr (kBounded) return std::min(score, max_distance + 1);
  return score;
}

template <bool kBounded, typename CharT>
int LevenshteinOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b,
                  int max_distance) {
  if constexpr (kBounded) {
    ENTENTE_CHECK(max_distance >= 0);
    if (std::abs(Size(a) - Size(b)) > max_distance) return max_distance + 1;
  }
  // A common prefix or suffix never changes the distance.
  while (!a.empty() && !b.empty() && a.front() == b.front()) {
    a.remove_prefix(1);
    b.remove_prefix(1);
  }
  while (!a.empty() && !b.empty() && a.back() == b.back()) {
    a.remove_suffix(1);
    b.remove_suffix(1);
  }
  // The shorter string is the pattern: fewer words.
  if (a.size() > b.size()) std::swap(a, b);
  int distance;
  if (a.empty()) {
    distance = Size(b);
  } else if (a.size() <= kWordBits) {
    const SparseSymbolMasks<CharT> masks(a, b);
    return LevenshteinWord<kBounded>(masks, Size(a), b.data(), Size(b), max_distance);
  } else {
    const BlockSymbolMasks masks(a);
    return LevenshteinBlocks<kBounded>(masks, Size(a), b.data(), Size(b), max_distance);
  }
  if constexpr (kBounded) return std::min(distance, max_distance + 1);
  return distance;
}

template <typename CharT>
double SimilarityFromDistance(int distance, std::basic_string_view<CharT> a,
                              std::basic_string_view<CharT> b) {
  const int longest = std::max(Size(a), Size(b));
  if (longest == 0) return 1.0;
  return 1.0 - static_cast<double>(distance) / longest;
}

// Hyyrö's bit-parallel optimal string alignment (1 <= pattern_len <= 64): Levenshtein plus a
// transposition term, from the previous symbol's match mask.
template <typename Masks, typename CharT>
int OsaWord(const Masks& masks, int pattern_len, const CharT* text, int text_len) {
  uint64_t vp = ~uint64_t{0};
  uint64_t vn = 0;
  uint64_t d0 = 0;
  uint64_t pm_previous = 0;
  const uint64_t last = uint64_t{1} << (pattern_len - 1);
  int score = pattern_len;
  for (int j = 0; j < text_len; ++j) {
    const uint64_t pm = masks.Get(text[j]);
    const uint64_t transposition = ((~d0 & pm) << 1) & pm_previous;
    d0 = (((pm & vp) + vp) ^ vp) | pm | vn | transposition;
    uint64_t hp = vn | ~(d0 | vp);
    uint64_t hn = d0 & vp;
    score += (hp & last) != 0;
    score -= (hn & last) != 0;
    hp = (hp << 1) | 1;
    hn <<= 1;
    vp = hn | ~(d0 | hp);
    vn = hp & d0;
    pm_previous = pm;
  }
  return score;
}

template <typename CharT>
int OsaScalarOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  const int n = Size(a);
  const int m = Size(b);
  // Three rows of the (n + 1) x (m + 1) matrix: i - 2, i - 1, i.
  std::vector<int> two_up(m + 1), up(m + 1), row(m + 1);
  for (int j = 0; j <= m; ++j) up[j] = j;
  for (int i = 1; i <= n; ++i) {
    row[0] = i;
    for (int j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({up[j] + 1, row[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d = std::min(d, two_up[j - 2] + 1);
      }
      row[j] = d;
    }
    std::swap(two_up, up);
    std::swap(up, row);
  }
  return up[m];
}

template <typename CharT>
int OsaOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (a.empty()) return Size(b);
  if (a.size() <= kWordBits) {
    const SparseSymbolMasks<CharT> masks(a, b);
    return OsaWord(masks, Size(a), b.data(), Size(b));
  }
  return OsaScalarOf(a, b);
}

// The last row (1-based) of `a` where each symbol was seen: jellyfish's `da`.
class LastRowBytes {
 public:
  int& operator[](char c) { return rows_[static_cast<unsigned char>(c)]; }

 private:
  std::array<int, 256> rows_{};
};

class LastRowCodePoints {
 public:
  int& operator[](char32_t c) { return rows_[c]; }

 private:
  std::unordered_map<char32_t, int> rows_;
};

// jellyfish's damerau_levenshtein_distance (Lowrance-Wagner), on a (n + 2) x (m + 2) matrix.
template <typename CharT, typename LastRow>
int DamerauLevenshteinOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  const int n = Size(a);
  const int m = Size(b);
  const int infinite = n + m;
  const int stride = m + 2;
  std::vector<int> score(static_cast<size_t>(n + 2) * stride, 0);
  auto at = [&](int i, int j) -> int& { return score[static_cast<size_t>(i) * stride + j]; };
  at(0, 0) = infinite;
  for (int i = 0; i <= n; ++i) {
    at(i + 1, 0) = infinite;
    at(i + 1, 1) = i;
  }
  for (int j = 0; j <= m; ++j) {
    at(0, j + 1) = infinite;
    at(1, j + 1) = j;
  }
  LastRow last_row;
  for (int i = 1; i <= n; ++i) {
    int last_match_column = 0;
    for (int j = 1; j <= m; ++j) {
      const int i1 = last_row[b[j - 1]];
      const int j1 = last_match_column;
      int cost = 1;
      if (a[i - 1] == b[j - 1]) {
        cost = 0;
        last_match_column = j;
      }
      at(i + 1, j + 1) = std::min({at(i, j) + cost, at(i + 1, j) + 1, at(i, j + 1) + 1,
                                   at(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1)});
    }
    last_row[a[i - 1]] = i;
  }
  return at(n + 1, m + 1);
}

template <typename CharT>
int HammingOf(std::basic_string_view<CharT> a, std::basic_string_view<CharT> b) {
  if (a.size() < b.size()) std::swap(a, b);
  int distance = Size(a) - Size(b);
  for (size_t i = 0; i < b.size(); ++i) distance += a[i] != b[i];
  return distance;
}

}  // namespace

int Levenshtein(std::string_view a, std::string_view b) { return LevenshteinOf<false>(a, b, 0); }
int Levenshtein(std::u32string_view a, std::u32string_view b) {
  return LevenshteinOf<false>(a, b, 0);
}

int LevenshteinAtMost(std::string_view a, std::string_view b, int max_distance) {
  return LevenshteinOf<true>(a, b, max_distance);
}
int LevenshteinAtMost(std::u32string_view a, std::u32string_view b, int max_distance) {
  return LevenshteinOf<true>(a, b, max_distance);
}

double LevenshteinSimilarity(std::string_view a, std::string_view b) {
  return SimilarityFromDistance(Levenshtein(a, b), a, b);
}
double LevenshteinSimilarity(std::u32string_view a, std::u32string_view b) {
  return SimilarityFromDistance(Levenshtein(a, b), a, b);
}

int OsaDistance(std::string_view a, std::string_view b) { return OsaOf(a, b); }
int OsaDistance(std::u32string_view a, std::u32string_view b) { return OsaOf(a, b); }

int DamerauLevenshtein(std::string_view a, std::string_view b) {
  return DamerauLevenshteinOf<char, LastRowBytes>(a, b);
}
int DamerauLevenshtein(std::u32string_view a, std::u32string_view b) {
  return DamerauLevenshteinOf<char32_t, LastRowCodePoints>(a, b);
}

int Hamming(std::string_view a, std::string_view b) { return HammingOf(a, b); }
int Hamming(std::u32string_view a, std::u32string_view b) { return HammingOf(a, b); }

namespace {

template <typename CharT>
std::variant<SymbolMasks, BlockSymbolMasks> MakeMasks(std::basic_string_view<CharT> query) {
  using Masks = std::variant<SymbolMasks, BlockSymbolMasks>;
  if (query.size() <= kWordBits) return Masks(std::in_place_type<SymbolMasks>, query);
  return Masks(std::in_place_type<BlockSymbolMasks>, query);
}

}  // namespace

template <typename CharT>
BasicLevenshteinPattern<CharT>::BasicLevenshteinPattern(StringView query)
    : query_(query), masks_(MakeMasks(query)) {}

template <typename CharT>
int BasicLevenshteinPattern<CharT>::Distance(StringView candidate) const {
  const int query_len = Size(StringView(query_));
  if (query_len == 0) return Size(candidate);
  if (const auto* word = std::get_if<SymbolMasks>(&masks_)) {
    return LevenshteinWord<false>(*word, query_len, candidate.data(), Size(candidate), 0);
  }
  return LevenshteinBlocks<false>(std::get<BlockSymbolMasks>(masks_), query_len, candidate.data(),
                                  Size(candidate), 0);
}

template <typename CharT>
int BasicLevenshteinPattern<CharT>::DistanceAtMost(StringView candidate, int max_distance) const {
  ENTENTE_CHECK(max_distance >= 0);
  const int query_len = Size(StringView(query_));
  const int candidate_len = Size(candidate);
  if (std::abs(query_len - candidate_len) > max_distance) return max_distance + 1;
  if (query_len == 0) return std::min(candidate_len, max_distance + 1);
  if (const auto* word = std::get_if<SymbolMasks>(&masks_)) {
    return LevenshteinWord<true>(*word, query_len, candidate.data(), candidate_len, max_distance);
  }
  return LevenshteinBlocks<true>(std::get<BlockSymbolMasks>(masks_), query_len, candidate.data(),
                                 candidate_len, max_distance);
}

template <typename CharT>
double BasicLevenshteinPattern<CharT>::Similarity(StringView candidate) const {
  return SimilarityFromDistance(Distance(candidate), StringView(query_), candidate);
}

template class BasicLevenshteinPattern<char>;
template class BasicLevenshteinPattern<char32_t>;

namespace internal {

int LevenshteinScalar(std::u32string_view a, std::u32string_view b) {
  const int n = Size(a);
  const int m = Size(b);
  std::vector<int> row(m + 1);
  for (int j = 0; j <= m; ++j) row[j] = j;
  for (int i = 1; i <= n; ++i) {
    int diagonal = row[0];
    row[0] = i;
    for (int j = 1; j <= m; ++j) {
      const int above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[m];
}

int OsaScalar(std::u32string_view a, std::u32string_view b) { return OsaScalarOf(a, b); }

}  // namespace internal
}  // namespace entente::match
