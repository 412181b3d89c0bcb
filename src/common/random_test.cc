#include "common/random.h"

#include <gtest/gtest.h>

namespace entente {
namespace {

TEST(RngTest, SameSeedSameStream) {
  Rng a(7), b(7), c(8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
}

TEST(RngTest, BoundsAreRespected) {
  Rng r(1);
  int seen[5] = {};
  for (int i = 0; i < 10000; ++i) {
    const int64_t v = r.Between(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    ++seen[v + 2];
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
  }
  for (int count : seen) EXPECT_GT(count, 1500);  // roughly uniform
}

}  // namespace
}  // namespace entente
