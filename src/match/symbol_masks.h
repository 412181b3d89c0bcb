#pragma once

// Pattern bit masks shared by the bit-parallel comparators (Jaro, Levenshtein, OSA): bit i of
// the mask of symbol c is set when pattern[i] == c. Symbols are bytes (`char`) or code points
// (`char32_t`). Internal to match/; callers use JaroPattern and LevenshteinPattern.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/check.h"

namespace entente::match::internal {

inline constexpr int kWordBits = 64;

// The n lowest bits set, for 0 <= n <= 64.
inline uint64_t LowBits(int n) { return n >= kWordBits ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }

inline uint32_t SymbolIndex(char c) { return static_cast<unsigned char>(c); }
inline uint32_t SymbolIndex(char32_t c) { return static_cast<uint32_t>(c); }

// Masks of a pattern of at most 64 symbols, built once and read many times. Symbols below 256
// live in a direct table; others in a small open-addressing table (at most 64 keys in 128
// slots). Immutable after construction, so safe to share between threads.
class SymbolMasks {
 public:
  template <typename CharT>
  explicit SymbolMasks(std::basic_string_view<CharT> pattern) {
    ENTENTE_CHECK(pattern.size() <= kWordBits);
    for (size_t i = 0; i < pattern.size(); ++i) {
      const uint64_t bit = uint64_t{1} << i;
      const uint32_t c = SymbolIndex(pattern[i]);
      if (c < 256) {
        byte_masks_[c] |= bit;
      } else {
        Insert(c, bit);
      }
    }
  }

  uint64_t Get(char c) const { return byte_masks_[SymbolIndex(c)]; }
  uint64_t Get(char32_t c) const {
    const uint32_t i = SymbolIndex(c);
    if (i < 256) return byte_masks_[i];
    return has_extended_ ? GetExtended(i) : 0;
  }

 private:
  static constexpr int kSlots = 128;
  static uint32_t Slot(uint32_t c) { return (c * 0x9E3779B1u) >> 25; }

  void Insert(uint32_t c, uint64_t bit) {
    has_extended_ = true;
    uint32_t slot = Slot(c);
    while (keys_[slot] != 0 && keys_[slot] != c) slot = (slot + 1) % kSlots;
    keys_[slot] = c;
    masks_[slot] |= bit;
  }

  uint64_t GetExtended(uint32_t c) const {
    uint32_t slot = Slot(c);
    while (true) {
      if (keys_[slot] == c) return masks_[slot];
      if (keys_[slot] == 0) return 0;
      slot = (slot + 1) % kSlots;
    }
  }

  std::array<uint64_t, 256> byte_masks_{};
  bool has_extended_ = false;
  // Symbols >= 256; key 0 marks an empty slot.
  std::array<uint32_t, kSlots> keys_{};
  std::array<uint64_t, kSlots> masks_{};
};

// Masks of one short pattern (at most 64 symbols) for one comparison with `text`. Building it
// touches only the entries of the symbols of `pattern` and `text`, instead of clearing a 2 KiB
// table, and Get may be called only with symbols of `pattern` or `text`.
template <typename CharT>
class SparseSymbolMasks {
 public:
  SparseSymbolMasks(std::basic_string_view<CharT> pattern, std::basic_string_view<CharT> text) {
    for (CharT c : text) Clear(c);
    for (CharT c : pattern) Clear(c);
    for (size_t i = 0; i < pattern.size(); ++i) *Entry(pattern[i]) |= uint64_t{1} << i;
  }

  uint64_t Get(CharT c) const {
    const uint32_t i = SymbolIndex(c);
    if (i < 256) return byte_masks_[i];
    for (int k = 0; k < extended_count_; ++k) {
      if (extended_keys_[k] == i) return extended_masks_[k];
    }
    return 0;
  }

 private:
  void Clear(CharT c) {
    const uint32_t i = SymbolIndex(c);
    if (i < 256) byte_masks_[i] = 0;
  }
  uint64_t* Entry(CharT c) {
    const uint32_t i = SymbolIndex(c);
    if (i < 256) return &byte_masks_[i];
    for (int k = 0; k < extended_count_; ++k) {
      if (extended_keys_[k] == i) return &extended_masks_[k];
    }
    extended_keys_[extended_count_] = i;
    extended_masks_[extended_count_] = 0;
    return &extended_masks_[extended_count_++];
  }

  // Deliberately left uninitialized: only the entries cleared above are ever read.
  uint64_t byte_masks_[256];
  int extended_count_ = 0;
  uint32_t extended_keys_[kWordBits];
  uint64_t extended_masks_[kWordBits];
};

// Masks of a pattern of any length, in 64-bit words: Get(c) points at words() masks, word w
// covering pattern positions [64 w, 64 w + 64). Immutable after construction.
class BlockSymbolMasks {
 public:
  template <typename CharT>
  explicit BlockSymbolMasks(std::basic_string_view<CharT> pattern)
      : words_(static_cast<int>((pattern.size() + kWordBits - 1) / kWordBits)),
        byte_masks_(256 * static_cast<size_t>(words_), 0),
        extended_masks_(static_cast<size_t>(words_), 0) {
    for (size_t i = 0; i < pattern.size(); ++i) {
      const uint32_t c = SymbolIndex(pattern[i]);
      const uint64_t bit = uint64_t{1} << (i % kWordBits);
      const size_t word = i / kWordBits;
      if (c < 256) {
        byte_masks_[static_cast<size_t>(c) * static_cast<size_t>(words_) + word] |= bit;
      } else {
        auto [it, inserted] = extended_rows_.try_emplace(c, extended_masks_.size());
        if (inserted) extended_masks_.resize(extended_masks_.size() + words_, 0);
        extended_masks_[it->second + word] |= bit;
      }
    }
  }

  int words() const { return words_; }

  const uint64_t* Get(char c) const {
    return &byte_masks_[static_cast<size_t>(SymbolIndex(c)) * static_cast<size_t>(words_)];
  }
  const uint64_t* Get(char32_t c) const {
    const uint32_t i = SymbolIndex(c);
    if (i < 256) return &byte_masks_[static_cast<size_t>(i) * static_cast<size_t>(words_)];
    auto it = extended_rows_.find(i);
    // Row 0 of extended_masks_ is all zeros: the masks of a symbol absent from the pattern.
    return &extended_masks_[it == extended_rows_.end() ? 0 : it->second];
  }

 private:
  int words_;
  std::vector<uint64_t> byte_masks_;
  std::unordered_map<uint32_t, size_t> extended_rows_;
  std::vector<uint64_t> extended_masks_;
};

}  // namespace entente::match::internal
