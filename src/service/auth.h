#pragma once

#include <atomic>
#include <cstdint>
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "common/mutex.h"
#include "common/result.h"
#include "policy/principal.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// Bearer tokens are "ent_<user id>_<secret>": the secret is 32 random bytes in unpadded base64url
// (43 characters). The store keeps only an Argon2id hash of the secret (crypto_pwhash_str).
inline constexpr std::string_view kTokenPrefix = "ent_";
inline constexpr size_t kTokenSecretChars = 43;

// A user to create: policy names as text, checked with policy::BuildPrincipal before anything is
// written.
struct NewUser {
  std::string agency;        // "CC/kind"
  std::string role;          // analyst, supervisor, auditor, administrator
  std::string tier;          // "" for policy::kDefaultTier
  std::string designations;  // names separated by ',' ("minors"); "" for none
};

// A user just created: its id, its principal and its bearer token. The token exists only here:
// the store keeps its hash, so it cannot be shown again.
struct IssuedUser {
  std::string user_id;
  std::string token;
  policy::Principal principal;
};

// Creates a user on behalf of `caller`, who must be allowed policy::Action::kManageUsers (an
// administrator): the decision, the user and its audit entry are written in one transaction
// (refusals are audited too, see RunAudited). Generates the id (u-<8 hex>) and the token.
// InvalidArgument naming the field for a bad agency, role, tier or designation;
// kUnauthenticated / kPermissionDenied when the caller may not manage users.
Result<IssuedUser> AddUser(store::Store& store, const Caller& caller, const NewUser& user);

// Creates the node's first administrator (`entente node init`), with no caller to authorise it:
// the audit entry names actor "node-init". FailedPrecondition if the store already has users.
Result<IssuedUser> AddFirstAdministrator(store::Store& store, std::string_view agency);

// Splits a token into user id and secret; InvalidArgument (without echoing the token) when it
// does not have the shape of an Entente token.
Status ParseToken(std::string_view token, std::string* user_id, std::string* secret);

// Turns bearer tokens into principals. Thread-safe; `store` and `clock` must outlive it.
//
// Verifying a secret with Argon2id takes tens of milliseconds and 64 MiB, so a verified token is
// remembered, keyed by the BLAKE2b-256 hash of the whole token (the token itself is never kept),
// for `ttl_micros` of `clock`'s monotonic time. Within the TTL the cached principal is returned
// without touching the store. Past it, the user is read again (one indexed read, no Argon2):
// a disabled user, a changed role, tier or designations, or a replaced token take effect then.
// So a user disabled in the store is refused at most `ttl_micros` later (60 s by default), and
// at once through Forget. Concurrent Argon2 verifications are bounded (memory: 64 MiB each).
class Authenticator {
 public:
  static constexpr int64_t kDefaultTtlMicros = 60'000'000;
  static constexpr size_t kMaxCachedTokens = 10'000;

  Authenticator(const store::StoreReader& store, const Clock& clock,
                int64_t ttl_micros = kDefaultTtlMicros);
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // The principal of the token's user. kUnauthenticated with one message for a malformed token,
  // an unknown user or a wrong secret (it does not say which); kUnauthenticated naming the user
  // when the token is right but the user is disabled; another code if the store fails.
  Result<policy::Principal> Authenticate(std::string_view bearer_token) const;

  // Drops every cached token of `user_id` (after disabling it in this process).
  void Forget(std::string_view user_id);

  // How many Argon2id verifications have run (cache misses that reached the hash); for tests
  // and metrics.
  int64_t slow_verifications() const { return slow_verifications_.load(); }

 private:
  struct CachedToken {
    std::string user_id;
    std::string token_hash;  // the stored hash the secret was verified against
    policy::Principal principal;
    int64_t checked_at = 0;  // monotonic micros of the last check against the store
  };

  // The principal of a stored user, or why it is refused.
  static Result<policy::Principal> PrincipalOf(const store::User& user);
  void Remember(std::string key, CachedToken entry) const;
  void Evict(std::string_view user_id) const;

  const store::StoreReader& store_;
  const Clock& clock_;
  const int64_t ttl_micros_;
  mutable Mutex mutex_;
  mutable std::unordered_map<std::string, CachedToken> cache_ GUARDED_BY(mutex_);
  mutable std::atomic<int64_t> slow_verifications_{0};
  mutable std::counting_semaphore<64> argon2_slots_;  // one per core, at most 64
};

}  // namespace entente::service
