#include "match/training.h"

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

}  // namespace
}  // namespace entente::match
