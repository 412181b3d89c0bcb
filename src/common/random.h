#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "common/check.h"

namespace entente {

// A small, fast pseudo-random generator (xoshiro256**) seeded explicitly, so that anything
// built from it is the same on every platform for the same seed. Not for cryptography.
// Not thread-safe: give each thread its own, seeded with Fork().
class Rng {
 public:
  __extension__ using Uint128 = unsigned __int128;

  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : state_) s = SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n). n must be positive.
  uint64_t Below(uint64_t n) {
    ENTENTE_CHECK(n > 0);
    // Lemire's multiply-shift; the tiny bias is irrelevant for synthetic data.
    return static_cast<uint64_t>((static_cast<Uint128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    ENTENTE_CHECK(lo <= hi);
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }
  // An independent generator derived from this one's stream and `salt`.
  Rng Fork(uint64_t salt) { return Rng(Next() ^ (salt * 0x9E3779B97F4A7C15ULL)); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t state_[4];
};

// Picks index i with probability weights[i] / sum of the weights (the last index when
// rounding leaves nothing else).
template <size_t N>
size_t PickWeighted(Rng& rng, const std::array<double, N>& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double u = rng.Uniform() * total;
  for (size_t i = 0; i < N; ++i) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return N - 1;
}

}  // namespace entente
