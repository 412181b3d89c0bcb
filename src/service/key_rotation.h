#pragma once

// A node renewing its federation keys (federation/key_rotation.h has the protocol):
//   AnnounceKeyRotation  writes the next keys to next-keys/ and sends every partner a signed
//                        key_rotation message naming them;
//   KeyRotationProgress  which partners have acknowledged it (a verified receipt);
//   ActivateKeyRotation  once they all have, makes the next keys the node's own, keeping the
//                        former box key for the grace period in keys/former.json.
// The running node reads its keys when it starts: restart `entente serve` after activating.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/keys.h"
#include "service/node.h"
#include "store/store.h"

namespace entente::service {

// A rotation announced and not yet activated (next-keys/rotation.json).
struct KeyRotationPlan {
  std::string country;
  int grace_days = 0;
  int64_t announced_at = 0;
  std::string signing_public_key;  // the next keys' (base64)
  std::string tls_fingerprint;
  std::map<std::string, std::string> messages;  // partner country -> key_rotation message id
  bool activating = false;  // set once the former keys are saved (activation resumes after)
};

// Keys a rotation retired (keys/former.json, 0600): their signing key (public) stays to verify
// what they signed (audit anchors); their box key until `until`.
struct FormerKeys {
  std::string signing_public_key;  // base64
  std::string box_public;          // raw; "" once its grace period is over
  std::string box_secret;          // raw; "" once its grace period is over
  int64_t retired_at = 0;
  int64_t until = 0;
};
// The node's former keys, oldest first; none when the file is absent. InvalidArgument naming the
// file when it is damaged.
Result<std::vector<FormerKeys>> LoadFormerKeys(const NodePaths& paths);

// The rotation in progress; NotFound when there is none.
Result<KeyRotationPlan> LoadKeyRotationPlan(const NodePaths& paths);

// Writes the next keys (next-keys/keys, next-keys/tls) and queues a key_rotation message, signed
// with `current`, for every partner; `grace_days` is how long partners keep accepting the current
// keys once the node switches (1..365). FailedPrecondition when a rotation is already in progress
// or there are no partners; nothing is left behind on failure.
Result<KeyRotationPlan> AnnounceKeyRotation(const NodePaths& paths, store::Store& store,
                                            const federation::NodeKeys& current, int grace_days,
                                            const Clock& clock);

// The partners of a rotation that have and have not acknowledged its announcement.
struct KeyRotationProgress {
  KeyRotationPlan plan;
  std::vector<std::string> acknowledged;
  std::vector<std::string> pending;  // with the delivery's state: "FR (pending: <error>)"
};
Result<KeyRotationProgress> GetKeyRotationProgress(const NodePaths& paths,
                                                   const store::StoreReader& store);

// Switches the node to its next keys. FailedPrecondition naming the partners that have not
// acknowledged the announcement, unless `force` (those partners must then be given the new
// keys by hand: `entente node keys`, `entente partner add`). Resumes an activation that was
// interrupted. Returns the former keys' entry.
Result<FormerKeys> ActivateKeyRotation(const NodePaths& paths, const store::StoreReader& store,
                                       bool force, const Clock& clock);

}  // namespace entente::service
