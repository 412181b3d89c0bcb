#include "pprl/encoded_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <initializer_list>
#include <vector>

#include "common/check.h"
#include "common/random.h"
#include "match/fs_model.h"

namespace entente::pprl {
namespace {

constexpr double kFloor = 1e-12;
constexpr double kLeastProbability = 1e-6;

// The least Dice of each level, closest first. Names: a spelling variant, a token more or less
// and a transliteration fall in the upper bands, unrelated names of the same pools in the lower
// ones. Traits: gender and every nationality; most of them; few. Identifiers: a document or
// phone in common; some shared bits; none.
constexpr std::array<float, 6> kNameBands = {0.95F, 0.88F, 0.80F, 0.72F, 0.64F, 0.56F};
// Birth, for two dates neither of which the other contains (BirthLevel has the three levels
// before them): year and month, or year and swapped day-month; the year only; the day-month only
// or a few bits by chance.
constexpr std::array<float, 3> kBirthBands = {0.45F, 0.30F, 0.20F};
constexpr std::array<float, 3> kTraitBands = {0.90F, 0.60F, 0.35F};
// The traits level crosses those bands of gender and nationalities (0 when either side has
// neither, else 1 to 4) with the country of residence (0 when either side has none, 1 when 75%
// of the smaller's bits are in common, a country in common, else 2): 5 * country + person.
constexpr int kTraitsPersonLevels = static_cast<int>(kTraitBands.size()) + 2;
constexpr int kTraitsCountryStates = 3;
constexpr int kCountryAgrees = 1;
constexpr int kCountryDisagrees = 2;
constexpr uint32_t kCountryNumerator = 4;
constexpr uint32_t kCountryDenominator = 3;
constexpr std::array<float, 2> kIdentifierBands = {0.60F, 0.30F};

// Birth dates are compared by containment first: levels 1 to 3 are a date the other contains
// (85% of the smaller one's bits in common, so that a bit lost to a collision does not matter),
// by the precision of the smaller one, read from its popcount with the default FieldWeights:
// a full date sets about 26 bits (year 8, year-month 6, date 8, day-month 4), a year-month 14,
// a year only 8. A year-only record thus meets the full date of its year at level 3, the same
// evidence as two year-only records of that year, and not the level of two full dates that
// differ in all but their year. The Dice bands then sort the dates neither contains.
constexpr int kBirthContained = 3;
constexpr uint32_t kContainedNumerator = 17;
constexpr uint32_t kContainedDenominator = 20;
constexpr uint32_t kLeastFullDateBits = 20;
constexpr uint32_t kLeastYearMonthBits = 11;
// Then the query's other readings of its full dates (BirthVariants): the listed date is one of
// them, day and month swapped (level 4) or the year one off (level 5), contained as a full date
// is in level 1. Two readings shift the Dice bands by two levels.
constexpr int kBirthVariantLevels = static_cast<int>(kBirthVariantCount);

// The traits range holds two fields that the model takes as independent given the class, as
// the plaintext model takes gender, nationality and country: gender and nationalities (the
// person part, levels 1 to 4 of its Dice bands) and the country (1 in common, 2 another). A
// traits level's m (or u) is the product of its parts', a missing part counting 1, so that its
// weight is the sum of theirs and a part missing on either side weighs nothing: how often
// queries lack a part does not enter u, which is estimated on listed records.
using LevelRow = std::array<double, kMaxRangeLevels>;
void FillTraits(std::span<const double> person, std::span<const double> country, LevelRow& row) {
  constexpr auto kPersons = static_cast<size_t>(kTraitsPersonLevels);
  for (size_t c = 0; c < static_cast<size_t>(kTraitsCountryStates); ++c) {
    for (size_t p = 0; p < kPersons; ++p) {
      if (c == 0 && p == 0) continue;
      row[kPersons * c + p] = (p == 0 ? 1.0 : person[p]) * (c == 0 ? 1.0 : country[c]);
    }
  }
}

// Refills a traits row from per-level counts (or probabilities): each part's marginal over the
// levels where it is present, plus `prior` a level, normalised, at least `least`.
void RefactorTraits(const LevelRow& counts, double prior, double least, LevelRow& row) {
  std::array<double, kTraitsPersonLevels> person{};
  std::array<double, kTraitsCountryStates> country{};
  for (size_t c = 0; c < country.size(); ++c) {
    for (size_t p = 0; p < person.size(); ++p) {
      const double n = counts[person.size() * c + p];
      if (p > 0) person[p] += n;
      if (c > 0) country[c] += n;
    }
  }
  auto normalise = [&](auto& part) {
    double total = 0;
    for (size_t i = 1; i < part.size(); ++i) total += part[i] + prior;
    for (size_t i = 1; i < part.size(); ++i) {
      part[i] = total > 0 ? std::max(least, (part[i] + prior) / total) : least;
    }
  };
  normalise(person);
  normalise(country);
  FillTraits(person, country, row);
}

// Whether a level of `range` is one of the query's birth readings (BirthVariantLevel): pairs of
// index codes never reach them, as only the querying side holds its plaintext.
bool IsReadingLevel(CodeRange range, size_t level) {
  const auto first = static_cast<size_t>(kBirthContained) + 1;
  return range == CodeRange::kBirth && level >= first &&
         level < first + static_cast<size_t>(kBirthVariantLevels);
}

// The one way FitByEm and EstimateU turn a range's level counts into probabilities: the traits
// range as the product of its two parts (RefactorTraits); any other as each level's count plus
// `prior`, normalised, at least `least`. With `keep_readings`, the reading levels keep `base`'s
// probability and the other levels share what remains. A range without counts (and no prior)
// keeps `base`'s row.
void Reestimate(CodeRange range, const LevelRow& counts, double prior, double least,
                bool keep_readings, const LevelRow& base, LevelRow& out) {
  if (range == CodeRange::kTraits) {
    RefactorTraits(counts, prior, least, out);
    return;
  }
  const auto levels = static_cast<size_t>(RangeLevelCount(range));
  auto kept = [&](size_t level) { return keep_readings && IsReadingLevel(range, level); };
  double total = 0;
  double kept_share = 0;
  for (size_t l = 1; l < levels; ++l) {
    if (kept(l)) {
      kept_share += base[l];
    } else {
      total += counts[l] + prior;
    }
  }
  for (size_t l = 1; l < levels; ++l) {
    const bool estimated = !kept(l) && total > 0;
    out[l] = estimated ? std::max(least, (1 - kept_share) * (counts[l] + prior) / total) : base[l];
  }
}

void SetLevels(EncodedModel& model, CodeRange range, std::initializer_list<double> m,
               std::initializer_list<double> u) {
  const auto r = static_cast<size_t>(range);
  ENTENTE_CHECK(m.size() + 1 == static_cast<size_t>(RangeLevelCount(range)));
  ENTENTE_CHECK(u.size() == m.size());
  size_t level = 1;
  for (double v : m) model.m[r][level++] = v;
  level = 1;
  for (double v : u) model.u[r][level++] = v;
}

}  // namespace

std::string_view RangeName(CodeRange range) {
  switch (range) {
    case CodeRange::kName:
      return "name";
    case CodeRange::kBirth:
      return "birth";
    case CodeRange::kTraits:
      return "traits";
    case CodeRange::kIdentifier:
      return "identifier";
  }
  return "unknown";
}

std::span<const float> RangeBands(CodeRange range) {
  switch (range) {
    case CodeRange::kName:
      return kNameBands;
    case CodeRange::kBirth:
      return kBirthBands;
    case CodeRange::kTraits:
      return kTraitBands;
    case CodeRange::kIdentifier:
      return kIdentifierBands;
  }
  return {};
}

int ContainedLevels(CodeRange range) { return range == CodeRange::kBirth ? kBirthContained : 0; }

int LevelsBeforeBands(CodeRange range) {
  return range == CodeRange::kBirth ? kBirthContained + kBirthVariantLevels : 0;
}

int RangeLevelCount(CodeRange range) {
  if (range == CodeRange::kTraits) return kTraitsPersonLevels * kTraitsCountryStates;
  return LevelsBeforeBands(range) + static_cast<int>(RangeBands(range).size()) + 2;
}

namespace {

// For each range, band and sum of the two popcounts t: the least intersection whose Dice
// (DiceFromCounts, the one float division every kernel does) reaches the band. Looking it up
// gives the very level the division would, without a division a candidate and range.
class BandTable {
 public:
  BandTable() {
    for (size_t r = 0; r < kRangeCount; ++r) {
      const auto range = static_cast<CodeRange>(r);
      const std::span<const float> bands = RangeBands(range);
      const auto totals = static_cast<uint32_t>(2 * RangeBits(range) + 1);
      least_[r].assign(bands.size() * totals, 0);
      totals_[r] = totals;
      for (size_t b = 0; b < bands.size(); ++b) {
        for (uint32_t t = 0; t < totals; ++t) {
          uint32_t i = 0;
          // DiceFromCounts depends on the two popcounts through their sum only.
          while (i <= t && DiceFromCounts(i, t, 0) < bands[b]) ++i;
          least_[r][b * totals + t] = static_cast<uint16_t>(i);
        }
      }
    }
  }
  int Level(CodeRange range, uint32_t intersection, uint32_t total) const {
    const auto r = static_cast<size_t>(range);
    const size_t bands = RangeBands(range).size();
    const uint16_t* least = least_[r].data() + total;
    for (size_t b = 0; b < bands; ++b) {
      if (intersection >= least[b * totals_[r]]) return static_cast<int>(b) + 1;
    }
    return static_cast<int>(bands) + 1;
  }

 private:
  std::array<std::vector<uint16_t>, kRangeCount> least_;
  std::array<uint32_t, kRangeCount> totals_{};
};

const BandTable& Bands() {
  static const BandTable kTable;
  return kTable;
}

}  // namespace

int RangeLevel(CodeRange range, uint32_t intersection, uint32_t popcount_a, uint32_t popcount_b) {
  if (popcount_a == 0 || popcount_b == 0) return 0;
  if (range == CodeRange::kBirth) {
    // One date (nearly) all inside the other: they agree as far as the less precise one goes,
    // and that precision, read from its popcount, is the strength of the evidence.
    const uint32_t least = std::min(popcount_a, popcount_b);
    if (kContainedDenominator * intersection >= kContainedNumerator * least) {
      if (least >= kLeastFullDateBits) return 1;
      if (least >= kLeastYearMonthBits) return 2;
      return 3;
    }
  }
  return LevelsBeforeBands(range) + Bands().Level(range, intersection, popcount_a + popcount_b);
}

int BirthVariantLevel(const BirthVariants& variants, const BloomCode& listed,
                      uint32_t listed_popcount) {
  constexpr size_t kBirthFirstWord = kRangeWordBegin[static_cast<size_t>(CodeRange::kBirth)];
  for (size_t v = 0; v < kBirthVariantCount; ++v) {
    const uint32_t popcount = variants.popcounts[v];
    const uint32_t least = std::min(popcount, listed_popcount);
    if (least < kLeastFullDateBits) continue;
    uint32_t intersection = 0;
    for (size_t w = 0; w < BirthVariants::kWords; ++w) {
      intersection += static_cast<uint32_t>(
          std::popcount(variants.words[v][w] & listed.words[kBirthFirstWord + w]));
    }
    if (kContainedDenominator * intersection >= kContainedNumerator * least) {
      return kBirthContained + 1 + static_cast<int>(v);
    }
  }
  return 0;
}

RangeLevels CompareQuery(const QueryCode& query, const BloomCode& listed,
                         const RangeCounts& intersections, const RangeCounts& query_popcounts,
                         const RangeCounts& listed_popcounts) {
  RangeLevels levels =
      CompareRanges(query.code, listed, intersections, query_popcounts, listed_popcounts);
  constexpr auto kBirth = static_cast<size_t>(CodeRange::kBirth);
  if (levels[kBirth] > kBirthContained && !query.birth.empty()) {
    const int variant = BirthVariantLevel(query.birth, listed, listed_popcounts[kBirth]);
    if (variant != 0) levels[kBirth] = static_cast<uint8_t>(variant);
  }
  return levels;
}

int TraitsLevel(uint64_t a, uint64_t b) {
  auto count = [](uint64_t x) { return static_cast<uint32_t>(std::popcount(x)); };
  const int person = RangeLevel(CodeRange::kTraits, count(a & b & kTraitsPersonMask),
                                count(a & kTraitsPersonMask), count(b & kTraitsPersonMask));
  const uint32_t country_a = count(a & kTraitsCountryMask);
  const uint32_t country_b = count(b & kTraitsCountryMask);
  int country = 0;
  if (country_a != 0 && country_b != 0) {
    const uint32_t both = count(a & b & kTraitsCountryMask);
    country = kCountryNumerator * both >= kCountryDenominator * std::min(country_a, country_b)
                  ? kCountryAgrees
                  : kCountryDisagrees;
  }
  return kTraitsPersonLevels * country + person;
}

RangeLevels CountedLevels(const RangeCounts& intersections, const RangeCounts& popcounts_a,
                          const RangeCounts& popcounts_b) {
  RangeLevels levels{};
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    if (range == CodeRange::kTraits) continue;
    levels[r] =
        static_cast<uint8_t>(RangeLevel(range, intersections[r], popcounts_a[r], popcounts_b[r]));
  }
  return levels;
}

RangeLevels CompareRanges(const BloomCode& a, const BloomCode& b, const RangeCounts& intersections,
                          const RangeCounts& popcounts_a, const RangeCounts& popcounts_b) {
  RangeLevels levels = CountedLevels(intersections, popcounts_a, popcounts_b);
  constexpr size_t kTraits = static_cast<size_t>(CodeRange::kTraits);
  levels[kTraits] = static_cast<uint8_t>(
      TraitsLevel(a.words[kRangeWordBegin[kTraits]], b.words[kRangeWordBegin[kTraits]]));
  return levels;
}

double EncodedModel::LevelWeight(CodeRange range, int level) const {
  if (level <= 0) return 0;
  const auto r = static_cast<size_t>(range);
  const auto l = static_cast<size_t>(level);
  return std::log2(std::max(m[r][l], kFloor) / std::max(u[r][l], kFloor));
}

double EncodedModel::PriorBits() const {
  return match::PriorLog2Odds(query_match_rate, listed_records);
}

double EncodedModel::MatchWeight(const RangeLevels& levels) const {
  double w = PriorBits();
  for (size_t r = 0; r < kRangeCount; ++r) {
    w += LevelWeight(static_cast<CodeRange>(r), levels[r]);
  }
  return w;
}

double EncodedModel::MatchProbability(const RangeLevels& levels) const {
  return 1.0 / (1.0 + std::exp2(-MatchWeight(levels)));
}

EncodedModel DefaultEncodedModel() {
  EncodedModel model;
  // m: EM on the training population (encoded_model_test.cc), rounded. u: of random pairs of
  // that population, replaced by EstimateU on the index at hand.
  //                                  1      2      3      4      5      6      7 (below)
  SetLevels(model, CodeRange::kName, {0.365, 0.135, 0.215, 0.155, 0.077, 0.04, 0.013},
            {2e-6, 1e-5, 1e-4, 1e-3, 8e-3, 3e-2, 0.96});
  // Birth levels 4 and 5 (a swapped or year-off reading of the query) cannot be sampled from
  // an index's codes alone: EstimateU keeps their u, that of random query and listed pairs of
  // the training population (encoded_model_test.cc measures it).
  SetLevels(model, CodeRange::kBirth,
            {0.696, 0.07, 0.193, 0.008, 0.022, 0.0013, 0.0027, 0.0005, 0.0068},
            {5e-5, 2e-4, 5e-3, 2.8e-5, 1.4e-4, 3e-3, 2e-2, 6e-2, 0.91});
  // Traits (TraitsLevel, FillTraits): the person part's levels 1 to 4, and the country's. The
  // training population's records of one person never disagree on the country; real ones do
  // (people move, registers lag): m keeps 8% of them at "another", as the plaintext model does.
  constexpr auto kTraits = static_cast<size_t>(CodeRange::kTraits);
  FillTraits(std::array<double, 5>{1, 0.56, 0.37, 0.06, 0.01}, std::array<double, 3>{1, 0.92, 0.08},
             model.m[kTraits]);
  FillTraits(std::array<double, 5>{1, 0.15, 0.25, 0.3, 0.3}, std::array<double, 3>{1, 0.3, 0.7},
             model.u[kTraits]);
  SetLevels(model, CodeRange::kIdentifier, {0.51, 0.30, 0.19}, {1e-6, 1e-3, 0.999});
  return model;
}

EncodedModel FitByEm(const EncodedModel& start, std::span<const LevelPattern> patterns,
                     int iterations, double* match_share) {
  EncodedModel model = start;
  double share = 0.01;
  for (int iteration = 0; iteration < iterations; ++iteration) {
    EncodedModel::Table m_counts{};
    EncodedModel::Table u_counts{};
    double matched = 0;
    double total = 0;
    for (const LevelPattern& pattern : patterns) {
      double m_log = std::log2(share);
      double u_log = std::log2(1 - share);
      for (size_t r = 0; r < kRangeCount; ++r) {
        const size_t l = pattern.levels[r];
        if (l == 0) continue;
        m_log += std::log2(std::max(model.m[r][l], kFloor));
        u_log += std::log2(std::max(model.u[r][l], kFloor));
      }
      const double p = 1 / (1 + std::exp2(u_log - m_log));
      matched += p * pattern.count;
      total += pattern.count;
      for (size_t r = 0; r < kRangeCount; ++r) {
        const size_t l = pattern.levels[r];
        if (l == 0) continue;
        m_counts[r][l] += p * pattern.count;
        u_counts[r][l] += (1 - p) * pattern.count;
      }
    }
    if (total <= 0) break;
    share = std::clamp(matched / total, 1e-9, 1 - 1e-9);
    for (size_t r = 0; r < kRangeCount; ++r) {
      const auto range = static_cast<CodeRange>(r);
      const LevelRow m = model.m[r];
      const LevelRow u = model.u[r];
      Reestimate(range, m_counts[r], 0, kLeastProbability, false, m, model.m[r]);
      Reestimate(range, u_counts[r], 0, kLeastProbability, false, u, model.u[r]);
    }
  }
  if (match_share != nullptr) *match_share = share;
  return model;
}

EncodedModel EstimateU(const EncodedModel& base, std::span<const BloomCode> codes, size_t samples,
                       uint64_t seed) {
  EncodedModel model = base;
  if (codes.size() < 2) return model;
  Rng rng(seed);
  EncodedModel::Table counts{};
  // A register holding someone twice makes a random pair one person now and then. As
  // match::EstimateU does, a range of a pair is not counted when the pair's other ranges alone
  // make it more likely one person than two (by `base`, a match being one pair in codes.size()).
  EncodedModel judge = base;
  judge.query_match_rate = 0.5;  // prior odds 1 / codes.size()
  judge.listed_records = static_cast<double>(codes.size());
  std::array<double, kRangeCount> weights{};
  for (size_t s = 0; s < samples; ++s) {
    const size_t i = rng.Below(codes.size());
    size_t j = rng.Below(codes.size());
    if (i == j) j = (j + 1) % codes.size();
    const RangeLevels levels =
        CompareRanges(codes[i], codes[j], RangeIntersections(codes[i], codes[j]),
                      RangePopcounts(codes[i]), RangePopcounts(codes[j]));
    double total = judge.PriorBits();
    for (size_t r = 0; r < kRangeCount; ++r) {
      weights[r] = judge.LevelWeight(static_cast<CodeRange>(r), levels[r]);
      total += weights[r];
    }
    for (size_t r = 0; r < kRangeCount; ++r) {
      if (levels[r] != 0 && total - weights[r] <= 0) counts[r][levels[r]] += 1;
    }
  }
  // The levels of the query's birth readings are never sampled: they keep `base`'s u.
  for (size_t r = 0; r < kRangeCount; ++r) {
    Reestimate(static_cast<CodeRange>(r), counts[r], 0.5, 0, true, base.u[r], model.u[r]);
  }
  return model;
}

}  // namespace entente::pprl
