#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "pprl/bloom_code.h"
#include "pprl/encoded_model.h"
#include "pprl/encoding_key.h"

namespace entente::pprl {

// Locality-sensitive hashing: each band reads `rows` keyed samples of the name and identifier
// ranges of a code (the birth date and traits, shared by many unrelated people, are left out)
// and files the code under their combination; two codes are candidates when they agree on all the
// samples of at least one band. Two kinds of sample, both under the federation key:
//   - kMinHash (default): one-permutation MinHash. The 1024 positions are permuted (keyed),
//     cut into bins of 16; a sample is the first set bit of a bin (or "empty"). Two codes
//     agree on a sample with probability about their Jaccard coefficient J = D / (2 - D), so
//     agreement on shared zeros, which unrelated sparse codes have plenty of, counts for
//     nothing.
//   - kBitSampling: a sample is one bit at a keyed position. Simple, but two unrelated codes
//     of 20% density agree on a bit two times in three, mostly on zeros: far more candidates
//     for the same recall (docs/pprl.md has the figures).
// More bands find more of the pairs near the threshold (recall) and cost memory (4 bytes a
// code a band) and candidates; more rows cut the candidates of unrelated codes. The defaults
// find over 99% of the pairs at the default threshold on the synthetic population
// (encoded_index_test.cc).
enum class LshScheme : uint32_t { kMinHash = 1, kBitSampling = 2 };
struct LshOptions {
  LshScheme scheme = LshScheme::kMinHash;
  uint32_t bands = 96;
  uint32_t rows = 4;  // samples a band: 1..12 MinHash bins, 1..32 bits

  friend bool operator==(const LshOptions&, const LshOptions&) = default;
};

// The score (match probability, encoded_model.h) at or above which a pair counts as a hit by
// default: as likely the same person as not, like the plaintext screener's default.
inline constexpr float kDefaultScoreThreshold = 0.5F;

// One code of the index that reached the threshold.
struct IndexHit {
  uint32_t index = 0;  // EncodedIndex::id(index)
  float score = 0;     // the match probability of the pair, 0..1
};

// An encoded index: the codes of one partner's subjects under opaque references, with their
// popcounts per range, LSH bands (candidates without comparing all pairs) and the scoring
// model (DefaultEncodedModel, its u estimated on these codes). A candidate is scored by the
// Dice coefficient of each range of the code, taken as a Fellegi-Sunter level. Built once,
// immutable afterwards: one index is shared by all screening threads without locks.
class EncodedIndex {
 public:
  struct Entry {
    std::string id;  // an opaque reference, not personal data
    BloomCode code;
  };

  // Builds the index of `entries` (taken) encoded under `key`. Empty or duplicate ids, and
  // LSH options out of range, are programmer errors (ENTENTE_CHECK). Deterministic: the same
  // entries and key give the same index.
  static EncodedIndex Build(const EncodingKey& key, std::vector<Entry> entries,
                            const LshOptions& options = LshOptions());

  size_t size() const { return codes_.size(); }
  uint32_t key_version() const { return key_version_; }
  const LshOptions& lsh_options() const { return options_; }
  const std::string& id(uint32_t index) const { return ids_[index]; }
  const BloomCode& code(uint32_t index) const { return codes_[index]; }
  // The model Query scores with: the built-in m, u estimated on this index's codes, the prior
  // spread over its size.
  const EncodedModel& model() const { return model_; }

  // The codes found through the LSH bands whose score with `query` is at least `threshold`,
  // best first (ties by index). A query from Encoder::EncodeQuery also meets a listed date that
  // is its own with day and month swapped or the year one off (BirthVariantLevel); a bare code
  // converts to a query without those readings. Thread-safe.
  std::vector<IndexHit> Query(const QueryCode& query,
                              float threshold = kDefaultScoreThreshold) const;
  // The same scored with `model` (e.g. FitQueryMatchRate's). `one_person` (the default): the
  // query is one person, so when several codes reach the threshold each hit's odds are divided
  // by 1 + the odds of the others, each counted with the probability that it is another person
  // (the two codes scored as a pair), as the plaintext screener does; hits that fall below the
  // threshold are dropped. Off for a file screened against itself.
  std::vector<IndexHit> Query(const QueryCode& query, float threshold, const EncodedModel& model,
                              bool one_person = true) const;
  // The same by scoring every code that passes the name length filter (no LSH): exact,
  // slower; what Query's recall is measured against. Thread-safe.
  std::vector<IndexHit> Scan(const QueryCode& query,
                             float threshold = kDefaultScoreThreshold) const;
  std::vector<IndexHit> Scan(const QueryCode& query, float threshold, const EncodedModel& model,
                             bool one_person = true) const;
  // The index's model with the query match rate fitted to a sample of queries (a batch of
  // queries of which some unknown share is listed; `same_list`: query i is code i of this
  // index, which is then not its own candidate); the index's model under
  // match::kMinQueriesToEstimate queries. Thread-safe.
  EncodedModel FitQueryMatchRate(std::span<const QueryCode> queries, bool same_list) const;
  // How many distinct codes the LSH bands propose for `query` (before the length filter).
  size_t CandidateCount(const BloomCode& query) const;
  // Those codes, in the order the bands propose them.
  std::vector<uint32_t> Candidates(const BloomCode& query) const;

  // The binary form (docs/pprl.md): magic, format version (3: ranged codes, traits in two
  // spans), key version, LSH options, count, ids, codes, and a BLAKE2b-256 checksum of all that
  // precedes it; integers little-endian (common/coding.h). The model is not stored: Deserialize
  // estimates it again from the codes.
  std::string Serialize() const;
  // Reads Serialize's form strictly: fails with InvalidArgument naming what is wrong (magic,
  // format version, a truncated or oversized part, an empty or duplicate id, the checksum,
  // trailing bytes) and with FailedPrecondition when the index was encoded under another key
  // version than `key`'s. Nothing is returned half-read.
  static Result<EncodedIndex> Deserialize(std::string_view bytes, const EncodingKey& key);

  size_t MemoryBytes() const;

 private:
  EncodedIndex() = default;
  // Fills the samplers, band_offsets_ and band_ids_ from codes_.
  void BuildBands(const EncodingKey& key);
  // The bucket of `code` in each band (size bands).
  void Buckets(const BloomCode& code, std::vector<uint32_t>& buckets) const;
  // Calls `visit(index)` once for each distinct code the bands propose for `query`.
  template <typename Visit>
  void ForEachCandidate(const BloomCode& query, Visit&& visit) const;
  // Fills popcounts_ and model_ from codes_.
  void Prepare();
  // The scores of `query` with each of `indexes`, hits at or above `threshold` appended.
  void Compare(const QueryCode& query, float threshold, const EncodedModel& model, bool one_person,
               std::span<const uint32_t> indexes, std::vector<IndexHit>& hits) const;
  // The one-person rule (Query) over `hits`, whose match weights are `weights`.
  void Compete(float threshold, const EncodedModel& model, std::span<const double> weights,
               std::vector<IndexHit>& hits) const;

  uint32_t key_version_ = 0;
  LshOptions options_;
  std::vector<std::string> ids_;
  std::vector<BloomCode> codes_;
  std::vector<RangeCounts> popcounts_;
  EncodedModel model_;
  // kBitSampling: bands * rows positions. kMinHash: the keyed permutations, 1024 each.
  std::vector<uint16_t> samples_;
  uint32_t bucket_bits_ = 0;            // log2 of the buckets a band
  std::vector<uint32_t> band_offsets_;  // bands * (2^bucket_bits + 1): start of each bucket
  std::vector<uint32_t> band_ids_;      // bands * size(): code indexes by bucket
};

}  // namespace entente::pprl
