#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "pprl/bloom_code.h"
#include "pprl/encoding_key.h"

namespace entente::pprl {

// Locality-sensitive hashing by bit sampling: each band reads `bits_per_band` positions of a
// code, chosen under the federation key; two codes are candidates when they agree on all the
// sampled bits of at least one band. More bands find more of the pairs near the threshold
// (recall) and cost memory (4 bytes a code a band) and candidates; more bits per band cut the
// candidates of unrelated codes. The defaults find over 99% of the pairs at Dice 0.7 and
// above on the synthetic population (encoded_index_test.cc, docs/pprl.md).
struct LshOptions {
  uint32_t bands = 48;
  uint32_t bits_per_band = 16;  // 1..24: a band is a direct table of 2^bits buckets
};

// The Dice coefficient at or above which a pair counts as a hit by default.
inline constexpr float kDefaultDiceThreshold = 0.7F;

// One code of the index that reached the threshold.
struct IndexHit {
  uint32_t index = 0;  // EncodedIndex::id(index)
  float dice = 0;
};

// An encoded index: the codes of one partner's subjects under opaque references, with their
// popcounts (length filter) and LSH bands (candidates without comparing all pairs). Built
// once, immutable afterwards: one index is shared by all screening threads without locks.
class EncodedIndex {
 public:
  struct Entry {
    std::string id;  // an opaque reference, not personal data
    BloomCode code;
  };

  // Builds the index of `entries` (taken) encoded under `key`. Empty or duplicate ids, and
  // LSH options out of range, are programmer errors (ENTENTE_CHECK).
  static EncodedIndex Build(const EncodingKey& key, std::vector<Entry> entries,
                            const LshOptions& options = LshOptions());

  size_t size() const { return codes_.size(); }
  uint32_t key_version() const { return key_version_; }
  const LshOptions& lsh_options() const { return options_; }
  const std::string& id(uint32_t index) const { return ids_[index]; }
  const BloomCode& code(uint32_t index) const { return codes_[index]; }

  // The codes found through the LSH bands whose Dice with `query` is at least `threshold`,
  // best first (ties by index). Thread-safe.
  std::vector<IndexHit> Query(const BloomCode& query,
                              float threshold = kDefaultDiceThreshold) const;
  // The same by comparing every code that passes the length filter (no LSH): exact, slower;
  // what Query's recall is measured against. Thread-safe.
  std::vector<IndexHit> Scan(const BloomCode& query, float threshold = kDefaultDiceThreshold) const;
  // How many distinct codes the LSH bands propose for `query` (before the length filter).
  size_t CandidateCount(const BloomCode& query) const;

  // The binary form (docs/pprl.md): magic, format version, key version, LSH options, count,
  // ids, codes, and a BLAKE2b-256 checksum of all that precedes it. Integers little-endian.
  std::string Serialize() const;
  // Reads Serialize's form strictly: fails with InvalidArgument naming what is wrong (magic,
  // format version, a truncated or oversized part, an empty or duplicate id, the checksum,
  // trailing bytes) and with FailedPrecondition when the index was encoded under another key
  // version than `key`'s. Nothing is returned half-read.
  static Result<EncodedIndex> Deserialize(std::string_view bytes, const EncodingKey& key);

  size_t MemoryBytes() const;

 private:
  EncodedIndex() = default;
  // Fills band_positions_, band_offsets_ and band_ids_ from codes_.
  void BuildBands(const EncodingKey& key);
  uint32_t BandValue(const BloomCode& code, size_t band) const;
  // Calls `visit(index)` once for each distinct code the bands propose for `query`.
  template <typename Visit>
  void ForEachCandidate(const BloomCode& query, Visit&& visit) const;
  // Dice of `query` with each of `indexes` (a pass of the length filter), hits appended.
  void Compare(const BloomCode& query, float threshold, std::span<const uint32_t> indexes,
               std::vector<IndexHit>& hits) const;

  uint32_t key_version_ = 0;
  LshOptions options_;
  std::vector<std::string> ids_;
  std::vector<BloomCode> codes_;
  std::vector<uint16_t> popcounts_;
  std::vector<uint16_t> band_positions_;  // bands * bits_per_band
  std::vector<uint32_t> band_offsets_;    // bands * (2^bits + 1): start of each bucket
  std::vector<uint32_t> band_ids_;        // bands * size(): code indexes by bucket
};

}  // namespace entente::pprl
