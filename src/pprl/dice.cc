#include "pprl/dice.h"

#include <immintrin.h>

#include <algorithm>
#include <string>

#include "common/check.h"

namespace entente::pprl {
namespace {

// Codes are counted a block at a time into a small buffer of intersections, then finished
// into Dice coefficients by one loop per kernel (inlined into, and so vectorised for, the
// kernel's target): the same integer inputs and one IEEE division give the same floats.
constexpr size_t kBlock = 256;

inline __attribute__((always_inline)) void Finish(const uint32_t* intersections,
                                                  uint32_t query_popcount,
                                                  const uint16_t* popcounts, size_t n, float* out) {
  for (size_t i = 0; i < n; ++i) {
    out[i] = DiceFromCounts(intersections[i], query_popcount, popcounts[i]);
  }
}

void IntersectPortable(const BloomCode& query, const BloomCode* codes, size_t n, uint32_t* out) {
  for (size_t i = 0; i < n; ++i) out[i] = IntersectionCount(query, codes[i]);
}

void DicePortable(const BloomCode& query, uint32_t query_popcount, const BloomCode* codes,
                  const uint16_t* popcounts, size_t n, float* out) {
  uint32_t intersections[kBlock];
  for (size_t at = 0; at < n; at += kBlock) {
    const size_t m = std::min(kBlock, n - at);
    IntersectPortable(query, codes + at, m, intersections);
    Finish(intersections, query_popcount, popcounts + at, m, out + at);
  }
}

using DiceFunction = void (*)(const BloomCode&, uint32_t, const BloomCode*, const uint16_t*, size_t,
                              float*);

DiceFunction FunctionOf(Kernel kernel) {
  switch (kernel) {
    case Kernel::kPortable:
      return DicePortable;
    default:
      return nullptr;
  }
}

Kernel ChooseKernel() {
  Kernel best = Kernel::kPortable;
  for (Kernel k : kAllKernels) {
    if (KernelAvailable(k)) best = k;
  }
  return best;
}

void Run(DiceFunction function, const BloomCode& query, std::span<const BloomCode> codes,
         std::span<const uint16_t> popcounts, float* out) {
  ENTENTE_CHECK(codes.size() == popcounts.size());
  function(query, Popcount(query), codes.data(), popcounts.data(), codes.size(), out);
}

}  // namespace

std::string_view KernelName(Kernel kernel) {
  switch (kernel) {
    case Kernel::kPortable:
      return "portable";
    case Kernel::kAvx2:
      return "avx2";
    case Kernel::kAvx512Bw:
      return "avx512bw";
    case Kernel::kAvx512Vpopcnt:
      return "avx512vpopcntdq";
  }
  return "unknown";
}

bool KernelAvailable(Kernel kernel) {
  if (FunctionOf(kernel) == nullptr) return false;
  // libgcc's checks include the operating system's support for the vector state (XGETBV).
  switch (kernel) {
    case Kernel::kPortable:
      return true;
    case Kernel::kAvx2:
      return __builtin_cpu_supports("avx2") != 0;
    case Kernel::kAvx512Bw:
      return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0;
    case Kernel::kAvx512Vpopcnt:
      return __builtin_cpu_supports("avx512f") != 0 &&
             __builtin_cpu_supports("avx512vpopcntdq") != 0;
  }
  return false;
}

std::vector<Kernel> AvailableKernels() {
  std::vector<Kernel> kernels;
  for (Kernel k : kAllKernels) {
    if (KernelAvailable(k)) kernels.push_back(k);
  }
  return kernels;
}

Kernel ActiveKernel() {
  // The one-time CPU dispatch: the only process-wide state of pprl, immutable once set.
  static const Kernel kActive = ChooseKernel();
  return kActive;
}

void DiceMany(const BloomCode& query, std::span<const BloomCode> codes,
              std::span<const uint16_t> popcounts, float* out) {
  static const DiceFunction kFunction = FunctionOf(ActiveKernel());
  Run(kFunction, query, codes, popcounts, out);
}

Status DiceManyWith(Kernel kernel, const BloomCode& query, std::span<const BloomCode> codes,
                    std::span<const uint16_t> popcounts, float* out) {
  if (!KernelAvailable(kernel)) {
    return FailedPrecondition("Dice kernel " + std::string(KernelName(kernel)) +
                              " is not supported by this processor");
  }
  Run(FunctionOf(kernel), query, codes, popcounts, out);
  return Status::Ok();
}

}  // namespace entente::pprl
