#include "match/candidate_index.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>

#include "match/blocking_keys.h"
#include "match/phone.h"

namespace entente::match {
namespace {

uint64_t HashBytes(std::string_view s, uint64_t h) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return h;
}

IdentitySummary Summarise(const Identity& identity) {
  IdentitySummary s;
  if (identity.births.size() > s.births.size()) s.flags |= IdentitySummary::kManyBirths;
  for (size_t i = 0; i < std::min(identity.births.size(), s.births.size()); ++i) {
    s.births[i] = PackBirth(identity.births[i]);
  }
  if (identity.nationalities.size() > s.nationalities.size()) {
    s.flags |= IdentitySummary::kManyNationalities;
  }
  for (size_t i = 0; i < std::min(identity.nationalities.size(), s.nationalities.size()); ++i) {
    s.nationalities[i] = identity.nationalities[i];
  }
  s.gender = identity.gender;
  if (!identity.documents.empty()) {
    s.flags |= IdentitySummary::kHasDocument;
    if (identity.documents.size() > s.document_ends.size()) {
      s.flags |= IdentitySummary::kManyDocuments;
    }
    s.document_ends[0] = DocumentEnds(identity.documents.front().number);
    s.document_ends[1] =
        DocumentEnds(identity.documents[std::min<size_t>(1, identity.documents.size() - 1)].number);
    for (const Document& document : identity.documents) {
      s.flags |= document.kind == DocumentKind::kIdentity ? IdentitySummary::kHasIdentityNumber
                                                          : IdentitySummary::kHasPassport;
    }
  }
  if (!identity.phones.empty()) {
    s.flags |= IdentitySummary::kHasPhone;
    if (identity.phones.size() > s.phone_digests.size()) s.flags |= IdentitySummary::kManyPhones;
    s.phone_digests[0] = PhoneDigest(PhoneKey(identity.phones.front()));
    s.phone_digests[1] =
        PhoneDigest(PhoneKey(identity.phones[std::min<size_t>(1, identity.phones.size() - 1)]));
  }
  if (!identity.addresses.empty()) s.flags |= IdentitySummary::kHasAddress;
  if (identity.countries[0] != 0) {
    s.flags |= IdentitySummary::kHasCountry;
    s.country = identity.countries[0];
    if (identity.countries[1] != 0) s.flags |= IdentitySummary::kManyCountries;
  }
  if (!identity.emails.empty()) s.flags |= IdentitySummary::kHasEmail;
  if (!identity.weak_names.empty()) s.flags |= IdentitySummary::kHasWeakName;
  return s;
}

}  // namespace

static_assert(sizeof(IdentitySummary) == 32, "two summaries a cache line");

uint32_t DocumentEnds(std::string_view document) {
  constexpr size_t kEnd = 3;
  const size_t n = std::min(kEnd, document.size());
  auto fold = [](uint64_t h) {
    return static_cast<uint32_t>((h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48)) & 0xFFFF);
  };
  return fold(HashBytes(document.substr(0, n), 0xCBF29CE484222325ULL)) << 16 |
         fold(HashBytes(document.substr(document.size() - n), 0x84222325CBF29CE4ULL));
}

uint16_t PhoneDigest(std::string_view phone) {
  const uint64_t h = HashBytes(phone, 0xCBF29CE484222325ULL);
  return static_cast<uint16_t>(h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48));
}

uint32_t PackBirth(const model::PartialDate& date) {
  return static_cast<uint32_t>(date.year()) << 9 | static_cast<uint32_t>(date.month()) << 5 |
         static_cast<uint32_t>(date.day());
}

model::PartialDate UnpackBirth(uint32_t packed) {
  const int year = static_cast<int>(packed >> 9);
  const int month = static_cast<int>((packed >> 5) & 0xF);
  const int day = static_cast<int>(packed & 0x1F);
  if (month == 0) return model::PartialDate::Year(year);
  if (day == 0) return model::PartialDate::YearMonth(year, month);
  return model::PartialDate::Day(year, month, day);
}

uint64_t TokenFrequencyKey(const NameForm& form, size_t token) {
  const std::string_view spelling =
      form.stripped(token).empty() ? form.spelling(token) : form.stripped(token);
  return HashBytes(spelling, 0xCBF29CE484222325ULL);
}

uint64_t NameFrequencyKey(const NameForm& form) {
  std::vector<uint64_t> tokens;
  for (size_t t = 0; t < form.size(); ++t) tokens.push_back(TokenFrequencyKey(form, t));
  std::sort(tokens.begin(), tokens.end());
  uint64_t h = 0xCBF29CE484222325ULL;
  for (uint64_t t : tokens) h = (h ^ t) * 0x100000001B3ULL + 1;
  return h;
}

CandidateIndex CandidateIndex::Build(std::vector<Identity> identities, int threads) {
  CandidateIndex index;
  index.identities_ = std::move(identities);
  const size_t n = index.identities_.size();
  threads = std::max(1, threads);

  // Counting sort of all keys by bucket (the top kDirectoryBits bits of the key), in two
  // passes over chunks of identities whose keys are computed in parallel, so that the keys of
  // the whole watchlist never sit in memory beside the postings.
  constexpr size_t kChunk = 1 << 16;
  std::vector<std::vector<uint64_t>> keys(std::min(n, kChunk));
  auto compute_chunk = [&](size_t begin, size_t end) {
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads));
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (size_t i = begin + static_cast<size_t>(t); i < end;
             i += static_cast<size_t>(threads)) {
          keys[i - begin] = IndexKeys(index.identities_[i]);
        }
      });
    }
    for (auto& w : workers) w.join();
  };
  const size_t buckets = size_t{1} << kDirectoryBits;
  index.directory_.assign(buckets + 1, 0);
  for (size_t begin = 0; begin < n; begin += kChunk) {
    const size_t end = std::min(n, begin + kChunk);
    compute_chunk(begin, end);
    for (size_t i = begin; i < end; ++i) {
      for (uint64_t key : keys[i - begin]) ++index.directory_[(key >> (64 - kDirectoryBits)) + 1];
    }
  }
  for (size_t b = 0; b < buckets; ++b) index.directory_[b + 1] += index.directory_[b];
  const size_t total = index.directory_[buckets];
  index.key_low_.resize(total);
  index.ids_.resize(total);
  std::vector<uint32_t> cursor(index.directory_.begin(), index.directory_.end() - 1);
  for (size_t begin = 0; begin < n; begin += kChunk) {
    const size_t end = std::min(n, begin + kChunk);
    compute_chunk(begin, end);
    for (size_t i = begin; i < end; ++i) {
      for (uint64_t key : keys[i - begin]) {
        const uint32_t at = cursor[key >> (64 - kDirectoryBits)]++;
        index.key_low_[at] = static_cast<uint32_t>(key);
        index.ids_[at] = static_cast<uint32_t>(i);
      }
    }
  }
  std::vector<std::vector<uint64_t>>().swap(keys);
  // Within a bucket, order by key so that a lookup returns one contiguous run.
  {
    std::vector<std::pair<uint32_t, uint32_t>> scratch;
    for (size_t b = 0; b < buckets; ++b) {
      const uint32_t begin = index.directory_[b], end = index.directory_[b + 1];
      if (end - begin < 2) continue;
      scratch.clear();
      for (uint32_t p = begin; p < end; ++p) scratch.emplace_back(index.key_low_[p], index.ids_[p]);
      std::sort(scratch.begin(), scratch.end());
      for (uint32_t p = begin; p < end; ++p) {
        index.key_low_[p] = scratch[p - begin].first;
        index.ids_[p] = scratch[p - begin].second;
      }
    }
  }

  // Name frequencies. A watchlist is a sample of the people who could be screened: a name that
  // appears once in it may still be common (Julien Dubois), and its tokens show it. So the
  // frequency of a name is the larger of its own share and the product of its tokens' shares.
  std::unordered_map<uint64_t, uint32_t> name_counts, token_counts;
  name_counts.reserve(n * 2);
  token_counts.reserve(n);
  std::vector<uint64_t> seen, seen_tokens;
  for (const auto& identity : index.identities_) {
    seen.clear();
    seen_tokens.clear();
    for (const auto& form : identity.names) {
      seen.push_back(NameFrequencyKey(form));
      for (size_t t = 0; t < form.size(); ++t) seen_tokens.push_back(TokenFrequencyKey(form, t));
    }
    for (auto* list : {&seen, &seen_tokens}) {
      std::sort(list->begin(), list->end());
      list->erase(std::unique(list->begin(), list->end()), list->end());
    }
    for (uint64_t k : seen) ++name_counts[k];
    for (uint64_t k : seen_tokens) ++token_counts[k];
    seen.clear();
    for (const auto& form : identity.weak_names) seen.push_back(NameFrequencyKey(form));
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (uint64_t k : seen) ++index.weak_name_counts_[k];
  }
  const double listed = std::max<double>(1.0, static_cast<double>(n));
  auto share = [listed](const std::unordered_map<uint64_t, uint32_t>& counts, uint64_t key) {
    auto it = counts.find(key);
    return (it == counts.end() ? 1.0 : static_cast<double>(it->second)) / listed;
  };
  // A name seen c times in a sample is, on average, rarer than c/N (most names of the
  // population are never seen): Good-Turing's (c+1) n(c+1) / n(c) for the small counts.
  constexpr uint32_t kGoodTuringMax = 5;
  std::array<double, kGoodTuringMax + 2> count_of_counts{};
  for (const auto& [key, count] : name_counts) {
    if (count <= kGoodTuringMax + 1) count_of_counts[count] += 1;
  }
  auto name_share = [&](uint64_t key) {
    auto it = name_counts.find(key);
    const uint32_t c = it == name_counts.end() ? 1 : it->second;
    double adjusted = c;
    if (c <= kGoodTuringMax && count_of_counts[c] > 0 && count_of_counts[c + 1] > 0) {
      adjusted = std::min<double>(c, (c + 1) * count_of_counts[c + 1] / count_of_counts[c]);
    }
    return adjusted / listed;
  };
  double collision = 0;
  index.form_offsets_.reserve(n + 1);
  index.summaries_.reserve(n);
  for (const auto& identity : index.identities_) {
    index.form_offsets_.push_back(static_cast<uint32_t>(index.form_log2_frequency_.size()));
    IdentitySummary& summary = index.summaries_.emplace_back(Summarise(identity));
    double min_log2_frequency = 0;
    for (size_t f = 0; f < identity.names.size(); ++f) {
      const NameForm& form = identity.names[f];
      double product = 1;
      for (size_t t = 0; t < form.size(); ++t) {
        product *= share(token_counts, TokenFrequencyKey(form, t));
      }
      const double frequency = std::max(name_share(NameFrequencyKey(form)), product);
      if (f == 0) collision += frequency;
      const auto log2_frequency = static_cast<float>(std::log2(frequency));
      index.form_log2_frequency_.push_back(log2_frequency);
      min_log2_frequency = std::min<double>(min_log2_frequency, log2_frequency);
    }
    // Rounded down, so that the screener's bound (which subtracts it) stays a bound.
    summary.min_name_log2_frequency_256 =
        static_cast<int16_t>(std::clamp(std::floor(min_log2_frequency * 256), -32768.0, 0.0));
  }
  // The chance that a random listed record has a given record's name, on average.
  index.name_collision_ = std::max(collision / listed, 1.0 / (listed * listed));
  index.form_offsets_.push_back(static_cast<uint32_t>(index.form_log2_frequency_.size()));
  return index;
}

std::span<const uint32_t> CandidateIndex::Lookup(uint64_t key) const {
  const size_t bucket = key >> (64 - kDirectoryBits);
  const uint32_t begin = directory_[bucket], end = directory_[bucket + 1];
  const auto low = static_cast<uint32_t>(key);
  const auto first = std::lower_bound(key_low_.begin() + begin, key_low_.begin() + end, low);
  const auto last = std::upper_bound(first, key_low_.begin() + end, low);
  const auto from = static_cast<size_t>(first - key_low_.begin());
  return {ids_.data() + from, static_cast<size_t>(last - first)};
}

void CandidateIndex::Lookup(std::span<const uint64_t> keys,
                            std::vector<std::span<const uint32_t>>& out) const {
  // Addresses by pointer arithmetic, not operator[]: a bucket may start at the end of the
  // postings (or there may be none), where a reference would be undefined.
  for (uint64_t key : keys) __builtin_prefetch(directory_.data() + (key >> (64 - kDirectoryBits)));
  for (uint64_t key : keys) {
    __builtin_prefetch(key_low_.data() + directory_[key >> (64 - kDirectoryBits)]);
  }
  out.resize(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    out[i] = Lookup(keys[i]);
    __builtin_prefetch(out[i].data());
  }
}

double CandidateIndex::WeakNameLog2Frequency(const NameForm& form) const {
  const auto it = weak_name_counts_.find(NameFrequencyKey(form));
  const double bearers = it == weak_name_counts_.end() ? 1.0 : static_cast<double>(it->second);
  return std::log2(bearers / std::max<double>(1.0, static_cast<double>(identities_.size())));
}

double CandidateIndex::NameLog2Frequency(uint32_t index, int form) const {
  const uint32_t at = form_offsets_[index] + static_cast<uint32_t>(form);
  return at < form_offsets_[index + 1] ? form_log2_frequency_[at] : 0.0;
}

size_t CandidateIndex::MemoryBytes() const {
  size_t bytes = directory_.size() * 4 + key_low_.size() * 4 + ids_.size() * 4 +
                 summaries_.size() * sizeof(IdentitySummary) + form_offsets_.size() * 4 +
                 form_log2_frequency_.size() * 4;
  for (const auto& identity : identities_) {
    bytes += sizeof(Identity) + identity.id.capacity();
    for (const auto& form : identity.names) bytes += form.MemoryBytes();
    for (const auto& form : identity.weak_names) bytes += form.MemoryBytes();
  }
  return bytes;
}

}  // namespace entente::match
