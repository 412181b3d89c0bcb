#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace entente::store {

// The prev_hash of the first audit entry.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes an audit entry's hash covers: a version tag, then seq, at, every field of the
// record and prev_hash, each as "<length>:<bytes>\n", so that no two entries share them.
std::string CanonicalAuditBytes(const AuditEntry& entry);

// BLAKE2b-256 (libsodium crypto_generichash) of CanonicalAuditBytes, as 64 lowercase hex
// digits. Thread-safe.
std::string ComputeAuditHash(const AuditEntry& entry);

// The subjects an entry discloses besides its own subject_id, read from its details: the
// "subject" of each object of a "hits" array (a screening's hits), each once, in order. The log
// indexes them (table audit_subjects) so that AuditQuery::subject_id finds the entry.
std::vector<std::string> DisclosedSubjects(std::string_view details_json);

}  // namespace entente::store
