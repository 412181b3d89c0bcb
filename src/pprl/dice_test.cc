#include "pprl/dice.h"

#include <vector>

#include <gtest/gtest.h>

#include "common/random.h"

namespace entente::pprl {
namespace {

// A code with each bit set with probability `density`.
BloomCode RandomCode(Rng& rng, double density) {
  BloomCode code;
  for (size_t bit = 0; bit < kCodeBits; ++bit) {
    if (rng.Chance(density)) code.Set(bit);
  }
  return code;
}

struct Codes {
  std::vector<BloomCode> codes;
  std::vector<uint16_t> popcounts;
};

// Random codes of varied density, the empty and the full code, and copies of the query.
Codes MakeCodes(Rng& rng, const BloomCode& query, size_t n) {
  Codes c;
  BloomCode full;
  full.words.fill(~uint64_t{0});
  c.codes = {BloomCode{}, full, query};
  while (c.codes.size() < n) c.codes.push_back(RandomCode(rng, rng.Uniform()));
  for (const auto& code : c.codes) c.popcounts.push_back(static_cast<uint16_t>(Popcount(code)));
  return c;
}

TEST(DiceTest, IdenticalIsOneDisjointIsZero) {
  Rng rng(7);
  const BloomCode a = RandomCode(rng, 0.25);
  BloomCode b;
  for (size_t i = 0; i < kCodeWords; ++i) b.words[i] = ~a.words[i];
  EXPECT_EQ(Dice(a, a), 1.0F);
  EXPECT_EQ(Dice(a, b), 0.0F);
  EXPECT_EQ(Dice(BloomCode{}, BloomCode{}), 0.0F);
  EXPECT_EQ(Dice(a, BloomCode{}), 0.0F);
}

TEST(DiceTest, MatchesTheDefinition) {
  BloomCode a;
  BloomCode b;
  for (size_t bit : {1, 70, 300, 1023}) a.Set(bit);
  for (size_t bit : {70, 300, 500}) b.Set(bit);
  EXPECT_EQ(Popcount(a), 4U);
  EXPECT_EQ(IntersectionCount(a, b), 2U);
  EXPECT_FLOAT_EQ(Dice(a, b), 4.0F / 7.0F);
}

TEST(DiceTest, PortableKernelIsAlwaysAvailable) {
  EXPECT_TRUE(KernelAvailable(Kernel::kPortable));
  const auto kernels = AvailableKernels();
  ASSERT_FALSE(kernels.empty());
  EXPECT_EQ(kernels.front(), Kernel::kPortable);
  EXPECT_EQ(kernels.back(), ActiveKernel());
}

// Every available kernel gives the reference's floats to the bit, at every length (the
// vector loops' tails included); an unavailable one refuses and writes nothing.
TEST(DiceTest, EveryKernelAgreesWithTheReference) {
  Rng rng(42);
  for (int round = 0; round < 20; ++round) {
    const BloomCode query = RandomCode(rng, round == 0 ? 0.0 : rng.Uniform());
    const size_t n = 3 + rng.Below(600);
    const Codes c = MakeCodes(rng, query, n);
    std::vector<float> expected(n);
    for (size_t i = 0; i < n; ++i) expected[i] = Dice(query, c.codes[i]);
    for (Kernel kernel : kAllKernels) {
      SCOPED_TRACE(std::string(KernelName(kernel)));
      std::vector<float> out(n, -1.0F);
      const Status status = DiceManyWith(kernel, query, c.codes, c.popcounts, out.data());
      if (!KernelAvailable(kernel)) {
        EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
        EXPECT_EQ(out, std::vector<float>(n, -1.0F));
        continue;
      }
      ASSERT_TRUE(status.ok()) << status.ToString();
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(out[i], expected[i]) << "code " << i;
    }
    std::vector<float> out(n);
    DiceMany(query, c.codes, c.popcounts, out.data());
    EXPECT_EQ(out, expected);
  }
}

TEST(DiceTest, RangesCoverTheCodeWordAligned) {
  EXPECT_EQ(kRangeWordBegin.front(), 0U);
  EXPECT_EQ(kRangeWordBegin.back(), kCodeWords);
  size_t bits = 0;
  for (size_t r = 0; r < kRangeCount; ++r) {
    EXPECT_LT(kRangeWordBegin[r], kRangeWordBegin[r + 1]);
    EXPECT_EQ(RangeFirstBit(static_cast<CodeRange>(r)), bits);
    bits += RangeBits(static_cast<CodeRange>(r));
  }
  EXPECT_EQ(bits, kCodeBits);
  // One bit in each range lands in that range's counts only.
  BloomCode code;
  for (size_t r = 0; r < kRangeCount; ++r) {
    code.Set(RangeFirstBit(static_cast<CodeRange>(r)) + r);
    const RangeCounts counts = RangePopcounts(code);
    for (size_t s = 0; s < kRangeCount; ++s) EXPECT_EQ(counts[s], s <= r ? 1 : 0);
  }
  EXPECT_EQ(RangeIntersections(code, code), RangePopcounts(code));
}

// Every available range kernel counts what the reference counts, range by range, so the
// per-range Dice coefficients (DiceFromCounts) are identical whatever the kernel.
TEST(DiceTest, EveryRangeKernelAgreesWithTheReference) {
  Rng rng(43);
  for (int round = 0; round < 20; ++round) {
    const BloomCode query = RandomCode(rng, round == 0 ? 0.0 : rng.Uniform());
    const size_t n = 1 + rng.Below(300);
    const Codes c = MakeCodes(rng, query, n);
    std::vector<RangeCounts> expected(n);
    for (size_t i = 0; i < n; ++i) expected[i] = RangeIntersections(query, c.codes[i]);
    for (Kernel kernel : kAllKernels) {
      SCOPED_TRACE(std::string(KernelName(kernel)));
      std::vector<RangeCounts> out(n, RangeCounts{9, 9, 9, 9});
      const Status status = RangeIntersectionsManyWith(kernel, query, c.codes, out.data());
      if (!KernelAvailable(kernel)) {
        EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
        continue;
      }
      ASSERT_TRUE(status.ok()) << status.ToString();
      for (size_t i = 0; i < n; ++i) {
        ASSERT_EQ(out[i], expected[i]) << "code " << i;
        const RangeCounts a = RangePopcounts(query);
        const RangeCounts b = RangePopcounts(c.codes[i]);
        for (size_t r = 0; r < kRangeCount; ++r) {
          ASSERT_EQ(DiceFromCounts(out[i][r], a[r], b[r]),
                    DiceFromCounts(expected[i][r], a[r], b[r]));
        }
      }
    }
    std::vector<RangeCounts> out(n);
    RangeIntersectionsMany(query, c.codes, out.data());
    EXPECT_EQ(out, expected);
  }
}

TEST(DiceTest, EmptySpanWritesNothing) {
  for (Kernel kernel : AvailableKernels()) {
    EXPECT_TRUE(DiceManyWith(kernel, BloomCode{}, {}, {}, nullptr).ok());
  }
}

}  // namespace
}  // namespace entente::pprl
