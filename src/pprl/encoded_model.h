#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "pprl/bloom_code.h"

namespace entente::pprl {

// How two codes compare, range by range (bloom_code.h): the Dice coefficient of each range
// falls into a level, as a plaintext comparison falls into Fellegi-Sunter levels
// (match/comparison.h). Level 0 means no evidence (the range is empty on either side: no
// birth date, no document) and weighs nothing; level 1 is the closest band, the last level
// everything below the last band.
inline constexpr size_t kMaxRangeLevels = 15;
using RangeLevels = std::array<uint8_t, kRangeCount>;

// "name", "birth", "traits", "identifier".
std::string_view RangeName(CodeRange range);
// Levels of a range, level 0 included.
int RangeLevelCount(CodeRange range);
// The levels of `range` that come before its Dice bands: for the birth range, a date that the
// other contains, by its precision (full date, year-month, year); none for the others.
int ContainedLevels(CodeRange range);
// The levels of `range` before its Dice bands: for the birth range, the three containment
// levels and the two readings of BirthVariantLevel; none for the others.
int LevelsBeforeBands(CodeRange range);
// The least Dice of each Dice level of `range` (level LevelsBeforeBands + 1 first); the last
// level has none.
std::span<const float> RangeBands(CodeRange range);
// The level of one range from its intersection and the two popcounts (for the traits range, the
// Dice level of its person part only: its level needs the words, TraitsLevel).
int RangeLevel(CodeRange range, uint32_t intersection, uint32_t popcount_a, uint32_t popcount_b);
// The level of the traits range from its word in each code: gender and nationalities by the
// Dice bands of their span (RangeLevel, 0 to 4), crossed with the country of residence (none,
// in common, not): 5 * country + person, in 0..14; 0, no evidence, only when neither is known.
int TraitsLevel(uint64_t a, uint64_t b);
// The level of every range but the traits range from the counts of two codes (the traits level,
// which needs the words, is left 0: TraitsLevel).
RangeLevels CountedLevels(const RangeCounts& intersections, const RangeCounts& popcounts_a,
                          const RangeCounts& popcounts_b);
// The level of every range of codes `a` and `b`, from their counts (the traits range from its
// words, TraitsLevel).
RangeLevels CompareRanges(const BloomCode& a, const BloomCode& b, const RangeCounts& intersections,
                          const RangeCounts& popcounts_a, const RangeCounts& popcounts_b);
// The birth level of a listed code (whose birth range sets `listed_popcount` bits) that one of
// the query's readings contains as a full date (BirthVariants, bloom_code.h): 4 for day and
// month swapped, 5 for the year one off; 0 when none does.
int BirthVariantLevel(const BirthVariants& variants, const BloomCode& listed,
                      uint32_t listed_popcount);
// The levels of a query and a listed code: CompareRanges, then, when the birth dates neither
// contain one another, BirthVariantLevel.
RangeLevels CompareQuery(const QueryCode& query, const BloomCode& listed,
                         const RangeCounts& intersections, const RangeCounts& query_popcounts,
                         const RangeCounts& listed_popcounts);

// A Fellegi-Sunter model over the range levels: m = P(level | same person), u = P(level | two
// random people), and the prior odds (query_match_rate / listed_records) /
// (1 - query_match_rate) that the query is one given listed record, as in match::FsModel. A level's
// weight is log2(m / u); a pair's match weight is the prior's log-odds plus its levels' weights,
// its score 1 / (1 + 2^-weight), in 0..1 like the plaintext scorer's match probability. A plain
// value type; const methods are thread-safe.
struct EncodedModel {
  using Table = std::array<std::array<double, kMaxRangeLevels>, kRangeCount>;
  Table m{};
  Table u{};
  double query_match_rate = 0.1;
  double listed_records = 1e6;

  double LevelWeight(CodeRange range, int level) const;
  double PriorBits() const;
  double MatchWeight(const RangeLevels& levels) const;
  double MatchProbability(const RangeLevels& levels) const;
};

// The built-in model: m (and a starting u) fitted by EM on the unlabelled candidate pairs of a
// synthetic training population (seed 99, never a test seed; encoded_model_test.cc refits it),
// kept away from 0 and 1. EncodedIndex replaces u with EstimateU on its own codes.
EncodedModel DefaultEncodedModel();

// One comparison pattern and how many pairs show it (the input of FitByEm).
struct LevelPattern {
  RangeLevels levels{};
  double count = 0;
};

// Expectation-maximisation of a two-class mixture (same person or not) with the ranges
// conditionally independent (Winkler 1988): from `start`, `iterations` rounds that re-estimate
// m, u and the share of matching pairs among `patterns`. Returns the model with m and u
// fitted (each level's probability kept at least 1e-6) and sets *match_share when not null.
// The query match rate and listed records of `start` are kept.
EncodedModel FitByEm(const EncodedModel& start, std::span<const LevelPattern> patterns,
                     int iterations, double* match_share);

// u estimated on `codes` themselves: the levels of `samples` random pairs (seed `seed`), each
// level's count plus one half, normalised. Returns `base` unchanged for fewer than two codes.
EncodedModel EstimateU(const EncodedModel& base, std::span<const BloomCode> codes, size_t samples,
                       uint64_t seed);

}  // namespace entente::pprl
