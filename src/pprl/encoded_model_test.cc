#include "pprl/encoded_model.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "common/testing.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "pprl/pprl_testing.h"

namespace entente::pprl {
namespace {

using testing::Person;
using testing::TestKey;

RangeLevels LevelsOf(const BloomCode& a, const BloomCode& b) {
  return CompareRanges(a, b, RangeIntersections(a, b), RangePopcounts(a), RangePopcounts(b));
}

// A query's levels with a listed code, its birth readings included.
RangeLevels LevelsOf(const QueryCode& query, const BloomCode& listed) {
  return CompareQuery(query, listed, RangeIntersections(query.code, listed),
                      RangePopcounts(query.code), RangePopcounts(listed));
}

int Level(const BloomCode& a, const BloomCode& b, CodeRange range) {
  return LevelsOf(a, b)[static_cast<size_t>(range)];
}

TEST(EncodedModelTest, LevelsFollowTheBands) {
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    const auto bands = RangeBands(range);
    // The traits range crosses its bands with the country (TraitsLevel, below).
    const int levels = range == CodeRange::kTraits ? 5 * 3 : RangeLevelCount(range);
    EXPECT_EQ(RangeLevelCount(range), levels);
    if (range != CodeRange::kTraits) {
      EXPECT_EQ(RangeLevelCount(range),
                LevelsBeforeBands(range) + static_cast<int>(bands.size()) + 2);
    }
    EXPECT_LE(RangeLevelCount(range), static_cast<int>(kMaxRangeLevels));
    EXPECT_EQ(RangeLevel(range, 0, 0, 10), 0) << "empty on one side: no evidence";
    EXPECT_EQ(RangeLevel(range, 30, 30, 30), 1) << "identical";
    EXPECT_EQ(RangeLevel(range, 0, 10, 10),
              LevelsBeforeBands(range) + static_cast<int>(bands.size()) + 1)
        << "disjoint";
    for (size_t i = 1; i < bands.size(); ++i) EXPECT_LT(bands[i], bands[i - 1]);
  }
  // Dice 2 * 44 / 100 = 0.88: the second name band.
  EXPECT_EQ(RangeLevel(CodeRange::kName, 44, 50, 50), 2);
  EXPECT_EQ(RangeLevel(CodeRange::kName, 43, 50, 50), 3);
}

// The level is looked up, not divided for: it is exactly the level of the Dice coefficient
// every kernel computes, for every intersection and pair of popcounts a range can hold (after the
// birth range's containment levels).
TEST(EncodedModelTest, LevelLookupIsTheDiceBand) {
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    const std::span<const float> bands = RangeBands(range);
    const auto bits = static_cast<uint32_t>(RangeBits(range));
    for (uint32_t a = 0; a <= bits; a += (a < 40 ? 1 : 7)) {
      for (uint32_t b = 0; b <= bits; b += (b < 40 ? 1 : 5)) {
        for (uint32_t i = 0; i <= std::min(a, b); ++i) {
          int expected = static_cast<int>(bands.size()) + 1;
          const float dice = DiceFromCounts(i, a, b);
          for (size_t k = 0; k < bands.size(); ++k) {
            if (dice >= bands[k]) {
              expected = static_cast<int>(k) + 1;
              break;
            }
          }
          expected += LevelsBeforeBands(range);
          if (range == CodeRange::kBirth && 20 * i >= 17 * std::min(a, b)) {
            const uint32_t least = std::min(a, b);
            expected = least >= 20 ? 1 : least >= 11 ? 2 : 3;
          }
          if (a == 0 || b == 0) expected = 0;
          ASSERT_EQ(RangeLevel(range, i, a, b), expected) << r << " " << i << " " << a << " " << b;
        }
      }
    }
  }
}

TEST(EncodedModelTest, BirthLevelsOfDatePairs) {
  const Encoder encoder(TestKey(1));
  auto code = [&](std::string_view birth) {
    return encoder.Encode(Person("Mohamed El Amrani", birth, "male", "MA"));
  };
  const BloomCode date = code("1987-03-14");
  EXPECT_EQ(Level(date, code("1987-03-14"), CodeRange::kBirth), 1);
  EXPECT_EQ(Level(date, code("1987-03"), CodeRange::kBirth), 2) << "year-month, contained";
  EXPECT_EQ(Level(date, code("1987"), CodeRange::kBirth), 3) << "year only, contained";
  EXPECT_EQ(Level(date, code("1987-01-01"), CodeRange::kBirth), 3) << "placeholder: year only";
  EXPECT_EQ(Level(code("1987"), code("1987"), CodeRange::kBirth), 3)
      << "two years agree no more than a year and a full date";
  EXPECT_EQ(Level(code("1987-03"), code("1987-03"), CodeRange::kBirth), 2);
  EXPECT_EQ(Level(date, code("1987-03-20"), CodeRange::kBirth), 6) << "same year and month";
  const BloomCode swapped = code("1987-11-03");
  EXPECT_GE(Level(code("1987-03-11"), swapped, CodeRange::kBirth), 6)
      << "day and month swapped: a Dice band without the query's readings";
  EXPECT_LE(Level(code("1987-03-11"), swapped, CodeRange::kBirth), 7) << "day and month swapped";
  EXPECT_GE(Level(date, code("1987-11-20"), CodeRange::kBirth), 6) << "same year";
  EXPECT_LE(Level(date, code("1987-11-20"), CodeRange::kBirth), 8) << "same year";
  EXPECT_GE(Level(date, code("1987-05"), CodeRange::kBirth), 6) << "year-month, not contained";
  EXPECT_EQ(Level(date, code("1962-11-20"), CodeRange::kBirth), 9) << "different";
  EXPECT_EQ(Level(date, code("1962"), CodeRange::kBirth), 9) << "another year";
  EXPECT_EQ(Level(date, code(""), CodeRange::kBirth), 0) << "missing";
  // The other ranges do not move.
  EXPECT_EQ(Level(date, code("1962-11-20"), CodeRange::kName), 1);
  EXPECT_EQ(Level(date, code("1962-11-20"), CodeRange::kTraits), 1);
  EXPECT_EQ(Level(date, code("1962-11-20"), CodeRange::kIdentifier), 0);
}

// The query's readings of its full date (Encoder::EncodeQuery) give the levels the Dice bands
// cannot: day and month swapped (4), the year one off (5), both only when the listed date is
// full and not already contained.
TEST(EncodedModelTest, BirthLevelsOfTheQuerysReadings) {
  const Encoder encoder(TestKey(1));
  auto query = [&](std::string_view birth) {
    return encoder.EncodeQuery(Person("Mohamed El Amrani", birth, "male", "MA"));
  };
  auto listed = [&](std::string_view birth) {
    return encoder.Encode(Person("Mohamed El Amrani", birth, "male", "MA"));
  };
  auto level = [&](std::string_view a, std::string_view b) {
    return LevelsOf(query(a), listed(b))[static_cast<size_t>(CodeRange::kBirth)];
  };
  // The Dice levels are 6 to 8, 9 below them.
  struct Row {
    std::string_view query, listed;
    int least, most;
    std::string_view why;
  };
  const Row rows[] = {
      {"1987-03-11", "1987-03-11", 1, 1, "the same date"},
      {"1987-03-11", "1987-11-03", 4, 4, "day and month swapped"},
      {"1987-11-03", "1987-03-11", 4, 4, "either way"},
      {"1987-03-14", "1988-03-14", 5, 5, "a year later"},
      {"1987-03-14", "1986-03-14", 5, 5, "a year earlier"},
      // These share the day and month only: a low Dice band, no reading.
      {"1987-03-11", "1988-11-03", 6, 9, "swapped and a year off: one reading only"},
      {"1987-03-14", "1989-03-14", 6, 9, "two years off"},
      {"1987-03-14", "1988-03-15", 6, 9, "a year and a day off: a Dice band"},
      {"1987-03-14", "1987", 3, 3, "contained before any reading"},
      {"1987-03-14", "1988", 9, 9, "a year only is no full date to read"},
      {"1987", "1988-03-14", 9, 9, "nor to read from"},
      {"1987-01-01", "1988-01-01", 9, 9, "placeholders are years only"},
      {"", "1988-03-14", 0, 0, "missing"},
  };
  for (const Row& row : rows) {
    const int got = level(row.query, row.listed);
    EXPECT_GE(got, row.least) << row.query << " / " << row.listed << ": " << row.why;
    EXPECT_LE(got, row.most) << row.query << " / " << row.listed << ": " << row.why;
  }
  // Without its readings (a bare code) the query falls back to the Dice bands.
  const QueryCode bare(listed("1987-03-14"));
  EXPECT_GE(LevelsOf(bare, listed("1988-03-14"))[static_cast<size_t>(CodeRange::kBirth)], 6);
}

// EstimateU cannot meet the readings' levels among an index's own codes: it keeps their u and
// shares the rest of the birth range's probability among the levels it samples.
TEST(EncodedModelTest, EstimateUKeepsTheUOfTheReadings) {
  const Encoder encoder(TestKey(1));
  std::vector<BloomCode> codes;
  for (int i = 0; i < 200; ++i) {
    codes.push_back(
        encoder.Encode(Person(i % 2 == 0 ? "Karim Haddouchi" : "Anas Ben Issa",
                              "19" + std::to_string(60 + i % 40) + "-0" +
                                  std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10),
                              "male", "MA")));
  }
  const EncodedModel base = DefaultEncodedModel();
  const EncodedModel estimated = EstimateU(base, codes, 20000, 1);
  const auto birth = static_cast<size_t>(CodeRange::kBirth);
  double total = 0;
  for (int l = 1; l < RangeLevelCount(CodeRange::kBirth); ++l) {
    total += estimated.u[birth][static_cast<size_t>(l)];
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  EXPECT_EQ(estimated.u[birth][4], base.u[birth][4]);
  EXPECT_EQ(estimated.u[birth][5], base.u[birth][5]);
  EXPECT_NE(estimated.u[birth][1], base.u[birth][1]) << "the other levels are estimated";
}

// An index holding each person twice: one random pair in 299 is one person, which would make
// the u of the closest name band about 3e-3 (a name in common weighing 7 bits less). Such pairs
// are left out of the estimate.
TEST(EncodedModelTest, EstimateULeavesOutPairsOfOnePerson) {
  const Encoder encoder(TestKey(1));
  Rng rng(3);
  std::vector<BloomCode> codes;
  for (int p = 0; p < 300; ++p) {
    const std::string name = entente::testing::RandomSyllableName(rng);
    const std::string birth = entente::testing::RandomBirthDate(rng);
    codes.push_back(encoder.Encode(Person(name, birth, "male", "MA")));
    codes.push_back(codes.back());
  }
  const EncodedModel estimated = EstimateU(DefaultEncodedModel(), codes, 20000, 1);
  EXPECT_LT(estimated.u[static_cast<size_t>(CodeRange::kName)][1], 1e-4);
  EXPECT_LT(estimated.u[static_cast<size_t>(CodeRange::kBirth)][1], 1e-3);
}

// Gender and nationalities, then the country of residence on its own span of the traits range:
// a country in common, another, or none on either side, whatever gender and nationality say.
TEST(EncodedModelTest, TraitsLevelCrossesPersonAndCountry) {
  const Encoder encoder(TestKey(1));
  auto code = [&](std::string_view gender, std::string_view nationality, std::string_view country) {
    model::Entity e = Person("Mohamed El Amrani", "1987-03-14", gender, nationality);
    if (!country.empty()) e.Add("country", std::string(country));
    return encoder.Encode(e);
  };
  auto level = [&](const BloomCode& a, const BloomCode& b) {
    return Level(a, b, CodeRange::kTraits);
  };
  const BloomCode full = code("male", "MA", "BE");
  EXPECT_EQ(level(full, code("male", "MA", "BE")), 5 * 1 + 1) << "all in common";
  EXPECT_EQ(level(full, code("male", "MA", "")), 1) << "no country on one side";
  EXPECT_EQ(level(full, code("male", "MA", "FR")), 5 * 2 + 1) << "another country";
  EXPECT_EQ(level(full, code("", "", "BE")), 5 * 1 + 0) << "the country alone";
  EXPECT_EQ(level(code("", "", "BE"), code("", "", "ES")), 5 * 2 + 0);
  EXPECT_GE(level(full, code("female", "FR", "BE")), 5 * 1 + 2) << "country yes, person no";
  EXPECT_LE(level(full, code("female", "FR", "BE")), 5 * 1 + 4);
  EXPECT_EQ(level(code("", "", ""), code("male", "MA", "BE")), 0) << "no evidence";
  // The country's bits stay in its span, gender's and nationality's out of it.
  const auto traits = kRangeWordBegin[static_cast<size_t>(CodeRange::kTraits)];
  EXPECT_EQ(code("", "", "BE").words[traits] & kTraitsPersonMask, 0U);
  EXPECT_EQ(code("male", "MA", "").words[traits] & kTraitsCountryMask, 0U);
  EXPECT_NE(code("", "", "BE").words[traits], 0U);
  // Two countries, one in common.
  model::Entity two = Person("Mohamed El Amrani", "1987-03-14", "male", "MA");
  two.Add("country", "ES");
  two.Add("country", "BE");
  EXPECT_EQ(level(encoder.Encode(two), full), 5 * 1 + 1);
}

TEST(EncodedModelTest, IdentifierRangeAgreesOnASharedDocument) {
  const Encoder encoder(TestKey(1));
  model::Entity a = Person("Karim Haddouchi", "", "", "");
  model::Entity b = Person("Abdelkarim Haddouchi", "", "", "");
  model::Entity c = Person("Karim Haddouchi", "", "", "");
  a.Add("passportNumber", "EM 123-456");
  b.Add("passportNumber", "EM123456");
  b.Add("phone", "+32 470 12 34 56");
  c.Add("passportNumber", "XK998877");
  EXPECT_EQ(Level(encoder.Encode(a), encoder.Encode(b), CodeRange::kIdentifier), 1);
  EXPECT_EQ(Level(encoder.Encode(a), encoder.Encode(c), CodeRange::kIdentifier), 3);
}

TEST(EncodedModelTest, WeightsAddUpToTheProbability) {
  const EncodedModel model = DefaultEncodedModel();
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    double m = 0;
    double u = 0;
    // The traits range is two parts whose probabilities multiply (TraitsLevel): the person
    // part's levels 1 to 4 (country missing) add up, and so do the country's (5 and 10, person
    // missing); a level's weight is the sum of its parts'.
    const int last = range == CodeRange::kTraits ? 4 : RangeLevelCount(range) - 1;
    for (int l = 1; l <= last; ++l) {
      m += model.m[r][static_cast<size_t>(l)];
      u += model.u[r][static_cast<size_t>(l)];
    }
    if (range == CodeRange::kTraits) {
      EXPECT_NEAR(model.m[r][5] + model.m[r][10], 1, 1e-9);
      EXPECT_NEAR(model.u[r][5] + model.u[r][10], 1, 1e-9);
      for (int c : {1, 2}) {
        for (int p = 1; p <= 4; ++p) {
          EXPECT_NEAR(model.LevelWeight(range, 5 * c + p),
                      model.LevelWeight(range, 5 * c) + model.LevelWeight(range, p), 1e-9);
        }
      }
      EXPECT_GT(model.LevelWeight(range, 5), 0) << "a country in common";
      EXPECT_LT(model.LevelWeight(range, 10), -2) << "another country";
    }
    EXPECT_NEAR(m, 1, 0.02) << RangeName(range);
    EXPECT_NEAR(u, 1, 0.02) << RangeName(range);
    EXPECT_GT(model.LevelWeight(range, 1), 0) << RangeName(range);
    EXPECT_LT(model.LevelWeight(range, RangeLevelCount(range) - 1), 0) << RangeName(range);
    EXPECT_EQ(model.LevelWeight(range, 0), 0);
  }
  const RangeLevels levels = {1, 1, 1, 0};
  double w = model.PriorBits();
  for (size_t r = 0; r < 3; ++r) w += model.LevelWeight(static_cast<CodeRange>(r), 1);
  EXPECT_DOUBLE_EQ(model.MatchWeight(levels), w);
  EXPECT_DOUBLE_EQ(model.MatchProbability(levels), 1 / (1 + std::exp2(-w)));
}

// EM finds the parameters of a mixture it is given, from a start far from them.
TEST(EncodedModelTest, EmRecoversAKnownMixture) {
  EncodedModel truth = DefaultEncodedModel();
  const double share = 0.05;
  Rng rng(3);
  std::map<RangeLevels, double> counts;
  auto pick = [&](const std::array<double, kMaxRangeLevels>& p, std::vector<int> levels) {
    double x = rng.Uniform();
    for (int l : levels) {
      x -= p[static_cast<size_t>(l)];
      if (x <= 0) return l;
    }
    return levels.back();
  };
  auto draw = [&](const std::array<double, kMaxRangeLevels>& p, CodeRange range) {
    if (range == CodeRange::kTraits) {
      // Two parts drawn apart, each missing now and then: 5 * country + person.
      const int person = rng.Chance(0.2) ? 0 : pick(p, {1, 2, 3, 4});
      const int country = rng.Chance(0.4) ? 0 : pick(p, {5, 10}) / 5;
      return static_cast<uint8_t>(5 * country + person);
    }
    std::vector<int> levels;
    for (int l = 1; l < RangeLevelCount(range); ++l) levels.push_back(l);
    return static_cast<uint8_t>(pick(p, levels));
  };
  for (int i = 0; i < 200000; ++i) {
    const bool match = rng.Chance(share);
    RangeLevels levels{};
    for (size_t r = 0; r < kRangeCount; ++r) {
      levels[r] = draw(match ? truth.m[r] : truth.u[r], static_cast<CodeRange>(r));
    }
    if (levels[static_cast<size_t>(CodeRange::kTraits)] == 0) continue;
    counts[levels] += 1;
  }
  std::vector<LevelPattern> patterns;
  for (const auto& [levels, count] : counts) patterns.push_back({levels, count});
  EncodedModel start;
  for (size_t r = 0; r < kRangeCount; ++r) {
    const int n = RangeLevelCount(static_cast<CodeRange>(r)) - 1;
    for (int l = 1; l <= n; ++l) {
      // m decreasing with the level, u increasing: only the direction is given.
      start.m[r][static_cast<size_t>(l)] = static_cast<double>(n + 1 - l) / (n * (n + 1) / 2.0);
      start.u[r][static_cast<size_t>(l)] = static_cast<double>(l) / (n * (n + 1) / 2.0);
    }
  }
  double fitted_share = 0;
  const EncodedModel fitted = FitByEm(start, patterns, 200, &fitted_share);
  EXPECT_NEAR(fitted_share, share, 0.005);
  for (size_t r = 0; r < kRangeCount; ++r) {
    for (int l = 1; l < RangeLevelCount(static_cast<CodeRange>(r)); ++l) {
      EXPECT_NEAR(fitted.m[r][static_cast<size_t>(l)], truth.m[r][static_cast<size_t>(l)], 0.02);
      EXPECT_NEAR(fitted.u[r][static_cast<size_t>(l)], truth.u[r][static_cast<size_t>(l)], 0.01);
    }
  }
}

// The built-in m comes from here: EM on the unlabelled candidate pairs (LSH) of a synthetic
// training population (seed 99, never a test seed), printed for DefaultEncodedModel. The test
// checks that the built-in m is still what EM finds, within rounding.
TEST(EncodedModelTest, BuiltInModelIsWhatEmFindsOnTheTrainingPopulation) {
  const Encoder encoder(TestKey(99));
  const testing::EncodedPopulation population = testing::EncodePopulation(encoder, 20000, 99);
  const EncodedIndex index = EncodedIndex::Build(TestKey(99), population.watchlist);
  // Two runs, as Splink estimates m: pairs whose names are close (name level 1 or 2) give the
  // m of the other ranges, pairs with the same full birth date (birth level 1) the m of the
  // names; the range a run is blocked on is left out of its patterns.
  std::map<RangeLevels, double> by_name;
  std::map<RangeLevels, double> by_birth;
  size_t pairs = 0;
  for (const auto& query : population.queries) {
    for (uint32_t i : index.Candidates(query.code.code)) {
      RangeLevels levels = LevelsOf(query.code, index.code(i));
      ++pairs;
      if (levels[0] >= 1 && levels[0] <= 2) {
        RangeLevels blocked = levels;
        blocked[0] = 0;
        by_name[blocked] += 1;
      }
      if (levels[1] == 1) {
        RangeLevels blocked = levels;
        blocked[1] = 0;
        by_birth[blocked] += 1;
      }
    }
  }
  auto fit = [&](const std::map<RangeLevels, double>& counts, double* share) {
    std::vector<LevelPattern> patterns;
    for (const auto& [levels, count] : counts) patterns.push_back({levels, count});
    return FitByEm(index.model(), patterns, 300, share);
  };
  double share_name = 0;
  double share_birth = 0;
  const EncodedModel by_name_fit = fit(by_name, &share_name);
  const EncodedModel by_birth_fit = fit(by_birth, &share_birth);
  EncodedModel fitted = by_name_fit;
  fitted.m[0] = by_birth_fit.m[0];
  fitted.u[0] = by_birth_fit.u[0];
  const double share = share_name;
  const std::vector<int> patterns(by_name.size() + by_birth.size());
  const EncodedModel built_in = DefaultEncodedModel();
  {
    // The u of the query's birth readings, which EstimateU keeps: random query and listed pairs.
    Rng rng(7);
    std::array<double, kMaxRangeLevels> u{};
    double dated = 0;
    for (int s = 0; s < 2000000; ++s) {
      const QueryCode& query = population.queries[rng.Below(population.queries.size())].code;
      const BloomCode& listed = population.watchlist[rng.Below(population.watchlist.size())].code;
      const int level = LevelsOf(query, listed)[1];
      if (level == 0) continue;
      dated += 1;
      u[static_cast<size_t>(level)] += 1;
    }
    for (int l : {4, 5}) {
      const double random_u = u[static_cast<size_t>(l)] / dated;
      std::printf("[ random   ] birth level %d u %.3g\n", l, random_u);
      EXPECT_NEAR(built_in.u[1][static_cast<size_t>(l)], random_u, 0.3 * random_u) << l;
    }
  }
  {
    std::map<std::string, const BloomCode*> listed;
    for (const auto& e : population.watchlist) listed[e.id] = &e.code;
    std::map<std::string, const QueryCode*> asked;
    for (const auto& e : population.queries) asked[e.id] = &e.code;
    EncodedModel::Table m{};
    for (const auto& [q, w] : population.truth) {
      const RangeLevels levels = LevelsOf(*asked[q], *listed[w]);
      for (size_t r = 0; r < kRangeCount; ++r) m[r][levels[r]] += 1;
    }
    for (size_t r = 0; r < kRangeCount; ++r) {
      double total = 0;
      for (int l = 1; l < RangeLevelCount(static_cast<CodeRange>(r)); ++l) total += m[r][l];
      std::printf("[ truth    ] %zu m", r);
      for (int l = 1; l < RangeLevelCount(static_cast<CodeRange>(r)); ++l)
        std::printf(" %.4g", m[r][l] / total);
      std::printf("  (missing %.3g)\n", m[r][0] / static_cast<double>(population.truth.size()));
    }
  }
  std::printf("[ pprl     ] EM on %zu candidate pairs (%zu patterns): match share %.4f\n", pairs,
              patterns.size(), share);
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    std::printf("[ pprl     ] %-10s m", std::string(RangeName(range)).c_str());
    for (int l = 1; l < RangeLevelCount(range); ++l) {
      std::printf(" %.4g", fitted.m[r][static_cast<size_t>(l)]);
    }
    std::printf("  u");
    for (int l = 1; l < RangeLevelCount(range); ++l) {
      std::printf(" %.3g", fitted.u[r][static_cast<size_t>(l)]);
    }
    std::printf("\n");
    for (int l = 1; l < RangeLevelCount(range); ++l) {
      const auto li = static_cast<size_t>(l);
      // The country's part of the traits levels (5 and up): the training population's records
      // of one person never disagree on it (EM finds m 1 and 0); real ones do (people move),
      // and the built-in m keeps 8% of them at "another", as the plaintext model does.
      if (range == CodeRange::kTraits && l >= 5) continue;
      EXPECT_NEAR(built_in.m[r][li], fitted.m[r][li], 0.01 + 0.1 * fitted.m[r][li])
          << RangeName(range) << " level " << l;
    }
    if (range == CodeRange::kTraits) {
      EXPECT_GT(fitted.m[r][5], 0.99);
      EXPECT_DOUBLE_EQ(built_in.m[r][5], 0.92);
      EXPECT_DOUBLE_EQ(built_in.m[r][10], 0.08);
    }
  }
}

}  // namespace
}  // namespace entente::pprl
