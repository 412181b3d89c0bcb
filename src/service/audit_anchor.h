#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/keys.h"
#include "store/store.h"

namespace entente::service {

// The audit log's hash chain shows any change to an entry, but someone who can write the
// database could rewrite or cut its tail and recompute the hashes. Anchors close that gap: the
// node signs the head of the chain (seq and hash) with its Ed25519 key and appends the signed
// anchor to a file outside the database (one JSON object a line). A rewritten entry no longer has
// its anchored hash; a cut tail no longer reaches an anchored seq; and no anchor can be forged
// without the node's signing key.
struct AuditAnchor {
  std::string country;
  int64_t seq = 0;
  std::string hash;
  int64_t at = 0;         // microseconds since the epoch
  std::string signature;  // Ed25519, base64, over "entente-audit-anchor-v1" and the fields
};

// Signs the current head of the audit log and appends it to `path` (created with its directory,
// mode 0600; each line written whole and flushed to disk). Returns the anchor, or nullopt when
// the log is empty or the head is the last anchor's already.
Result<std::optional<AuditAnchor>> AnchorAuditLog(const store::StoreReader& store,
                                                  const federation::NodeKeys& keys,
                                                  const Clock& clock, const std::string& path);

// What checking the anchors found.
struct AnchorVerification {
  int64_t anchors = 0;     // anchors read and checked
  int64_t latest_seq = 0;  // the highest anchored seq
  std::string problem;     // "" when every anchor holds
};

// Checks every anchor of `path` (none when it does not exist): its signature with
// `sign_public`, that the log still has an entry at its seq, and that the entry's hash is the
// anchored one. InvalidArgument naming the line for a malformed file.
Result<AnchorVerification> VerifyAuditAnchors(const store::StoreReader& store,
                                              std::string_view country,
                                              std::string_view sign_public,
                                              const std::string& path);

// A signing key the node used before a key rotation (base64), for the anchors taken until it
// was retired.
struct RetiredSigningKey {
  std::string sign_public_key;
  int64_t retired_at = 0;
};
// The same for a node that rotated its keys: an anchor may also be signed by a retired key,
// if it was taken before that key was retired.
Result<AnchorVerification> VerifyAuditAnchors(const store::StoreReader& store,
                                              std::string_view country,
                                              std::string_view sign_public,
                                              const std::vector<RetiredSigningKey>& retired,
                                              const std::string& path);

}  // namespace entente::service
