#pragma once

#include <cmath>
#include <cstdint>

namespace entente::pprl {

// The popcounts [low, high] that a code may have to reach a Dice coefficient of `threshold`
// with a code of `popcount` bits: since |a & b| <= min(|a|, |b|), Dice <= 2 min / (|a| + |b|),
// so |b| >= t |a| / (2 - t) and |b| <= |a| (2 - t) / t. Rounded outwards by one, so that float
// rounding never drops a code that reaches the threshold. A threshold at or below 0 admits all.
struct PopcountRange {
  uint32_t low = 0;
  uint32_t high = UINT32_MAX;
  bool Contains(uint32_t popcount) const { return popcount >= low && popcount <= high; }
};

inline PopcountRange DicePopcountRange(uint32_t popcount, float threshold) {
  if (threshold <= 0) return {};
  const double t = threshold > 1 ? 1.0 : threshold;
  const double a = popcount;
  PopcountRange range;
  const double low = std::floor(t * a / (2 - t)) - 1;
  range.low = low > 0 ? static_cast<uint32_t>(low) : 0;
  range.high = static_cast<uint32_t>(std::ceil(a * (2 - t) / t)) + 1;
  return range;
}

}  // namespace entente::pprl
