// Matching quality on the public data sets and on synthetic populations of fixed seeds.
//
// The thresholds are the targets of issue "matching" (FEBRL 4 linkage F1 >= 0.99, FEBRL 3
// deduplication F1 >= 0.97, synthetic F1 >= 0.97 on seed 1, candidate recall >= 0.995 on
// synthetic data), or regression floors a little under what the engine measures today where
// the issue sets no figure (fake_1000). bench/ prints the measured figures.

#include <cstdio>
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
  auto task = FebrlLinkage(ENTENTE_PUBLIC_DATA_DIR "/febrl");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  ASSERT_EQ(task->truth.size(), 5000u);
  const TaskResult r = Screen(*task);
  EXPECT_GE(All(r).f1(), 0.99) << "precision " << All(r).precision() << " recall "
                               << All(r).recall();
}

TEST(QualityTest, Febrl3Deduplication) {
  auto task = FebrlDeduplication(ENTENTE_PUBLIC_DATA_DIR "/febrl");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  // Target 0.97; measured 0.9935. The people as clusters: 1,994 of 2,000 recovered exactly.
  EXPECT_GE(All(r).f1(), 0.985) << "precision " << All(r).precision() << " recall "
                                << All(r).recall();
  EXPECT_GE(r.clusters.exact, 1985);
}

TEST(QualityTest, Fake1000Clusters) {
  auto task = Fake1000(ENTENTE_PUBLIC_DATA_DIR "/splink/fake_1000.csv");
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  // Regression floors: pairwise F1 measured 0.760; the clusters are very noisy (dates and names
  // of one person differ widely, a record may have no name at all), so the clusters are
  // scored as well: the connected components of the predicted pairs recover 156 of the 251
  // people exactly (measured), with precision 1.0 and F1 0.877 over the pairs after closure.
  EXPECT_GE(All(r).precision(), 0.99);
  EXPECT_GE(All(r).f1(), 0.74);
  EXPECT_EQ(r.clusters.true_clusters, 251);
  EXPECT_GE(r.clusters.exact, 148);
  EXPECT_GE(r.clusters.pairs.precision(), 0.99);
  EXPECT_GE(r.clusters.pairs.f1(), 0.85);
}

TEST(QualityTest, SyntheticPopulationSeed1) {
  auto task = Synthetic(20000, 1);
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult r = Screen(*task);
  // F1: the target (measured 0.9712). Candidate recall: the target.
  EXPECT_GE(All(r).f1(), 0.97) << "precision " << All(r).precision() << " recall "
                               << All(r).recall();
  EXPECT_GE(r.candidate_recall, 0.995);  // the target of issue "matching"
  for (int slice = 1; slice < match::kSliceCount; ++slice) {
    EXPECT_GT(r.scores[static_cast<size_t>(slice)].truth, 100)
        << "slice " << slice << " is populated";
  }
}

// Issue 18: the slips that held-out data showed and the default population lacks (birth dates
// with a digit mistyped or a few days off, people known by their nom de guerre alone), generated
// by the synthetic population independently of the engine (SynthOptions::hard_noise), on seeds
// never used to set the engine. Regression floors a little under what was measured on
// 2026-12-07: seed 3 plaintext F1 0.9639 (candidate recall 0.9935), encoded 0.9327. The target
// of encoded within 0.02 of plaintext is NOT met on this noise (gap 0.031): the encoded dates
// have no keystroke levels yet (docs/pprl.md, "Quality").
TEST(QualityTest, SyntheticHardNoiseSeed3) {
  auto task = Synthetic(20000, 3, true);
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const TaskResult plain = Screen(*task);
  EXPECT_GE(All(plain).f1(), 0.96)
      << "precision " << All(plain).precision() << " recall " << All(plain).recall();
  EXPECT_GE(plain.candidate_recall, 0.99);
  pprl::EncodingKey key;
  key.version = 1;
  for (size_t i = 0; i < key.secret.size(); ++i) key.secret[i] = static_cast<uint8_t>(i * 37 + 11);
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const TaskResult encoded = RunEncodedTask(*task, key, threads);
  std::printf("[ quality  ] seed 3 hard noise, 20k x 20k: plaintext F1 %.4f, encoded F1 %.4f\n",
              All(plain).f1(), All(encoded).f1());
  EXPECT_GE(All(encoded).f1(), 0.925);
}

// Issue 18: scores mean what they say. On seed 1 the ranked candidates of every query, binned by
// score in tenths, are true pairs within 0.1 of the bin's middle (bins of 50 pairs or more;
// measured 2026-12-07: 0.002, 0.147, 0.256, 0.290, 0.417, 0.523, 0.588, 0.774, 0.868, 0.996).
TEST(QualityTest, ScoresAreCalibratedOnSeed1) {
  auto task = Synthetic(20000, 1);
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto deciles = ScoreDeciles(*task, match::DefaultModel(), threads);
  for (size_t b = 0; b < deciles.size(); ++b) {
    if (deciles[b].pairs < 50) continue;
    const double share =
        static_cast<double>(deciles[b].true_pairs) / static_cast<double>(deciles[b].pairs);
    EXPECT_NEAR(share, (static_cast<double>(b) + 0.5) / 10, 0.1)
        << "scores from " << static_cast<double>(b) / 10 << ": " << deciles[b].pairs << " pairs";
  }
}

// Issue 6: screening on keyed Bloom-filter encodings only should reach an F1 within 0.02 of
// plaintext screening, on the same synthetic population (seed 1, 20,000 listed persons and
// 20,000 queries) screened both ways here, and on seed 2. Measured: seed 1 0.9533 against
// 0.9712 (gap 0.018), seed 2 0.9509 against 0.9686 (gap 0.018); docs/pprl.md, "Quality".
class EncodedAgainstPlaintext : public ::testing::TestWithParam<uint64_t> {};

TEST_P(EncodedAgainstPlaintext, F1WithinTwoPoints) {
  const uint64_t seed = GetParam();
  auto task = Synthetic(20000, seed);
  ASSERT_TRUE(task.ok()) << task.status().ToString();
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const TaskResult plain = Screen(*task);
  pprl::EncodingKey key;
  key.version = 1;
  for (size_t i = 0; i < key.secret.size(); ++i) key.secret[i] = static_cast<uint8_t>(i * 37 + 11);
  const TaskResult encoded = RunEncodedTask(*task, key, threads);
  std::printf(
      "[ quality  ] seed %llu, 20k x 20k: plaintext F1 %.4f (precision %.4f, recall %.4f), "
      "encoded F1 %.4f (precision %.4f, recall %.4f)\n",
      static_cast<unsigned long long>(seed), All(plain).f1(), All(plain).precision(),
      All(plain).recall(), All(encoded).f1(), All(encoded).precision(), All(encoded).recall());
  EXPECT_GE(All(encoded).f1(), All(plain).f1() - 0.02);
}

INSTANTIATE_TEST_SUITE_P(Seeds, EncodedAgainstPlaintext, ::testing::Values(1, 2));

}  // namespace
}  // namespace entente::quality
