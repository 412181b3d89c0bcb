#include "match/fs_model.h"

#include <cmath>

#include <gtest/gtest.h>

namespace entente::match {
namespace {

TEST(FsModelTest, JsonRoundTrip) {
  const FsModel model = DefaultModel();
  auto back = FsModel::FromJson(model.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), model.ToJson());
}

TEST(FsModelTest, RejectsBadJsonNamingTheField) {
  auto missing = FsModel::FromJson(R"({"query_match_rate":0.1,"fields":{}})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("fields.name"), std::string::npos);
  EXPECT_NE(missing.status().message().find("entente train"), std::string::npos)
      << "says what to do with a model of an older version";
  auto bad_prior = FsModel::FromJson(R"({"query_match_rate":2,"fields":{}})");
  EXPECT_FALSE(bad_prior.ok());
  EXPECT_FALSE(FsModel::FromJson("{").ok());
}

// A query is one of the N listed people with probability r, none of them with 1 - r: once the
// data rule out the other listed people, the odds that it is this one are (r / N) / (1 - r).
TEST(FsModelTest, ThePriorIsTheOddsOfOneListedPersonAgainstNone) {
  FsModel model = DefaultModel();
  model.listed_records = 1000;
  model.query_match_rate = 0.5;
  EXPECT_NEAR(model.PriorBits(), std::log2(1.0 / 1000), 1e-9);
  model.query_match_rate = 0.2;
  EXPECT_NEAR(model.PriorBits(), std::log2(0.2 / 1000 / 0.8), 1e-9);
  // A rate of 1 (every query listed) is kept below kMaxQueryMatchRate: strong, not infinite.
  model.query_match_rate = 1;
  EXPECT_NEAR(model.PriorBits(), std::log2(kMaxQueryMatchRate / 1000 / (1 - kMaxQueryMatchRate)),
              1e-9);
}

TEST(FsModelTest, EvidenceMovesTheProbability) {
  const FsModel model = DefaultModel();
  Comparison strong;
  strong.levels = {1, 1, 1, 1, 0, 0, 0, 0, 0};
  Comparison weak = strong;
  weak.levels[static_cast<size_t>(Field::kBirthDate)] = 10;  // different birth dates
  Comparison unknown = strong;
  unknown.levels[static_cast<size_t>(Field::kBirthDate)] = 0;
  EXPECT_GT(model.MatchProbability(strong), 0.99);
  EXPECT_LT(model.MatchProbability(weak), 0.5);
  EXPECT_GT(model.MatchProbability(strong), model.MatchProbability(unknown));
  EXPECT_GT(model.MatchProbability(unknown), model.MatchProbability(weak));
}

TEST(FsModelTest, CommonNamesWeighLess) {
  const FsModel model = DefaultModel();
  Comparison rare, common;
  rare.levels = common.levels = {1, 0, 0, 0, 0, 0, 0, 0, 0};
  rare.name_frequency_bits = 3;
  common.name_frequency_bits = -8;
  EXPECT_GT(model.MatchWeight(rare), model.MatchWeight(common));
  EXPECT_NE(model.Explain(common).find("frequency-8.0"), std::string::npos)
      << model.Explain(common);
}

}  // namespace
}  // namespace entente::match
