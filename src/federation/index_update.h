#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "pprl/bloom_code.h"
#include "pprl/encoding_key.h"

namespace entente::federation {

// Hit/no-hit between partners (docs/hit-no-hit.md): each node sends each partner the encoded
// index of the subjects its sharing rules allow, as a series of index updates carried by
// federation messages of type index_update (signed by the owner, sealed for the partner,
// delivered in order exactly once by the outbox).
//
// A *generation* is one full index under one key version: its first update has `reset`, its
// last `complete`. The partner keeps screening the previous complete generation until the new
// one is complete, so that a republication (a key rotation, a resynchronisation) never leaves
// it with half an index. After `complete`, updates of the same generation are deltas: codes
// added or replaced, references removed. `sequence` numbers the updates of a generation from 1;
// a partner that sees a gap stops using the index until the next generation.

// One subject of the owner's register in a partner's index: an opaque reference (issued per
// partner, never a register id), the agency to ask, and the code.
struct IndexEntryUpdate {
  std::string reference;  // "ref-" + 32 hex digits
  std::string owner;      // CC/kind of the owning agency
  pprl::BloomCode code;
  friend bool operator==(const IndexEntryUpdate&, const IndexEntryUpdate&) = default;
};

struct IndexUpdate {
  uint32_t key_version = 0;  // the federation key the codes were encoded under
  uint64_t generation = 0;   // >= 1
  uint64_t sequence = 0;     // >= 1; 1 exactly when reset
  bool reset = false;        // the first update of a new generation
  bool complete = false;     // the last update of a generation's full index
  std::vector<IndexEntryUpdate> upserts;
  std::vector<std::string> removals;  // references
  friend bool operator==(const IndexUpdate&, const IndexUpdate&) = default;
};

// At most this many entries (upserts and removals) in one update: about 0.8 MB, under
// kMaxIndexUpdateBytes.
inline constexpr size_t kMaxIndexUpdateEntries = 4096;
inline constexpr size_t kMaxIndexUpdateBytes = size_t{1} << 20;

// A fresh opaque reference ("ref-" + 32 random hex digits).
std::string NewIndexReference();
bool IsIndexReference(std::string_view text);

// The binary form (little-endian): magic "ENTIDXU\0", format version (u32, 1), key version
// (u32), generation (u64), sequence (u64), flags (u32: 1 reset, 2 complete), upsert and removal
// counts (u32 each), each upsert (reference and owner as u16 length + bytes, the code's 16 u64),
// each removal (u16 length + bytes). Authenticity comes from the message's signature.
std::string SerializeIndexUpdate(const IndexUpdate& update);
// Reads the binary form strictly: InvalidArgument naming what is wrong (magic, version, a
// truncated or oversized part, a malformed reference or owner, a reference named twice,
// trailing bytes, sequence rules). Nothing is returned half-read.
Result<IndexUpdate> ParseIndexUpdate(std::string_view bytes);

// The federation's encoding key as a file: {"version": N, "secret": base64 of 32 bytes}.
// InvalidArgument naming `file` and the field.
Result<pprl::EncodingKey> ParseEncodingKey(std::string_view text, std::string_view file);
std::string EncodingKeyToJson(const pprl::EncodingKey& key);
// A new random key of `version`.
pprl::EncodingKey NewEncodingKey(uint32_t version);

}  // namespace entente::federation
