#include "match/evaluation.h"

#include <gtest/gtest.h>

namespace entente::match {
namespace {

model::Entity Query(const std::string& id, const std::string& name, const std::string& birth) {
  model::Entity e;
  e.id = id;
  e.Set("name", {name});
  if (!birth.empty()) e.Set("birthDate", {birth});
  return e;
}

TEST(EvaluationTest, CountsPrecisionRecallF1) {
  PairSet truth, predicted;
  truth.Add("Q1", "W1");
  truth.Add("Q2", "W2");
  predicted.Add("Q1", "W1");
  predicted.Add("Q3", "W9");
  const auto scores = Evaluate(truth, predicted, {});
  EXPECT_EQ(scores[0].true_positives, 1);
  EXPECT_DOUBLE_EQ(scores[0].precision(), 0.5);
  EXPECT_DOUBLE_EQ(scores[0].recall(), 0.5);
  EXPECT_DOUBLE_EQ(scores[0].f1(), 0.5);
}

// The same slices as ../shared/tools/score.py.
TEST(EvaluationTest, SlicesAsTheScorer) {
  auto s = [](const model::Entity& e, Slice slice) {
    return SlicesOf(e)[static_cast<size_t>(slice)];
  };
  EXPECT_TRUE(s(Query("Q", "EL AMRANI Mohammed", ""), Slice::kSurnameFirst));
  EXPECT_TRUE(s(Query("Q", "El Amrani, Mohammed", ""), Slice::kSurnameFirst));
  EXPECT_TRUE(s(Query("Q", "ÉLISE Marie", ""), Slice::kSurnameFirst));
  EXPECT_FALSE(s(Query("Q", "Mohammed El Amrani", ""), Slice::kSurnameFirst));
  EXPECT_FALSE(s(Query("Q", "MOREA ALEXANDRE", ""), Slice::kSurnameFirst));
  EXPECT_FALSE(s(Query("Q", "AB Mohammed", ""), Slice::kSurnameFirst));
  EXPECT_TRUE(s(Query("Q", "محمد العمراني", ""), Slice::kArabicScript));
  EXPECT_TRUE(s(Query("Q", "A B", ""), Slice::kNoBirthDate));
  EXPECT_TRUE(s(Query("Q", "A B", "1987-03"), Slice::kPartialDate));
  EXPECT_FALSE(s(Query("Q", "A B", "1987-03-14"), Slice::kPartialDate));
}

}  // namespace
}  // namespace entente::match
