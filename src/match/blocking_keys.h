#pragma once

#include <cstdint>
#include <vector>

#include "match/identity.h"

namespace entente::match {

// Blocking keys (ARCHITECTURE.md, matching step 3): 64-bit hashes under which an identity is
// filed in the candidate index, and the keys a query looks up. A listed person and a record of
// them share at least one key in all but rare cases (measured: candidate recall):
//   - two tokens of one name, by phonetic key, in either order ("El Amrani Mohamed");
//   - one token with the birth date, in the forms the dates of partner records take (exact,
//     day and month swapped, a year off, a 1 January placeholder, year or month only); a token
//     whose key is one sound class (Ali, Isa, Kaya) with the full date only;
//   - a name of one token alone; a document number; a phone number.
// Pure and thread-safe.

// The keys an identity is filed under, without duplicates.
std::vector<uint64_t> IndexKeys(const Identity& identity);

// The keys a query looks up, without duplicates. `broad` keys (one common token with a birth
// year) are returned separately: the screener uses them only when the narrow keys are few.
struct QueryKeys {
  std::vector<uint64_t> narrow;
  std::vector<uint64_t> broad;
};
QueryKeys LookupKeys(const Identity& query);

}  // namespace entente::match
