#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/coding.h"

namespace entente::pprl {

// The size of every encoding: one cache-line-aligned block of 1024 bits.
inline constexpr size_t kCodeBits = 1024;
inline constexpr size_t kCodeWords = kCodeBits / 64;

// A record encoded as a keyed Bloom filter (encoder.h): bit i is word i / 64, bit i % 64.
// A value type; all zero when default-constructed.
struct BloomCode {
  alignas(64) std::array<uint64_t, kCodeWords> words{};

  void Set(size_t bit) { words[bit / 64] |= uint64_t{1} << (bit % 64); }
  bool Test(size_t bit) const { return ((words[bit / 64] >> (bit % 64)) & 1) != 0; }

  friend bool operator==(const BloomCode&, const BloomCode&) = default;
};
static_assert(sizeof(BloomCode) == kCodeBits / 8);

// A code's wire form: its 16 words, little-endian (128 bytes).
inline void WriteCode(ByteWriter& w, const BloomCode& code) {
  for (uint64_t word : code.words) w.U64(word);
}
inline Status ReadCode(ByteReader& r, BloomCode* code, std::string_view field) {
  for (uint64_t& word : code->words) ENTENTE_RETURN_IF_ERROR(r.U64(&word, field));
  return Status::Ok();
}

// The number of bits set.
inline uint32_t Popcount(const BloomCode& code) {
  uint32_t n = 0;
  for (uint64_t w : code.words) n += static_cast<uint32_t>(std::popcount(w));
  return n;
}

// The number of bits set in both.
inline uint32_t IntersectionCount(const BloomCode& a, const BloomCode& b) {
  uint32_t n = 0;
  for (size_t i = 0; i < kCodeWords; ++i)
    n += static_cast<uint32_t>(std::popcount(a.words[i] & b.words[i]));
  return n;
}

// A code is cut into word-aligned ranges, one per group of fields (encoder.h), so that the
// scorer weighs each group on its own (encoded_model.h): the names, the birth date, gender and
// nationality, and the identifiers (documents, phones). Every value of a field sets bits in its
// range only, keyed-permuted within it.
enum class CodeRange : uint8_t { kName, kBirth, kTraits, kIdentifier };
inline constexpr size_t kRangeCount = 4;
// Range r holds words [kRangeWordBegin[r], kRangeWordBegin[r + 1]): 512, 192, 64 and 256 bits.
inline constexpr std::array<size_t, kRangeCount + 1> kRangeWordBegin = {0, 8, 11, 12, 16};
inline constexpr size_t RangeBits(CodeRange range) {
  const auto r = static_cast<size_t>(range);
  return 64 * (kRangeWordBegin[r + 1] - kRangeWordBegin[r]);
}
inline constexpr size_t RangeFirstBit(CodeRange range) {
  return 64 * kRangeWordBegin[static_cast<size_t>(range)];
}

// The traits range is cut in two spans, so that the country of residence is compared on its own
// (encoded_model.h, TraitsLevel): gender and nationalities in its first 40 bits, countries in
// its last 24. As masks of the range's one word:
inline constexpr size_t kTraitsCountryOffset = 40;
inline constexpr uint64_t kTraitsPersonMask = (uint64_t{1} << kTraitsCountryOffset) - 1;
inline constexpr uint64_t kTraitsCountryMask = ~kTraitsPersonMask;
static_assert(64 * (kRangeWordBegin[3] - kRangeWordBegin[2]) == 64, "traits: one word");

// A count per range (a range holds at most 512 bits).
using RangeCounts = std::array<uint16_t, kRangeCount>;

// The number of bits set in each range.
inline RangeCounts RangePopcounts(const BloomCode& code) {
  RangeCounts counts{};
  for (size_t r = 0; r < kRangeCount; ++r) {
    uint32_t n = 0;
    for (size_t w = kRangeWordBegin[r]; w < kRangeWordBegin[r + 1]; ++w) {
      n += static_cast<uint32_t>(std::popcount(code.words[w]));
    }
    counts[r] = static_cast<uint16_t>(n);
  }
  return counts;
}

// The number of bits set in both, in each range (the portable reference of the range kernels).
inline RangeCounts RangeIntersections(const BloomCode& a, const BloomCode& b) {
  RangeCounts counts{};
  for (size_t r = 0; r < kRangeCount; ++r) {
    uint32_t n = 0;
    for (size_t w = kRangeWordBegin[r]; w < kRangeWordBegin[r + 1]; ++w) {
      n += static_cast<uint32_t>(std::popcount(a.words[w] & b.words[w]));
    }
    counts[r] = static_cast<uint16_t>(n);
  }
  return counts;
}

// The Dice coefficient 2 |a & b| / (|a| + |b|) from the three counts, in 0..1, computed the
// one way every kernel computes it (an exact integer ratio, one correctly rounded float
// division), so that all kernels agree to the bit. Two empty codes score 0: no evidence.
// (The intersection is 0 when the total is, so dividing by at least 1 gives that 0 without a
// branch, which lets the kernels' finishing loops vectorise.)
inline float DiceFromCounts(uint32_t intersection, uint32_t popcount_a, uint32_t popcount_b) {
  const uint32_t total = popcount_a + popcount_b;
  return static_cast<float>(2 * intersection) / static_cast<float>(total == 0 ? 1 : total);
}

// The Dice coefficient of two codes (the portable reference).
inline float Dice(const BloomCode& a, const BloomCode& b) {
  return DiceFromCounts(IntersectionCount(a, b), Popcount(a), Popcount(b));
}

// The birth range of a query read as a partner may have written its full dates instead: day and
// month swapped, or the year one before or after (the plaintext comparison's day_month_swapped
// and year_off_by_one, match/comparison.h). Two dates that differ so share few bits, no more
// than two dates of the same year or two unrelated ones, so the Dice bands cannot tell them
// apart: the querying side, which holds its record in plaintext, encodes these readings too and
// tests whether the listed date is one of them (BirthVariantLevel, encoded_model.h). They stay
// with the query, never in an index.
enum class BirthVariant : uint8_t { kSwapped, kYearOff };
inline constexpr size_t kBirthVariantCount = 2;
struct BirthVariants {
  static constexpr size_t kWords = RangeBits(CodeRange::kBirth) / 64;
  // The birth range's words of each reading (kYearOff: both years), all zero when there is none
  // (no full date, or day and month that cannot be swapped).
  std::array<std::array<uint64_t, kWords>, kBirthVariantCount> words{};
  std::array<uint16_t, kBirthVariantCount> popcounts{};

  bool empty() const { return popcounts[0] == 0 && popcounts[1] == 0; }
};

// A query's code and its birth readings (Encoder::EncodeQuery). Built from a bare code it has
// no readings and is scored on the code alone: explicit, so that no caller drops the readings
// without saying so.
struct QueryCode {
  QueryCode() = default;
  explicit QueryCode(const BloomCode& c) : code(c) {}
  BloomCode code;
  BirthVariants birth;
};

}  // namespace entente::pprl
