// Matching quality on the public data sets and on synthetic populations of fixed seeds.
//
// The thresholds are the targets of issue "matching" where they are met (FEBRL 4 linkage
// F1 >= 0.99, FEBRL 3 deduplication F1 >= 0.97, candidate recall >= 0.995 on synthetic data),
// and regression floors a little under what the engine measures today where the target is not
// met yet (synthetic F1, target 0.97; fake_1000). bench/ prints the measured figures.

#include <thread>

#include <gtest/gtest.h>

#include "datasets.h"

namespace entente::quality {
namespace {

TaskResult Screen(const LinkageTask& task) {
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return RunTask(task, match::DefaultModel(), match::ScreenOptions{}, threads);
}

const match::Prf& All(const TaskResult& r) { return r.scores[0]; }

TEST(QualityTest, FebrlLinkage4aTo4b) {
  auto task = FebrlLinkage(ENTENTE_SHARED_DATA_DIR "/febrl");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  ASSERT_EQ(task->truth.size(), 5000u);
  const TaskResult r = Screen(*task);
  EXPECT_GE(All(r).f1(), 0.99) << "precision " << All(r).precision() << " recall "
                               << All(r).recall();
}

TEST(QualityTest, Febrl3Deduplication) {
  auto task = FebrlDeduplication(ENTENTE_SHARED_DATA_DIR "/febrl");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  EXPECT_GE(All(r).f1(), 0.97) << "precision " << All(r).precision() << " recall "
                               << All(r).recall();
}

TEST(QualityTest, Fake1000Clusters) {
  auto task = Fake1000(ENTENTE_SHARED_DATA_DIR "/splink/fake_1000.csv");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  // Regression floor: pairwise F1 measured 0.66; the clusters are very noisy (dates and names
  // of one person differ widely).
  EXPECT_GE(All(r).precision(), 0.99);
  EXPECT_GE(All(r).f1(), 0.60);
}

TEST(QualityTest, SyntheticPopulationSeed1) {
  auto task = Synthetic(20000, 1);
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  // F1: a regression floor (measured 0.946; target 0.97). Candidate recall: the target.
  EXPECT_GE(All(r).f1(), 0.93) << "precision " << All(r).precision() << " recall "
                               << All(r).recall();
  EXPECT_GE(r.candidate_recall, 0.995);  // the target of issue "matching"
  for (int slice = 1; slice < match::kSliceCount; ++slice) {
    EXPECT_GT(r.scores[static_cast<size_t>(slice)].truth, 100)
        << "slice " << slice << " is populated";
  }
}

}  // namespace
}  // namespace entente::quality
