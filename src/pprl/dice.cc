#include "pprl/dice.h"

#include <immintrin.h>

#include <algorithm>
#include <string>

#include "common/check.h"

namespace entente::pprl {
namespace {

// Every kernel counts the exact integer intersection of the query and a code and finishes it
// as DiceFromCounts does (one IEEE division of exact integers): the same floats whatever the
// kernel. The portable kernel counts a block into a buffer and finishes it in one loop; the
// vector kernels finish four or eight codes at a time in registers.
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

// --- AVX2: nibble lookup (vpshufb), bytes summed by vpsadbw. -------------------------------

#define ENTENTE_AVX2 __attribute__((target("avx2")))

ENTENTE_AVX2 inline __m256i PopcountBytes(__m256i v) {
  const __m256i lookup = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                                          2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
  const __m256i low = _mm256_set1_epi8(0x0F);
  const __m256i lo = _mm256_and_si256(v, low);
  const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), low);
  return _mm256_add_epi8(_mm256_shuffle_epi8(lookup, lo), _mm256_shuffle_epi8(lookup, hi));
}

// The intersection of the query and one code as four 64-bit partial counts (each <= 256).
ENTENTE_AVX2 inline __m256i PartialCounts(const __m256i q[4], const BloomCode& code) {
  const auto* c = reinterpret_cast<const __m256i*>(code.words.data());
  __m256i bytes = PopcountBytes(_mm256_and_si256(q[0], _mm256_load_si256(c)));
  for (int i = 1; i < 4; ++i) {
    bytes = _mm256_add_epi8(bytes, PopcountBytes(_mm256_and_si256(q[i], _mm256_load_si256(c + i))));
  }
  return _mm256_sad_epu8(bytes, _mm256_setzero_si256());
}

ENTENTE_AVX2 void DiceAvx2(const BloomCode& query, uint32_t query_popcount, const BloomCode* codes,
                           const uint16_t* popcounts, size_t n, float* out) {
  const auto* qp = reinterpret_cast<const __m256i*>(query.words.data());
  const __m256i q[4] = {_mm256_load_si256(qp), _mm256_load_si256(qp + 1), _mm256_load_si256(qp + 2),
                        _mm256_load_si256(qp + 3)};
  const __m128i query_count = _mm_set1_epi32(static_cast<int>(query_popcount));
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    // Four codes' partial counts packed into 16-bit fields of each lane (a total is at most
    // 1024), so that one horizontal sum finishes all four; then DiceFromCounts, four at a time.
    __m256i packed = PartialCounts(q, codes[i]);
    packed = _mm256_or_si256(packed, _mm256_slli_epi64(PartialCounts(q, codes[i + 1]), 16));
    packed = _mm256_or_si256(packed, _mm256_slli_epi64(PartialCounts(q, codes[i + 2]), 32));
    packed = _mm256_or_si256(packed, _mm256_slli_epi64(PartialCounts(q, codes[i + 3]), 48));
    __m128i sum =
        _mm_add_epi64(_mm256_castsi256_si128(packed), _mm256_extracti128_si256(packed, 1));
    sum = _mm_add_epi64(sum, _mm_unpackhi_epi64(sum, sum));
    const __m128i intersections = _mm_cvtepu16_epi32(sum);
    const __m128i totals = _mm_max_epu32(
        _mm_add_epi32(
            _mm_cvtepu16_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(popcounts + i))),
            query_count),
        _mm_set1_epi32(1));
    _mm_storeu_ps(out + i, _mm_div_ps(_mm_cvtepi32_ps(_mm_add_epi32(intersections, intersections)),
                                      _mm_cvtepi32_ps(totals)));
  }
  for (; i < n; ++i) {
    out[i] = DiceFromCounts(IntersectionCount(query, codes[i]), query_popcount, popcounts[i]);
  }
}

// The ranges' four 16-bit counts, packed into one 64-bit integer, to RangeCounts.
inline RangeCounts UnpackRanges(uint64_t packed) {
  RangeCounts counts{};
  for (size_t r = 0; r < kRangeCount; ++r) counts[r] = static_cast<uint16_t>(packed >> (16 * r));
  return counts;
}
static_assert(kRangeCount == 4 && kRangeWordBegin[1] == 8 && kRangeWordBegin[2] == 11 &&
                  kRangeWordBegin[3] == 12,
              "the range kernels add up words 0-7, 8-10, 11 and 12-15");

void RangesPortable(const BloomCode& query, const BloomCode* codes, size_t n, RangeCounts* out) {
  for (size_t i = 0; i < n; ++i) out[i] = RangeIntersections(query, codes[i]);
}

// Words 0-7, 8-10, 11 and 12-15 of a code: the four 64-bit lanes of the sums of the first two
// quarters (names), then the third quarter's lanes shifted to fields 1 (birth: 16) and 2
// (traits: 32), the fourth's to field 3 (48), all added up in one horizontal sum.
ENTENTE_AVX2 void RangesAvx2(const BloomCode& query, const BloomCode* codes, size_t n,
                             RangeCounts* out) {
  const auto* qp = reinterpret_cast<const __m256i*>(query.words.data());
  const __m256i q[4] = {_mm256_load_si256(qp), _mm256_load_si256(qp + 1), _mm256_load_si256(qp + 2),
                        _mm256_load_si256(qp + 3)};
  const __m256i zero = _mm256_setzero_si256();
  const __m256i third_shifts = _mm256_setr_epi64x(16, 16, 16, 32);
  for (size_t i = 0; i < n; ++i) {
    const auto* c = reinterpret_cast<const __m256i*>(codes[i].words.data());
    const __m256i names = _mm256_sad_epu8(
        _mm256_add_epi8(PopcountBytes(_mm256_and_si256(q[0], _mm256_load_si256(c))),
                        PopcountBytes(_mm256_and_si256(q[1], _mm256_load_si256(c + 1)))),
        zero);
    const __m256i third =
        _mm256_sad_epu8(PopcountBytes(_mm256_and_si256(q[2], _mm256_load_si256(c + 2))), zero);
    const __m256i fourth =
        _mm256_sad_epu8(PopcountBytes(_mm256_and_si256(q[3], _mm256_load_si256(c + 3))), zero);
    const __m256i packed =
        _mm256_add_epi64(_mm256_add_epi64(names, _mm256_sllv_epi64(third, third_shifts)),
                         _mm256_slli_epi64(fourth, 48));
    __m128i sum =
        _mm_add_epi64(_mm256_castsi256_si128(packed), _mm256_extracti128_si256(packed, 1));
    sum = _mm_add_epi64(sum, _mm_unpackhi_epi64(sum, sum));
    out[i] = UnpackRanges(static_cast<uint64_t>(_mm_cvtsi128_si64(sum)));
  }
}

// GCC 12 warns inside its own AVX-512 headers (_mm512_undefined_* in casts and extracts,
// GCC bug 105593); the values it names are never read.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

// --- AVX-512: eight 64-bit partial counts a code, eight codes finished together. ----------

#define ENTENTE_AVX512BW __attribute__((target("avx512f,avx512bw")))
#define ENTENTE_AVX512POPCNT __attribute__((target("avx512f,avx512bw,avx512vpopcntdq")))

// Word indexes for vpermt2w: a 16-bit field of one source and one of the other, then two of
// each, into the four 16-bit fields of every 64-bit lane.
constexpr std::array<uint16_t, 32> PackIndexes(bool second) {
  std::array<uint16_t, 32> index{};
  for (uint16_t lane = 0; lane < 8; ++lane) {
    const auto w = static_cast<uint16_t>(4 * lane);
    index[w] = w;
    index[w + 1] = second ? static_cast<uint16_t>(w + 1) : static_cast<uint16_t>(32 + w);
    index[w + 2] = second ? static_cast<uint16_t>(32 + w) : w;
    index[w + 3] = second ? static_cast<uint16_t>(32 + w + 1) : w;
  }
  return index;
}
constexpr std::array<uint16_t, 32> kPackPairs = PackIndexes(false);
constexpr std::array<uint16_t, 32> kPackQuads = PackIndexes(true);

// Eight codes' partial counts (eight lanes each, every lane <= 128) to their Dice
// coefficients: packed four codes to a lane in 16-bit fields (two vpermt2w levels), summed
// across lanes, then finished as DiceFromCounts does, eight at a time.
ENTENTE_AVX512BW inline void FinishEight(const __m512i p[8], uint32_t query_popcount,
                                         const uint16_t* popcounts, float* out) {
  const __m512i pairs = _mm512_loadu_si512(kPackPairs.data());
  const __m512i quads = _mm512_loadu_si512(kPackQuads.data());
  const __m512i lo = _mm512_permutex2var_epi16(_mm512_permutex2var_epi16(p[0], pairs, p[1]), quads,
                                               _mm512_permutex2var_epi16(p[2], pairs, p[3]));
  const __m512i hi = _mm512_permutex2var_epi16(_mm512_permutex2var_epi16(p[4], pairs, p[5]), quads,
                                               _mm512_permutex2var_epi16(p[6], pairs, p[7]));
  // Each 128-bit chunk: [lo of two lanes, hi of two lanes].
  const __m512i sums =
      _mm512_add_epi64(_mm512_unpacklo_epi64(lo, hi), _mm512_unpackhi_epi64(lo, hi));
  const __m256i half =
      _mm256_add_epi64(_mm512_castsi512_si256(sums), _mm512_extracti64x4_epi64(sums, 1));
  const __m128i sum =
      _mm_add_epi64(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
  const __m256i intersections = _mm256_cvtepu16_epi32(sum);
  const __m256i totals = _mm256_max_epu32(
      _mm256_add_epi32(
          _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(popcounts))),
          _mm256_set1_epi32(static_cast<int>(query_popcount))),
      _mm256_set1_epi32(1));
  _mm256_storeu_ps(out,
                   _mm256_div_ps(_mm256_cvtepi32_ps(_mm256_add_epi32(intersections, intersections)),
                                 _mm256_cvtepi32_ps(totals)));
}

ENTENTE_AVX512BW inline __m512i PopcountBytes512(__m512i v) {
  const __m512i lookup = _mm512_set4_epi32(0x04030302, 0x03020201, 0x03020201, 0x02010100);
  const __m512i low = _mm512_set1_epi8(0x0F);
  const __m512i lo = _mm512_and_si512(v, low);
  const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), low);
  return _mm512_add_epi8(_mm512_shuffle_epi8(lookup, lo), _mm512_shuffle_epi8(lookup, hi));
}

ENTENTE_AVX512BW void DiceAvx512Bw(const BloomCode& query, uint32_t query_popcount,
                                   const BloomCode* codes, const uint16_t* popcounts, size_t n,
                                   float* out) {
  const __m512i q0 = _mm512_load_si512(query.words.data());
  const __m512i q1 = _mm512_load_si512(query.words.data() + 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m512i p[8];
    for (int k = 0; k < 8; ++k) {
      const uint64_t* c = codes[i + k].words.data();
      const __m512i bytes =
          _mm512_add_epi8(PopcountBytes512(_mm512_and_si512(q0, _mm512_load_si512(c))),
                          PopcountBytes512(_mm512_and_si512(q1, _mm512_load_si512(c + 8))));
      p[k] = _mm512_sad_epu8(bytes, _mm512_setzero_si512());
    }
    FinishEight(p, query_popcount, popcounts + i, out + i);
  }
  for (; i < n; ++i) {
    out[i] = DiceFromCounts(IntersectionCount(query, codes[i]), query_popcount, popcounts[i]);
  }
}

ENTENTE_AVX512POPCNT void DiceAvx512Vpopcnt(const BloomCode& query, uint32_t query_popcount,
                                            const BloomCode* codes, const uint16_t* popcounts,
                                            size_t n, float* out) {
  const __m512i q0 = _mm512_load_si512(query.words.data());
  const __m512i q1 = _mm512_load_si512(query.words.data() + 8);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m512i p[8];
    for (int k = 0; k < 8; ++k) {
      const uint64_t* c = codes[i + k].words.data();
      p[k] = _mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(q0, _mm512_load_si512(c))),
                              _mm512_popcnt_epi64(_mm512_and_si512(q1, _mm512_load_si512(c + 8))));
    }
    FinishEight(p, query_popcount, popcounts + i, out + i);
  }
  for (; i < n; ++i) {
    out[i] = DiceFromCounts(IntersectionCount(query, codes[i]), query_popcount, popcounts[i]);
  }
}

// The second half's lanes (words 8-15) to fields 1 (birth), 2 (traits) and 3 (identifiers).
ENTENTE_AVX512BW inline uint64_t PackRanges512(__m512i first, __m512i second) {
  const __m512i shifts = _mm512_setr_epi64(16, 16, 16, 32, 48, 48, 48, 48);
  return static_cast<uint64_t>(
      _mm512_reduce_add_epi64(_mm512_add_epi64(first, _mm512_sllv_epi64(second, shifts))));
}

ENTENTE_AVX512BW void RangesAvx512Bw(const BloomCode& query, const BloomCode* codes, size_t n,
                                     RangeCounts* out) {
  const __m512i q0 = _mm512_load_si512(query.words.data());
  const __m512i q1 = _mm512_load_si512(query.words.data() + 8);
  const __m512i zero = _mm512_setzero_si512();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t* c = codes[i].words.data();
    const __m512i first =
        _mm512_sad_epu8(PopcountBytes512(_mm512_and_si512(q0, _mm512_load_si512(c))), zero);
    const __m512i second =
        _mm512_sad_epu8(PopcountBytes512(_mm512_and_si512(q1, _mm512_load_si512(c + 8))), zero);
    out[i] = UnpackRanges(PackRanges512(first, second));
  }
}

ENTENTE_AVX512POPCNT void RangesAvx512Vpopcnt(const BloomCode& query, const BloomCode* codes,
                                              size_t n, RangeCounts* out) {
  const __m512i q0 = _mm512_load_si512(query.words.data());
  const __m512i q1 = _mm512_load_si512(query.words.data() + 8);
  for (size_t i = 0; i < n; ++i) {
    const uint64_t* c = codes[i].words.data();
    out[i] = UnpackRanges(
        PackRanges512(_mm512_popcnt_epi64(_mm512_and_si512(q0, _mm512_load_si512(c))),
                      _mm512_popcnt_epi64(_mm512_and_si512(q1, _mm512_load_si512(c + 8)))));
  }
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

using DiceFunction = void (*)(const BloomCode&, uint32_t, const BloomCode*, const uint16_t*, size_t,
                              float*);

DiceFunction FunctionOf(Kernel kernel) {
  switch (kernel) {
    case Kernel::kPortable:
      return DicePortable;
    case Kernel::kAvx2:
      return DiceAvx2;
    case Kernel::kAvx512Bw:
      return DiceAvx512Bw;
    case Kernel::kAvx512Vpopcnt:
      return DiceAvx512Vpopcnt;
  }
  return nullptr;
}

using RangesFunction = void (*)(const BloomCode&, const BloomCode*, size_t, RangeCounts*);

RangesFunction RangesFunctionOf(Kernel kernel) {
  switch (kernel) {
    case Kernel::kPortable:
      return RangesPortable;
    case Kernel::kAvx2:
      return RangesAvx2;
    case Kernel::kAvx512Bw:
      return RangesAvx512Bw;
    case Kernel::kAvx512Vpopcnt:
      return RangesAvx512Vpopcnt;
  }
  return nullptr;
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
      return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512bw") != 0 &&
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

void RangeIntersectionsMany(const BloomCode& query, std::span<const BloomCode> codes,
                            RangeCounts* out) {
  static const RangesFunction kFunction = RangesFunctionOf(ActiveKernel());
  kFunction(query, codes.data(), codes.size(), out);
}

Status RangeIntersectionsManyWith(Kernel kernel, const BloomCode& query,
                                  std::span<const BloomCode> codes, RangeCounts* out) {
  if (!KernelAvailable(kernel)) {
    return FailedPrecondition("range kernel " + std::string(KernelName(kernel)) +
                              " is not supported by this processor");
  }
  RangesFunctionOf(kernel)(query, codes.data(), codes.size(), out);
  return Status::Ok();
}

}  // namespace entente::pprl
