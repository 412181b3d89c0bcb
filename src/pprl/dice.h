#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pprl/bloom_code.h"

namespace entente::pprl {

// The implementations of DiceMany. Each is compiled with its own target attribute, so the
// library builds for the project's baseline (x86-64-v2) and picks the best one the processor
// has at run time. All give bit-identical results (dice_test.cc).
enum class Kernel : uint8_t {
  kPortable,       // std::popcount on 64-bit words (POPCNT at x86-64-v2)
  kAvx2,           // vpshufb nibble lookup on 256-bit vectors, vpsadbw to sum
  kAvx512Bw,       // the same on 512-bit vectors (AVX-512 F + BW)
  kAvx512Vpopcnt,  // vpopcntq on 512-bit vectors (AVX-512 F + VPOPCNTDQ)
};
inline constexpr std::array<Kernel, 4> kAllKernels = {Kernel::kPortable, Kernel::kAvx2,
                                                      Kernel::kAvx512Bw, Kernel::kAvx512Vpopcnt};

// "portable", "avx2", "avx512bw", "avx512vpopcntdq".
std::string_view KernelName(Kernel kernel);

// Whether this processor (and operating system) can run `kernel`. Thread-safe.
bool KernelAvailable(Kernel kernel);
// The kernels KernelAvailable accepts, slowest first; kPortable always.
std::vector<Kernel> AvailableKernels();
// The kernel DiceMany uses: the last of AvailableKernels, chosen once per process.
Kernel ActiveKernel();

// out[i] = Dice(query, codes[i]) for every i, where popcounts[i] must be Popcount(codes[i])
// (kept beside the codes by the caller, so that each comparison counts only the intersection).
// `out` holds codes.size() floats. Sizes that differ are a programmer error. Thread-safe.
void DiceMany(const BloomCode& query, std::span<const BloomCode> codes,
              std::span<const uint16_t> popcounts, float* out);

// DiceMany with a given kernel (tests and benchmarks). Fails with FailedPrecondition, writing
// nothing, when the processor cannot run it.
Status DiceManyWith(Kernel kernel, const BloomCode& query, std::span<const BloomCode> codes,
                    std::span<const uint16_t> popcounts, float* out);

// out[i] = RangeIntersections(query, codes[i]) for every i: the exact intersection of the
// query and each code in each range (bloom_code.h), from which the scorer takes a Dice
// coefficient per range (DiceFromCounts, identical whatever the kernel). `out` holds
// codes.size() counts. Thread-safe.
void RangeIntersectionsMany(const BloomCode& query, std::span<const BloomCode> codes,
                            RangeCounts* out);

// RangeIntersectionsMany with a given kernel (tests and benchmarks). Fails with
// FailedPrecondition, writing nothing, when the processor cannot run it.
Status RangeIntersectionsManyWith(Kernel kernel, const BloomCode& query,
                                  std::span<const BloomCode> codes, RangeCounts* out);

}  // namespace entente::pprl
