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

// How long a new token works, unless said otherwise (user add --expires DAYS).
inline constexpr int kDefaultTokenDays = 90;

// A user to create: policy names as text, checked with policy::BuildPrincipal before anything is
// written.
struct NewUser {
  std::string agency;        // "CC/kind"
  std::string role;          // analyst, supervisor, auditor, administrator
  std::string tier;          // "" for policy::kDefaultTier
  std::string designations;  // names separated by ',' ("minors"); "" for none
  std::string name = {};     // display name ("Inspector Martine Dubois"), at most 100 characters
  int expires_in_days = kDefaultTokenDays;  // 0: the token never expires
};

// A user just created: its id, its principal and its bearer token. The token exists only here:
// the store keeps its hash, so it cannot be shown again.
struct IssuedUser {
  std::string user_id;
  std::string token;
  policy::Principal principal;
  int64_t expires_at = 0;  // micros; 0: never
};

// Creates a user on behalf of `caller`, who must be allowed policy::Action::kManageUsers (an
// administrator): the decision, the user and its audit entry are written in one transaction
// (refusals are audited too, see RunAudited). Generates the id (u-<8 hex>) and the token.
// InvalidArgument naming the field for a bad agency, role, tier or designation;
// kUnauthenticated / kPermissionDenied when the caller may not manage users.
// The token expires `user.expires_in_days` after `clock`'s now.
Result<IssuedUser> AddUser(store::Store& store, const Caller& caller, const NewUser& user,
                           const Clock& clock = SystemClock());

// Creates the node's first administrator (`entente node init`), with no caller to authorise it:
// the audit entry names actor "node-init". FailedPrecondition if the store already has users.
Result<IssuedUser> AddFirstAdministrator(store::Store& store, std::string_view agency,
                                         const Clock& clock = SystemClock());

// Disables (or enables again) a user on behalf of an administrator (policy::Action::kManageUsers),
// audited with the reason. Takes effect on the user's next request: the Authenticator reads the
// user at every request. NotFound for an unknown user; FailedPrecondition for disabling oneself.
Status SetUserEnabled(store::Store& store, const Caller& caller, std::string_view user_id,
                      bool enabled);

// Issues a new token to `user_id` on behalf of an administrator, valid `expires_in_days` from
// `clock`'s now (0: never); the old token stops working at once. Audited.
Result<IssuedUser> RotateToken(store::Store& store, const Caller& caller, std::string_view user_id,
                               int expires_in_days, const Clock& clock = SystemClock());

// Splits a token into user id and secret; InvalidArgument (without echoing the token) when it
// does not have the shape of an Entente token.
Status ParseToken(std::string_view token, std::string* user_id, std::string* secret);

// A browser session (the web console): opened with a valid token, its id travels in an HttpOnly
// cookie; every change it makes carries its CSRF token. "ses_" + 43 base64url characters.
inline constexpr std::string_view kSessionPrefix = "ses_";
inline constexpr int64_t kSessionMicros = 8LL * 3600 * 1'000'000;  // a working day

// A session just opened: its id and CSRF token exist only here (the store keeps the id's hash).
struct OpenedSession {
  std::string id;
  std::string csrf_token;
  int64_t expires_at = 0;
};
// Opens a session for `principal` (whose token was just verified), from `peer`; audited
// ("sign_in").
Result<OpenedSession> OpenUserSession(store::Store& store, const policy::Principal& principal,
                                      std::string_view peer, const Clock& clock = SystemClock());
// Ends the session `session_id` of `principal` (sign-out); audited ("sign_out").
Status CloseUserSession(store::Store& store, const policy::Principal& principal,
                        std::string_view session_id);

// Who a session is: the user's principal (read at every request, as for a token) and the
// session's CSRF token.
struct SessionCaller {
  policy::Principal principal;
  std::string csrf_token;
  int64_t expires_at = 0;
};

// Turns bearer tokens into principals. Thread-safe; `store` and `clock` must outlive it.
//
// Every request reads its user (one indexed read): a disabled user, an expired or replaced token,
// a changed role, tier or designations take effect at the next request. Verifying a secret with
// Argon2id takes tens of milliseconds and 64 MiB, so a verified token is remembered, keyed by the
// BLAKE2b-256 hash of the whole token (the token itself is never kept), with the stored hash it
// was verified against; it is verified again if that hash changes (rotation). A token naming an
// unknown user costs one Argon2id verification too, against a hash made for nobody, so that the
// time of a refusal does not tell which user ids exist. Concurrent Argon2 verifications are
// bounded (one per core).
class Authenticator {
 public:
  static constexpr size_t kMaxCachedTokens = 10'000;

  // `ttl_micros` is how long a verified token is remembered without being used.
  Authenticator(const store::StoreReader& store, const Clock& clock,
                int64_t ttl_micros = 3600LL * 1'000'000);
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // The principal of the token's user. kUnauthenticated with one message for a malformed token,
  // an unknown user or a wrong secret (it does not say which); kUnauthenticated naming the user
  // when the token is right but the user is disabled or the token expired; another code if the
  // store fails.
  Result<policy::Principal> Authenticate(std::string_view bearer_token) const;
  // The caller of a session id (the cookie's value); kUnauthenticated when it is malformed,
  // unknown, ended or expired, or its user may no longer sign in.
  Result<SessionCaller> AuthenticateSession(std::string_view session_id) const;

  // How many Argon2id verifications have run (cache misses that reached the hash); for tests
  // and metrics.
  int64_t slow_verifications() const { return slow_verifications_.load(); }

 private:
  struct CachedToken {
    std::string token_hash;  // the stored hash the secret was verified against
    int64_t used_at = 0;     // monotonic micros
  };

  // The principal of a stored user, or why it is refused.
  Result<policy::Principal> PrincipalOf(const store::User& user) const;
  void Remember(std::string key, CachedToken entry) const;
  // Argon2id of `secret` against `hash`, within the bounded slots.
  bool Verify(const std::string& hash, std::string& secret) const;

  const store::StoreReader& store_;
  const Clock& clock_;
  const int64_t ttl_micros_;
  std::string decoy_hash_;  // made for nobody: what unknown user ids are checked against
  mutable Mutex mutex_;
  mutable std::unordered_map<std::string, CachedToken> cache_ GUARDED_BY(mutex_);
  mutable std::atomic<int64_t> slow_verifications_{0};
  mutable std::counting_semaphore<64> argon2_slots_;  // one per core, at most 64
};

}  // namespace entente::service
