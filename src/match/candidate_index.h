#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "match/identity.h"

namespace entente::match {

// What the screener reads of a listed identity to bound its match weight before comparing it in
// full: one small record per identity, contiguous, so that most candidates cost one cache line.
struct IdentitySummary {
  enum Flag : uint16_t {
    kManyBirths = 1,         // more than two birth dates: births not summarised
    kManyNationalities = 2,  // more than two nationalities: not summarised
    kHasDocument = 4,
    kHasPhone = 8,
    kHasAddress = 16,
    kHasEmail = 32,
    kHasWeakName = 64,
    kManyDocuments = 128,  // more than two documents: documents not summarised
    kManyPhones = 256,     // more than two phones: phones not summarised
    kHasCountry = 512,
    kHasIdentityNumber = 1024,  // DocumentKind::kIdentity among its documents
    kHasPassport = 2048,        // DocumentKind::kPassport among its documents
    kManyCountries = 4096,      // more than one country of residence: not summarised
  };
  std::array<uint32_t, 2> births{};         // PackBirth of the first two (0: none)
  std::array<uint16_t, 2> nationalities{};  // PackCountry of the first two (0: none)
  // log2 of the frequency of its least common name form, in 1/256ths, rounded down (a bound).
  int16_t min_name_log2_frequency_256 = 0;
  uint16_t country = 0;  // its country of residence, packed, when it has exactly one
  // DocumentEnds and PhoneDigest of the first two documents and phones; a single one is
  // repeated, so that both slots may always be compared.
  std::array<uint32_t, 2> document_ends{};
  std::array<uint16_t, 2> phone_digests{};
  char gender = 0;
  uint16_t flags = 0;

  double min_name_log2_frequency() const { return min_name_log2_frequency_256 / 256.0; }
};
static_assert(sizeof(IdentitySummary) == 32, "two summaries a cache line");

// A 16-bit hash of a document number's first three symbols, and one of its last three (the
// whole number when shorter), packed. Two numbers that CompareIdentities finds equal or one
// typo apart (both at least 6 symbols long) share one end: the typo leaves the other intact.
uint32_t DocumentEnds(std::string_view document);
// Whether DocumentEnds `a` and `b` share an end.
inline bool ShareDocumentEnd(uint32_t a, uint32_t b) {
  return (a >> 16) == (b >> 16) || (a & 0xFFFF) == (b & 0xFFFF);
}
// A 16-bit hash of a phone number: equal numbers have equal digests.
uint16_t PhoneDigest(std::string_view phone);

// A partial date in 21 bits (year, month or 0, day or 0), and back.
uint32_t PackBirth(const model::PartialDate& date);
model::PartialDate UnpackBirth(uint32_t packed);

// The inverted index from blocking keys (blocking_keys.h) to identities of a watchlist, and
// the frequency of each name token in it (for the term-frequency adjustment). Built once,
// immutable afterwards: one index is shared by all screening threads without locks.
class CandidateIndex {
 public:
  // Builds the index over `identities` (taken), using up to `threads` threads.
  static CandidateIndex Build(std::vector<Identity> identities, int threads);

  size_t size() const { return identities_.size(); }
  const Identity& identity(uint32_t index) const { return identities_[index]; }
  const std::vector<Identity>& identities() const { return identities_; }
  const IdentitySummary& summary(uint32_t index) const { return summaries_[index]; }

  // The identities filed under `key` (empty if none). Valid as long as the index.
  std::span<const uint32_t> Lookup(uint64_t key) const;
  // out[i] = Lookup(keys[i]) for each key (out is resized), faster than one at a time: the
  // memory of all the keys is fetched together.
  void Lookup(std::span<const uint64_t> keys, std::vector<std::span<const uint32_t>>& out) const;

  // log2 of the frequency of the name form `form` of identity `index` among the people who
  // could be screened, as the watchlist shows it: the larger of the share of identities with a
  // name of the same tokens (by spelling key, particles left out, in any order) and the product
  // of the shares of its tokens. The spelling, not the sound: the exact level it adjusts is a
  // spelling match.
  double NameLog2Frequency(uint32_t index, int form) const;

  // log2 of the share of listed identities that bear a nom de guerre of the same tokens as
  // `form` (by spelling key, particles left out), at least one: "Abu Hamza" is many people's,
  // "Abu Hamza al-Belgiki" few.
  double WeakNameLog2Frequency(const NameForm& form) const;

  // The probability that a random identity shares a given one's name, on average over the
  // watchlist: the u of an exact name match.
  double NameCollisionProbability() const { return name_collision_; }

  size_t posting_count() const { return ids_.size(); }
  size_t MemoryBytes() const;

 private:
  static constexpr int kDirectoryBits = 22;

  std::vector<Identity> identities_;
  std::vector<IdentitySummary> summaries_;
  std::vector<uint32_t> directory_;  // 2^kDirectoryBits + 1 offsets into key_low_ / ids_
  std::vector<uint32_t> key_low_;    // low 32 bits of the key of each posting, sorted per bucket
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> form_offsets_;  // identity -> first entry in form_log2_frequency_
  std::vector<float> form_log2_frequency_;
  std::unordered_map<uint64_t, uint32_t> weak_name_counts_;  // NameFrequencyKey -> bearers
  double name_collision_ = 0;
};

// The key under which one name counts: the sorted spelling keys of its tokens, particles left
// out; and of one token.
uint64_t NameFrequencyKey(const NameForm& form);
uint64_t TokenFrequencyKey(const NameForm& form, size_t token);

}  // namespace entente::match
