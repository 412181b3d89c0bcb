#include "pprl/encoded_index.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "common/check.h"
#include "match/training.h"
#include "pprl/dice.h"
#include "pprl/keyed_hash.h"
#include "pprl/length_filter.h"

namespace entente::pprl {
namespace {

constexpr std::string_view kMagic("ENTPPRL\0", 8);
constexpr uint32_t kFormatVersion = 3;
constexpr size_t kHeaderBytes = 8 + 4 + 4 + 4 + 4 + 4 + 8;
constexpr size_t kChecksumBytes = 32;
constexpr uint32_t kMaxBands = 256;
constexpr uint32_t kMaxMinHashRows = 12;
constexpr uint32_t kMaxBitSamplingRows = 32;
// MinHash bins: 16 positions each, 64 a permutation; a sample is 0..15, or 16 when empty.
constexpr uint32_t kBinBits = 16;
constexpr uint32_t kBinsPerPermutation = kCodeBits / kBinBits;
constexpr size_t kMaxIdBytes = 1024;
// Codes compared per call of RangeIntersectionsMany (gathered into a contiguous buffer first).
constexpr size_t kCompareChunk = 256;
// How far ahead Compare prefetches the candidates' codes.
constexpr size_t kPrefetchAhead = 16;
// The name levels whose weight follows how common the query's name is in the index (all).
constexpr size_t kTermFrequencyLevels = kMaxRangeLevels - 1;
// Random pairs of the index's own codes that estimate u (EstimateU), and their seed.
constexpr size_t kUSamples = 200000;
constexpr uint64_t kUSeed = 1;
// Below this many codes, u stays the built-in one (too few pairs to say).
constexpr size_t kMinCodesForU = 1000;

// The ranges the LSH bands read: names and identifiers.
BloomCode BandedPart(const BloomCode& code) {
  BloomCode part = code;
  for (CodeRange range : {CodeRange::kBirth, CodeRange::kTraits}) {
    const auto r = static_cast<size_t>(range);
    for (size_t w = kRangeWordBegin[r]; w < kRangeWordBegin[r + 1]; ++w) part.words[w] = 0;
  }
  return part;
}

// log2 of the odds of `threshold`: the match weight a pair needs.
double NeededWeight(float threshold) {
  if (threshold <= 0) return -HUGE_VAL;
  if (threshold >= 1) return HUGE_VAL;
  return std::log2(static_cast<double>(threshold) / (1 - static_cast<double>(threshold))) - 1e-9;
}

// The name popcounts a code may have to reach `threshold` with a query of `name_popcount`
// name bits: with every other range at its best, the names must still reach some level, so
// some Dice, which bounds the popcount (length_filter.h). Everything when the other ranges
// alone may reach the threshold.
PopcountRange NameFilter(uint32_t name_popcount, float threshold, const EncodedModel& model) {
  const double needed = NeededWeight(threshold);
  double best_other = model.PriorBits();
  for (size_t r = 0; r < kRangeCount; ++r) {
    const auto range = static_cast<CodeRange>(r);
    if (range == CodeRange::kName) continue;
    double best = 0;  // level 0, no evidence
    for (int l = 1; l < RangeLevelCount(range); ++l) {
      best = std::max(best, model.LevelWeight(range, l));
    }
    best_other += best;
  }
  if (name_popcount == 0 || best_other >= needed) return {};
  const std::span<const float> bands = RangeBands(CodeRange::kName);
  if (best_other + model.LevelWeight(CodeRange::kName, static_cast<int>(bands.size()) + 1) >=
      needed) {
    return {};
  }
  float least_dice = 2;
  for (size_t l = 1; l <= bands.size(); ++l) {
    if (best_other + model.LevelWeight(CodeRange::kName, static_cast<int>(l)) >= needed) {
      least_dice = std::min(least_dice, bands[l - 1]);
    }
  }
  if (least_dice > 1) return {UINT32_MAX, 0};
  return DicePopcountRange(name_popcount, least_dice);
}

bool ValidOptions(const LshOptions& options) {
  const uint32_t max_rows = options.scheme == LshScheme::kMinHash       ? kMaxMinHashRows
                            : options.scheme == LshScheme::kBitSampling ? kMaxBitSamplingRows
                                                                        : 0;
  return options.bands >= 1 && options.bands <= kMaxBands && options.rows >= 1 &&
         options.rows <= max_rows;
}

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  return x ^ (x >> 33);
}

// `count` distinct positions (count <= 1024), drawn from the keyed stream named `label`.
void DrawPositions(const EncodingKey& key, const std::string& label, size_t count,
                   std::vector<uint16_t>& out) {
  std::array<bool, kCodeBits> taken{};
  std::array<uint8_t, 64> block{};
  size_t used = block.size();
  uint32_t counter = 0;
  for (size_t drawn = 0; drawn < count;) {
    if (used + 2 > block.size()) {
      internal::KeyedHash(key.secret, label + "/" + std::to_string(counter++), block);
      used = 0;
    }
    const size_t position = (block[used] | static_cast<size_t>(block[used + 1]) << 8) % kCodeBits;
    used += 2;
    if (taken[position]) continue;
    taken[position] = true;
    out.push_back(static_cast<uint16_t>(position));
    ++drawn;
  }
}

Status Bad(const std::string& what) { return InvalidArgument("encoded index: " + what); }

}  // namespace

EncodedIndex EncodedIndex::Build(const EncodingKey& key, std::vector<Entry> entries,
                                 const LshOptions& options) {
  ENTENTE_CHECK(ValidOptions(options));
  ENTENTE_CHECK(entries.size() < UINT32_MAX);
  EncodedIndex index;
  index.key_version_ = key.version;
  index.options_ = options;
  index.ids_.reserve(entries.size());
  index.codes_.reserve(entries.size());
  std::unordered_set<std::string_view> seen;
  for (Entry& entry : entries) {
    ENTENTE_CHECK(!entry.id.empty() && entry.id.size() <= kMaxIdBytes);
    index.ids_.push_back(std::move(entry.id));
    index.codes_.push_back(entry.code);
  }
  for (const std::string& id : index.ids_) ENTENTE_CHECK(seen.insert(id).second);
  index.Prepare();
  index.BuildBands(key);
  return index;
}

void EncodedIndex::Prepare() {
  popcounts_.resize(codes_.size());
  for (size_t i = 0; i < codes_.size(); ++i) popcounts_[i] = RangePopcounts(codes_[i]);
  model_ = DefaultEncodedModel();
  if (codes_.size() >= kMinCodesForU) model_ = EstimateU(model_, codes_, kUSamples, kUSeed);
  model_.listed_records = static_cast<double>(codes_.size());
}

void EncodedIndex::BuildBands(const EncodingKey& key) {
  samples_.clear();
  const std::string label = internal::DomainLabel("lsh", key.version);
  if (options_.scheme == LshScheme::kBitSampling) {
    // Distinct positions within each band.
    for (uint32_t band = 0; band < options_.bands; ++band) {
      DrawPositions(key, label + "/bits/band/" + std::to_string(band), options_.rows, samples_);
    }
  } else {
    // Enough keyed permutations for every band to read bins of its own.
    const size_t bins = size_t{options_.bands} * options_.rows;
    const size_t permutations = (bins + kBinsPerPermutation - 1) / kBinsPerPermutation;
    for (size_t p = 0; p < permutations; ++p) {
      DrawPositions(key, label + "/minhash/permutation/" + std::to_string(p), kCodeBits, samples_);
    }
  }
  const size_t n = codes_.size();
  // About eight codes a bucket (the directory costs an eighth of the postings; the codes that
  // share a bucket by chance add about 8 candidates a band), 2^10 to 2^24 buckets.
  bucket_bits_ = std::clamp<uint32_t>(static_cast<uint32_t>(std::bit_width(n / 8)), 10, 24);
  const size_t buckets = size_t{1} << bucket_bits_;
  band_offsets_.assign(options_.bands * (buckets + 1), 0);
  band_ids_.assign(options_.bands * n, 0);
  // Bucket of every code in every band, then a counting sort per band.
  std::vector<uint32_t> all(n * options_.bands);
  std::vector<uint32_t> buckets_of;
  for (size_t i = 0; i < n; ++i) {
    Buckets(codes_[i], buckets_of);
    for (uint32_t band = 0; band < options_.bands; ++band) {
      all[band * n + i] = buckets_of[band];
    }
  }
  for (uint32_t band = 0; band < options_.bands; ++band) {
    uint32_t* offsets = band_offsets_.data() + band * (buckets + 1);
    const uint32_t* values = all.data() + band * n;
    for (size_t i = 0; i < n; ++i) ++offsets[values[i] + 1];
    for (size_t b = 0; b < buckets; ++b) offsets[b + 1] += offsets[b];
    std::vector<uint32_t> fill(offsets, offsets + buckets);
    uint32_t* ids = band_ids_.data() + band * n;
    for (size_t i = 0; i < n; ++i) ids[fill[values[i]]++] = static_cast<uint32_t>(i);
  }
}

void EncodedIndex::Buckets(const BloomCode& whole, std::vector<uint32_t>& buckets) const {
  const BloomCode code = BandedPart(whole);
  buckets.resize(options_.bands);
  const uint32_t rows = options_.rows;
  std::array<uint8_t, size_t{kMaxBands} * kMaxMinHashRows> minima{};
  if (options_.scheme == LshScheme::kMinHash) {
    const size_t bins = size_t{options_.bands} * rows;
    for (size_t p = 0; p * kBinsPerPermutation < bins; ++p) {
      const uint16_t* permutation = samples_.data() + p * kCodeBits;
      std::array<uint64_t, kCodeWords> permuted{};
      for (size_t w = 0; w < kCodeWords; ++w) {
        for (uint64_t word = code.words[w]; word != 0; word &= word - 1) {
          const uint16_t to = permutation[w * 64 + static_cast<size_t>(std::countr_zero(word))];
          permuted[to / 64] |= uint64_t{1} << (to % 64);
        }
      }
      for (size_t b = 0; b < kBinsPerPermutation && p * kBinsPerPermutation + b < bins; ++b) {
        const auto bin = static_cast<uint16_t>(permuted[b / 4] >> (16 * (b % 4)));
        minima[p * kBinsPerPermutation + b] =
            static_cast<uint8_t>(bin == 0 ? kBinBits : std::countr_zero(bin));
      }
    }
  }
  for (uint32_t band = 0; band < options_.bands; ++band) {
    uint64_t value = 0;
    if (options_.scheme == LshScheme::kMinHash) {
      for (uint32_t r = 0; r < rows; ++r)
        value |= uint64_t{minima[size_t{band} * rows + r]} << (5 * r);
    } else {
      const uint16_t* positions = samples_.data() + size_t{band} * rows;
      for (uint32_t r = 0; r < rows; ++r) {
        value |= static_cast<uint64_t>(code.Test(positions[r])) << r;
      }
    }
    buckets[band] =
        static_cast<uint32_t>(Mix(value ^ (uint64_t{band} << 60) ^ band) >> (64 - bucket_bits_));
  }
}

template <typename Visit>
void EncodedIndex::ForEachCandidate(const BloomCode& query, Visit&& visit) const {
  // One bit per code: a query costs size() / 8 bytes of scratch, cleared once.
  std::vector<uint64_t> seen((codes_.size() + 63) / 64, 0);
  std::vector<uint32_t> buckets;
  Buckets(query, buckets);
  const size_t stride = (size_t{1} << bucket_bits_) + 1;
  const size_t n = codes_.size();
  for (uint32_t band = 0; band < options_.bands; ++band) {
    const uint32_t* offsets = band_offsets_.data() + band * stride;
    const uint32_t* ids = band_ids_.data() + band * n;
    const uint32_t end = offsets[buckets[band] + 1];
    for (uint32_t k = offsets[buckets[band]]; k < end; ++k) {
      // The visit reads the code's popcounts: scattered, so asked for a few ids ahead.
      if (k + kPrefetchAhead < end) __builtin_prefetch(&popcounts_[ids[k + kPrefetchAhead]]);
      const uint32_t i = ids[k];
      uint64_t& word = seen[i / 64];
      const uint64_t bit = uint64_t{1} << (i % 64);
      if ((word & bit) != 0) continue;
      word |= bit;
      visit(i);
    }
  }
}

void EncodedIndex::Compare(const QueryCode& query, float threshold, const EncodedModel& model,
                           bool one_person, std::span<const uint32_t> indexes,
                           std::vector<IndexHit>& hits) const {
  const RangeCounts query_popcounts = RangePopcounts(query.code);
  const double needed = NeededWeight(threshold);
  std::array<std::array<double, kMaxRangeLevels>, kRangeCount> weights{};
  for (size_t r = 0; r < kRangeCount; ++r) {
    for (int l = 1; l < RangeLevelCount(static_cast<CodeRange>(r)); ++l) {
      weights[r][static_cast<size_t>(l)] = model.LevelWeight(static_cast<CodeRange>(r), l);
    }
  }
  // Every candidate's levels first: how many codes of the index share the query's name at each
  // of the closest levels tells how common that name is.
  std::vector<RangeLevels> levels(indexes.size());
  std::vector<BloomCode> codes(std::min(kCompareChunk, indexes.size()));
  std::vector<RangeCounts> intersections(codes.size());
  std::array<uint32_t, kMaxRangeLevels> name_counts{};
  const size_t name = static_cast<size_t>(CodeRange::kName);
  for (size_t at = 0; at < indexes.size(); at += kCompareChunk) {
    const size_t m = std::min(kCompareChunk, indexes.size() - at);
    for (size_t k = 0; k < m; ++k) {
      // The codes are scattered over the index: ask for those a few places ahead while copying,
      // so that their cache misses overlap instead of queueing.
      if (at + k + kPrefetchAhead < indexes.size()) {
        const uint32_t next = indexes[at + k + kPrefetchAhead];
        const auto* ahead = codes_[next].words.data();
        __builtin_prefetch(ahead);
        __builtin_prefetch(ahead + 8);
        __builtin_prefetch(&popcounts_[next]);
      }
      codes[k] = codes_[indexes[at + k]];
    }
    RangeIntersectionsMany(query.code, std::span(codes.data(), m), intersections.data());
    for (size_t k = 0; k < m; ++k) {
      levels[at + k] =
          CountedLevels(intersections[k], query_popcounts, popcounts_[indexes[at + k]]);
      ++name_counts[levels[at + k][name]];
    }
  }
  // Term-frequency adjustment (as the plaintext scorer's, match/fs_model.h): at each name level,
  // u becomes the share of the index's other codes at that level with this query, when that is
  // more than the model's average u. A common name weighs less; a rare one keeps the model's
  // weight. The counts are over the codes compared: complete at the close levels (the bands
  // propose every code that close), an undercount at distant ones, where the adjustment is then
  // weaker, never stronger; Query and Scan therefore differ slightly (encoded_index_test.cc).
  const double listed = std::max<double>(1.0, static_cast<double>(codes_.size()));
  for (size_t l = 1; l <= kTermFrequencyLevels && l < kMaxRangeLevels; ++l) {
    const double others = std::max(0.0, static_cast<double>(name_counts[l]) - 1);
    const double u = model.u[name][l];
    if (others / listed > u) weights[name][l] = std::log2(model.m[name][l] / (others / listed));
  }
  const double prior = model.PriorBits();
  // The traits level (TraitsLevel reads the words) and the query's birth readings
  // (CompareQuery) are found only where they could make a hit: most candidates are far below
  // the threshold whatever their traits and birth levels.
  const size_t birth = static_cast<size_t>(CodeRange::kBirth);
  const size_t traits = static_cast<size_t>(CodeRange::kTraits);
  const bool readings = !query.birth.empty();
  const double best_reading =
      std::max(weights[birth][ContainedLevels(CodeRange::kBirth) + 1],
               weights[birth][ContainedLevels(CodeRange::kBirth) + kBirthVariantCount]);
  const double best_traits = *std::max_element(weights[traits].begin(), weights[traits].end());
  const uint64_t query_traits = query.code.words[kRangeWordBegin[traits]];
  std::vector<double> hit_weights;
  for (size_t k = 0; k < indexes.size(); ++k) {
    double weight = prior;
    for (size_t r = 0; r < kRangeCount; ++r) weight += weights[r][levels[k][r]];
    const uint8_t birth_level = levels[k][birth];
    const bool may_read = readings && birth_level > ContainedLevels(CodeRange::kBirth);
    const double without_birth = weight - weights[birth][birth_level];
    if (std::max(weight, may_read ? without_birth + best_reading : weight) + best_traits < needed) {
      continue;
    }
    const uint32_t i = indexes[k];
    const double traits_weight = weights[traits][static_cast<size_t>(
        TraitsLevel(query_traits, codes_[i].words[kRangeWordBegin[traits]]))];
    weight += traits_weight;
    if (may_read && without_birth + traits_weight + best_reading >= needed) {
      const int reading = BirthVariantLevel(query.birth, codes_[i], popcounts_[i][birth]);
      if (reading != 0) {
        weight = without_birth + traits_weight + weights[birth][static_cast<size_t>(reading)];
      }
    }
    if (weight < needed) continue;
    const auto score = static_cast<float>(1.0 / (1.0 + std::exp2(-weight)));
    if (score >= threshold) {
      hits.push_back({indexes[k], score});
      hit_weights.push_back(weight);
    }
  }
  if (one_person && hits.size() > 1) Compete(threshold, model, hit_weights, hits);
}

void EncodedIndex::Compete(float threshold, const EncodedModel& model,
                           std::span<const double> weights, std::vector<IndexHit>& hits) const {
  // As the plaintext screener does (match::Screener, ScreenOptions::one_person): the query is
  // one person, so hit j's odds are divided by 1 + the odds of the other hits, each counted with
  // the probability that it is another person than j (their two codes scored as a pair).
  const size_t n = hits.size();
  std::vector<double> others(n, 0.0);
  for (size_t j = 0; j < n; ++j) {
    for (size_t k = j + 1; k < n; ++k) {
      const uint32_t a = hits[j].index;
      const uint32_t b = hits[k].index;
      const double different =
          1 - model.MatchProbability(CompareRanges(codes_[a], codes_[b],
                                                   RangeIntersections(codes_[a], codes_[b]),
                                                   popcounts_[a], popcounts_[b]));
      others[j] += different * std::exp2(weights[k]);
      others[k] += different * std::exp2(weights[j]);
    }
  }
  for (size_t j = 0; j < n; ++j) {
    const double weight = weights[j] - std::log2(1 + others[j]);
    hits[j].score = static_cast<float>(1.0 / (1.0 + std::exp2(-weight)));
  }
  std::erase_if(hits, [threshold](const IndexHit& hit) { return hit.score < threshold; });
}

namespace {
void SortHits(std::vector<IndexHit>& hits) {
  std::sort(hits.begin(), hits.end(), [](const IndexHit& a, const IndexHit& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
}
}  // namespace

std::vector<IndexHit> EncodedIndex::Query(const QueryCode& query, float threshold) const {
  return Query(query, threshold, model_);
}

std::vector<IndexHit> EncodedIndex::Query(const QueryCode& query, float threshold,
                                          const EncodedModel& model, bool one_person) const {
  const size_t name = static_cast<size_t>(CodeRange::kName);
  const PopcountRange range = NameFilter(RangePopcounts(query.code)[name], threshold, model);
  std::vector<uint32_t> passed;
  ForEachCandidate(query.code, [&](uint32_t i) {
    if (range.Contains(popcounts_[i][name])) passed.push_back(i);
  });
  std::vector<IndexHit> hits;
  Compare(query, threshold, model, one_person, passed, hits);
  SortHits(hits);
  return hits;
}

std::vector<IndexHit> EncodedIndex::Scan(const QueryCode& query, float threshold) const {
  return Scan(query, threshold, model_);
}

std::vector<IndexHit> EncodedIndex::Scan(const QueryCode& query, float threshold,
                                         const EncodedModel& model, bool one_person) const {
  const size_t name = static_cast<size_t>(CodeRange::kName);
  const PopcountRange range = NameFilter(RangePopcounts(query.code)[name], threshold, model);
  std::vector<uint32_t> passed;
  for (uint32_t i = 0; i < codes_.size(); ++i) {
    if (range.Contains(popcounts_[i][name])) passed.push_back(i);
  }
  std::vector<IndexHit> hits;
  Compare(query, threshold, model, one_person, passed, hits);
  SortHits(hits);
  return hits;
}

EncodedModel EncodedIndex::FitQueryMatchRate(std::span<const QueryCode> queries,
                                             bool same_list) const {
  EncodedModel model = model_;
  // As match::FitModel: a few queries say too little (one query that is listed would make the
  // rate 1, and every pair of a listed namesake one person).
  if (queries.size() < match::kMinQueriesToEstimate) return model;
  std::vector<double> log2_sums;
  log2_sums.reserve(queries.size());
  std::vector<uint32_t> candidates;
  std::vector<BloomCode> codes;
  std::vector<RangeCounts> intersections;
  std::vector<double> weights;
  for (size_t q = 0; q < queries.size(); ++q) {
    candidates.clear();
    const QueryCode& query = queries[q];
    ForEachCandidate(query.code, [&](uint32_t i) {
      if (!same_list || i != q) candidates.push_back(i);
    });
    if (candidates.empty()) {
      log2_sums.push_back(-HUGE_VAL);
      continue;
    }
    codes.resize(candidates.size());
    intersections.resize(candidates.size());
    for (size_t k = 0; k < candidates.size(); ++k) codes[k] = codes_[candidates[k]];
    RangeIntersectionsMany(query.code, codes, intersections.data());
    const RangeCounts query_popcounts = RangePopcounts(query.code);
    weights.clear();
    for (size_t k = 0; k < candidates.size(); ++k) {
      const RangeLevels levels = CompareQuery(query, codes[k], intersections[k], query_popcounts,
                                              popcounts_[candidates[k]]);
      weights.push_back(model.MatchWeight(levels) - model.PriorBits());
    }
    const double top = *std::max_element(weights.begin(), weights.end());
    double sum = 0;
    for (double w : weights) sum += std::exp2(w - top);
    log2_sums.push_back(top + std::log2(sum));
  }
  model.query_match_rate = match::QueryMatchRateOf(log2_sums, static_cast<double>(codes_.size()),
                                                   model.query_match_rate);
  return model;
}

size_t EncodedIndex::CandidateCount(const BloomCode& query) const {
  size_t count = 0;
  ForEachCandidate(query, [&](uint32_t) { ++count; });
  return count;
}

std::vector<uint32_t> EncodedIndex::Candidates(const BloomCode& query) const {
  std::vector<uint32_t> candidates;
  ForEachCandidate(query, [&](uint32_t i) { candidates.push_back(i); });
  return candidates;
}

std::string EncodedIndex::Serialize() const {
  std::string out;
  out.reserve(kHeaderBytes + codes_.size() * (kCodeBits / 8 + 16) + kChecksumBytes);
  ByteWriter w(&out);
  w.Raw(kMagic);
  w.U32(kFormatVersion);
  w.U32(key_version_);
  w.U32(static_cast<uint32_t>(options_.scheme));
  w.U32(options_.bands);
  w.U32(options_.rows);
  w.U64(codes_.size());
  for (const std::string& id : ids_) w.Text16(id);
  for (const BloomCode& code : codes_) WriteCode(w, code);
  std::array<uint8_t, kChecksumBytes> checksum{};
  crypto_generichash_blake2b(checksum.data(), checksum.size(),
                             reinterpret_cast<const unsigned char*>(out.data()), out.size(),
                             nullptr, 0);
  out.append(reinterpret_cast<const char*>(checksum.data()), checksum.size());
  return out;
}

Result<EncodedIndex> EncodedIndex::Deserialize(std::string_view bytes, const EncodingKey& key) {
  if (bytes.size() < kHeaderBytes + kChecksumBytes) {
    return Bad("truncated: " + std::to_string(bytes.size()) + " bytes, fewer than the " +
               std::to_string(kHeaderBytes + kChecksumBytes) + " of an empty index");
  }
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    return Bad("bad magic: not an Entente encoded index");
  }
  // The checksum first: whatever else is wrong with a corrupted file, that is the reason.
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumBytes);
  std::array<uint8_t, kChecksumBytes> checksum{};
  crypto_generichash_blake2b(checksum.data(), checksum.size(),
                             reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                             nullptr, 0);
  if (std::memcmp(checksum.data(), bytes.data() + body.size(), kChecksumBytes) != 0) {
    return Bad("checksum mismatch: the index is corrupted or truncated");
  }
  ByteReader reader(body.substr(kMagic.size()), "encoded index");
  uint32_t format = 0;
  ENTENTE_RETURN_IF_ERROR(reader.U32(&format, "format version"));
  if (format != kFormatVersion) {
    return Bad("format version " + std::to_string(format) + " is not supported (expected " +
               std::to_string(kFormatVersion) + ")");
  }
  EncodedIndex index;
  ENTENTE_RETURN_IF_ERROR(reader.U32(&index.key_version_, "key version"));
  if (index.key_version_ != key.version) {
    return FailedPrecondition("encoded index: encoded under key version " +
                              std::to_string(index.key_version_) +
                              ", but the key given is version " + std::to_string(key.version));
  }
  uint32_t scheme = 0;
  ENTENTE_RETURN_IF_ERROR(reader.U32(&scheme, "LSH scheme"));
  index.options_.scheme = static_cast<LshScheme>(scheme);
  ENTENTE_RETURN_IF_ERROR(reader.U32(&index.options_.bands, "LSH bands"));
  ENTENTE_RETURN_IF_ERROR(reader.U32(&index.options_.rows, "LSH rows"));
  if (!ValidOptions(index.options_)) {
    return Bad("LSH options out of range: scheme " + std::to_string(scheme) + ", " +
               std::to_string(index.options_.bands) + " bands of " +
               std::to_string(index.options_.rows) + " rows (schemes 1 and 2, at most " +
               std::to_string(kMaxBands) + " bands of " + std::to_string(kMaxMinHashRows) + " or " +
               std::to_string(kMaxBitSamplingRows) + " rows)");
  }
  uint64_t count = 0;
  ENTENTE_RETURN_IF_ERROR(reader.U64(&count, "count"));
  // Each entry takes at least a 2-byte id length, one id byte and a code.
  if (count > reader.left() / (3 + kCodeBits / 8)) {
    return Bad("count " + std::to_string(count) + " does not fit in the " +
               std::to_string(reader.left()) + " bytes that follow the header");
  }
  index.ids_.resize(count);
  std::unordered_set<std::string_view> seen;
  for (uint64_t i = 0; i < count; ++i) {
    // Fields are named without their entry (it would cost a string per entry): the error gives
    // the byte.
    ENTENTE_RETURN_IF_ERROR(reader.Text16(&index.ids_[i], "id", 1, kMaxIdBytes));
  }
  for (size_t i = 0; i < index.ids_.size(); ++i) {
    if (!seen.insert(index.ids_[i]).second) {
      return Bad("duplicate id \"" + index.ids_[i] + "\" (entry " + std::to_string(i) + ")");
    }
  }
  const size_t code_bytes = count * (kCodeBits / 8);
  if (reader.left() != code_bytes) {
    return Bad("the codes take " + std::to_string(reader.left()) + " bytes, expected " +
               std::to_string(code_bytes) + " for " + std::to_string(count) + " codes");
  }
  index.codes_.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    ENTENTE_RETURN_IF_ERROR(ReadCode(reader, &index.codes_[i], "code"));
  }
  ENTENTE_RETURN_IF_ERROR(reader.End());
  index.Prepare();
  index.BuildBands(key);
  return index;
}

size_t EncodedIndex::MemoryBytes() const {
  size_t bytes =
      sizeof(*this) + codes_.capacity() * sizeof(BloomCode) +
      popcounts_.capacity() * sizeof(RangeCounts) + samples_.capacity() * sizeof(uint16_t) +
      band_offsets_.capacity() * sizeof(uint32_t) + band_ids_.capacity() * sizeof(uint32_t);
  for (const std::string& id : ids_) bytes += sizeof(std::string) + id.capacity();
  return bytes;
}

}  // namespace entente::pprl
