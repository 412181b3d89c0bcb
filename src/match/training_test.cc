#include "match/training.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"
#include "common/testing.h"
#include "match/candidate_index.h"

namespace entente::match {
namespace {

Identity Person(const std::string& id, const std::string& name, const std::string& birth) {
  model::Entity e;
  e.id = id;
  e.Add("name", name);
  e.Add("birthDate", birth);
  return CompileIdentity(e);
}

// A register holding each person twice: one random pair in 299 is one person, which would
// make the u of a document in common about 3e-3. Pairs the model finds more likely one person
// are left out, so u stays what two different people show (never seen: half a count).
TEST(TrainingTest, EstimateULeavesOutPairsOfOnePerson) {
  Rng rng(3);
  std::vector<Identity> twice;
  std::vector<Identity> once;
  for (int p = 0; p < 300; ++p) {
    model::Entity e;
    e.id = "p" + std::to_string(p);
    e.Add("name", entente::testing::RandomSyllableName(rng));
    e.Add("birthDate", entente::testing::RandomBirthDate(rng));
    e.Add("passportNumber", "EM" + std::to_string(1000000 + p * 7919));
    once.push_back(CompileIdentity(e));
    twice.push_back(once.back());
    twice.push_back(once.back());
  }
  constexpr size_t kSamples = 20000;
  const auto exact = static_cast<size_t>(kDocumentExact);
  const auto document = static_cast<size_t>(Field::kPassport);
  const FsModel same_list = EstimateU(DefaultModel(), twice, twice, kSamples, 1);
  EXPECT_LT(same_list.u[document][exact], 1e-4);
  // A query file of listed people (left) against the register (right): the same.
  const FsModel queries = EstimateU(DefaultModel(), once, twice, kSamples, 1);
  EXPECT_LT(queries.u[document][exact], 1e-4);
  // Different people still count: birth dates in the same decade, names apart.
  const auto birth = static_cast<size_t>(Field::kBirthDate);
  EXPECT_GT(same_list.u[birth][static_cast<size_t>(LevelCount(Field::kBirthDate) - 1)], 0.5);
}

// A query is listed or not: three listed records that all look like it are evidence that it is
// listed, not three matches.
TEST(TrainingTest, QueryMatchRateCountsAQueryOnceWhateverItsCandidates) {
  Rng rng(11);
  std::vector<Identity> listed;
  for (int i = 0; i < 3; ++i) {
    listed.push_back(Person("dup" + std::to_string(i), "Jean Dupont", "1980-01-01"));
  }
  for (int i = 0; i < 2000; ++i) {
    listed.push_back(Person("w" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                            entente::testing::RandomBirthDate(rng)));
  }
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  std::vector<Identity> queries;
  for (int i = 0; i < 300; ++i) queries.push_back(Person("q", "Jean Dupont", "1980-01-01"));
  for (int i = 0; i < 700; ++i)
    queries.push_back(Person("u", entente::testing::RandomSyllableName(rng),
                             entente::testing::RandomBirthDate(rng)));
  const double rate = EstimateQueryMatchRate(DefaultModel(), index, queries, false);
  // 300 of the 1,000 queries are listed; the random names may find a few weak candidates.
  EXPECT_NEAR(rate, 0.30, 0.03);
}

TEST(TrainingTest, QueryMatchRateOfQueriesWithoutCandidatesIsTheFloor) {
  Rng rng(12);
  std::vector<Identity> listed;
  for (int i = 0; i < 1000; ++i) {
    listed.push_back(Person("w" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                            entente::testing::RandomBirthDate(rng)));
  }
  const CandidateIndex index = CandidateIndex::Build(std::move(listed), 1);
  std::vector<Identity> queries;
  for (int i = 0; i < 200; ++i) queries.push_back(Person("u", "Zzyzx Qwrtp", "1901-02-03"));
  EXPECT_NEAR(EstimateQueryMatchRate(DefaultModel(), index, queries, false), 1e-3, 1e-6);
}

// Listed people queried with their passport and a birth date written as the year alone 40% of
// the time: the pairs that share the passport are one person, and their birth levels are m.
struct AnchoredPopulation {
  std::vector<Identity> listed;
  std::vector<Identity> queries;
};

AnchoredPopulation MakeAnchoredPopulation(int queried_with_passport) {
  Rng rng(21);
  AnchoredPopulation out;
  std::vector<model::Entity> people;
  for (int i = 0; i < 2000; ++i) {
    model::Entity e;
    e.id = "w" + std::to_string(i);
    e.Add("name", entente::testing::RandomSyllableName(rng));
    e.Add("birthDate", entente::testing::RandomBirthDate(rng));
    e.Add("passportNumber", "EM" + std::to_string(1000000 + i * 7919));
    out.listed.push_back(CompileIdentity(e));
    people.push_back(std::move(e));
  }
  for (int i = 0; i < 600; ++i) {
    const model::Entity& p = people[static_cast<size_t>(i) * 3];
    model::Entity q;
    q.id = "q" + std::to_string(i);
    q.Add("name", std::string(p.First("name")));
    const std::string birth(p.First("birthDate"));
    q.Add("birthDate", i % 5 < 2 ? birth.substr(0, 4) : birth);
    if (i < queried_with_passport) q.Add("passportNumber", std::string(p.First("passportNumber")));
    out.queries.push_back(CompileIdentity(q));
  }
  for (int i = 0; i < 400; ++i) {
    out.queries.push_back(Person("u" + std::to_string(i), entente::testing::RandomSyllableName(rng),
                                 entente::testing::RandomBirthDate(rng)));
  }
  return out;
}

double BirthM(const FsModel& model, const char* level) {
  const auto birth = static_cast<size_t>(Field::kBirthDate);
  for (int l = 1; l < LevelCount(Field::kBirthDate); ++l) {
    if (LevelName(Field::kBirthDate, l) == level) return model.m[birth][static_cast<size_t>(l)];
  }
  ADD_FAILURE() << level;
  return 0;
}

TEST(TrainingTest, AnchoredMIsWhatPairsSharingAnIdentifierShow) {
  AnchoredPopulation population = MakeAnchoredPopulation(600);
  const CandidateIndex index = CandidateIndex::Build(std::move(population.listed), 1);
  const FsModel base = DefaultModel();
  const FsModel fitted = EstimateAnchoredM(base, index, population.queries, false);
  // 600 anchors and 50 pairs spread as the built-in m: 0.4 * 600 / 650 + 50 * 0.13 / 650.
  EXPECT_NEAR(BirthM(fitted, "partial_year"), 0.38, 0.02);
  EXPECT_NEAR(BirthM(fitted, "exact"), 0.61, 0.02);
  // Never seen: what the 50 prior pairs keep of the built-in m, a twelfth of it.
  EXPECT_LT(BirthM(fitted, "different"), BirthM(base, "different") / 10);
  EXPECT_GT(BirthM(fitted, "different"), 0);
  // The passport, the field the anchors agree on, is not re-estimated from them.
  const auto passport = static_cast<size_t>(Field::kPassport);
  EXPECT_EQ(fitted.m[passport], base.m[passport]);
  EXPECT_EQ(fitted.u, base.u);
  EXPECT_EQ(fitted.query_match_rate, base.query_match_rate);
}

TEST(TrainingTest, AnchoredMNeedsEnoughAnchors) {
  AnchoredPopulation population = MakeAnchoredPopulation(static_cast<int>(kMinAnchors) - 10);
  const CandidateIndex index = CandidateIndex::Build(std::move(population.listed), 1);
  const FsModel base = DefaultModel();
  EXPECT_EQ(EstimateAnchoredM(base, index, population.queries, false).m, base.m);
}

TEST(TrainingTest, AnchoredEstimateKeepsUnseenLevelsAndSumsToOne) {
  const std::vector<double> counts = {90, 10, 0};
  const std::vector<double> prior = {0.5, 0.3, 0.2};
  std::vector<double> out(3);
  AnchoredEstimate(counts, prior, out);
  EXPECT_NEAR(out[0], (90 + kAnchorPriorPairs * 0.5) / (100 + kAnchorPriorPairs), 1e-12);
  EXPECT_NEAR(out[2], kAnchorPriorPairs * 0.2 / (100 + kAnchorPriorPairs), 1e-12);
  EXPECT_NEAR(out[0] + out[1] + out[2], 1, 1e-12);
}

TEST(TrainingTest, QueryMatchRateOfAMixture) {
  // Half the queries have one candidate a million times likelier than chance among 10,000
  // listed; the others none.
  std::vector<double> sums;
  for (int i = 0; i < 1000; ++i) sums.push_back(i % 2 == 0 ? std::log2(1e6) : -HUGE_VAL);
  EXPECT_NEAR(QueryMatchRateOf(sums, 10000, 0.1), 0.5, 0.01);
  EXPECT_EQ(QueryMatchRateOf({}, 10000, 0.1), 0.1);
}

}  // namespace
}  // namespace entente::match
