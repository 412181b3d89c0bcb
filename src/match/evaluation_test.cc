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

// Truth: {a, b, c} one person, {d, e} another, f alone. Predicted: a-b and b-c (a chain, a-c
// never compared), d alone, e-f wrongly linked.
TEST(EvaluationTest, ClustersAreTheConnectedComponents) {
  const std::vector<std::string> ids = {"a", "b", "c", "d", "e", "f"};
  PairSet truth, predicted;
  for (const auto& [x, y] : {std::pair{"a", "b"},
                             {"b", "a"},
                             {"a", "c"},
                             {"c", "a"},
                             {"b", "c"},
                             {"c", "b"},
                             {"d", "e"},
                             {"e", "d"}}) {
    truth.Add(x, y);
  }
  predicted.Add("a", "b");
  predicted.Add("c", "b");
  predicted.Add("e", "f");
  const ClusterScores scores = EvaluateClusters(truth, predicted, ids);
  EXPECT_EQ(scores.true_clusters, 3);
  EXPECT_EQ(scores.predicted_clusters, 3);  // {a, b, c}, {d}, {e, f}
  EXPECT_EQ(scores.exact, 1) << "only {a, b, c}: {d, e} is split and f is merged";
  EXPECT_EQ(scores.pairs.truth, 4);      // ab ac bc de
  EXPECT_EQ(scores.pairs.predicted, 4);  // ab ac bc ef
  EXPECT_EQ(scores.pairs.true_positives, 3);
  // Nothing predicted: every true singleton is recovered, nothing else.
  const ClusterScores none = EvaluateClusters(truth, PairSet(), ids);
  EXPECT_EQ(none.exact, 1);
  EXPECT_EQ(none.pairs.predicted, 0);
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
