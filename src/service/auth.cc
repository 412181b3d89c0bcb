#include "service/auth.h"

#include <sodium.h>
#include <optional>

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/json.h"
#include "common/utf8.h"
#include "policy/action.h"

namespace entente::service {
namespace {

// One message for every token that does not identify a user, so that a caller cannot tell a
// malformed token from an unknown user or a wrong secret.
Status Refused() { return {StatusCode::kUnauthenticated, "the bearer token is not valid"}; }

// Tokens longer than this are refused before anything is hashed.
constexpr size_t kMaxTokenChars = 128;
constexpr size_t kSecretBytes = 32;
constexpr size_t kUserIdBytes = 4;
constexpr int kIdAttempts = 4;

void InitSodium() { ENTENTE_CHECK(sodium_init() >= 0); }

bool IsUserIdChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

bool IsBase64UrlChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

std::string NewUserId() {
  unsigned char bytes[kUserIdBytes];
  randombytes_buf(bytes, sizeof bytes);
  char hex[2 * kUserIdBytes + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return "u-" + std::string(hex);
}

std::string NewSecret() {
  unsigned char bytes[kSecretBytes];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(kSecretBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

// Argon2id with libsodium's "interactive" limits (2 passes, 64 MiB). The secret is 256 random
// bits, so the hash's cost adds nothing against guessing it; it only has to make a stolen hash
// useless, which any Argon2id setting does. The moderate limits (256 MiB, ~0.7 s) would cost
// memory at every cache miss for no gain. The parameters live in the hash string, so they can be
// raised later without invalidating stored tokens.
Result<std::string> HashSecret(std::string_view secret) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(StatusCode::kResourceExhausted,
                  "cannot hash the token: Argon2id needs 64 MiB of memory");
  }
  return std::string(hash);
}

// BLAKE2b-256 of the whole token, raw bytes: the cache's key.
std::string TokenKey(std::string_view token) {
  std::string key(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(key.data()), key.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return key;
}

// Hex of the BLAKE2b-256 of a session id: what the store keeps.
std::string SessionHash(std::string_view session_id) {
  const std::string key = TokenKey(session_id);
  std::string hex(2 * key.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(key.data()),
                 key.size());
  hex.pop_back();
  return hex;
}

// Checks the new user's fields with policy and returns the stored form (canonical names).
Result<store::User> CanonicalUser(std::string_view id, const NewUser& user) {
  ENTENTE_ASSIGN_OR_RETURN(policy::Principal principal,
                           policy::BuildPrincipal({.id = id,
                                                   .agency = user.agency,
                                                   .role = user.role,
                                                   .tier = user.tier,
                                                   .designations = user.designations}));
  store::User stored;
  stored.id = std::string(id);
  stored.agency = principal.agency.ToString();
  stored.role = std::string(policy::RoleName(principal.role));
  stored.tier = std::string(policy::AccessTierName(principal.tier));
  std::vector<std::string> names;
  for (policy::Designation d : principal.designations) {
    names.emplace_back(policy::DesignationName(d));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  for (const std::string& name : names) {
    if (!stored.designations.empty()) stored.designations += ',';
    stored.designations += name;
  }
  return stored;
}

std::string UserDetails(const store::User& user) {
  return DumpJson(nlohmann::json{{"user", user.id},
                                 {"name", user.name},
                                 {"agency", user.agency},
                                 {"role", user.role},
                                 {"tier", user.tier},
                                 {"designations", user.designations},
                                 {"expires_at", user.expires_at}});
}

constexpr size_t kMaxNameChars = 100;
constexpr int kMaxTokenDays = 3650;

Status CheckName(std::string_view name) {
  if (FindInvalidUtf8(name)) return InvalidArgument("name: not valid UTF-8");
  if (CountCodePoints(name, name.size()) > kMaxNameChars) {
    return InvalidArgument("name: at most " + std::to_string(kMaxNameChars) + " characters");
  }
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) return InvalidArgument("name: control character");
  }
  return Status::Ok();
}

Result<int64_t> ExpiryOf(int days, const Clock& clock) {
  if (days < 0 || days > kMaxTokenDays) {
    return InvalidArgument("expires: a number of days from 0 (never) to " +
                           std::to_string(kMaxTokenDays));
  }
  return days == 0 ? int64_t{0} : clock.NowMicros() + int64_t{days} * 86'400'000'000LL;
}

std::string TokenOf(std::string_view id, std::string_view secret) {
  std::string token(kTokenPrefix);
  token += id;
  token += '_';
  token += secret;
  return token;
}

// Runs `write` with fresh ids until one is not taken (ids are 32 random bits).
Result<IssuedUser> IssueUser(const NewUser& user, const Clock& clock,
                             const std::function<Status(const store::User&)>& write) {
  InitSodium();
  ENTENTE_RETURN_IF_ERROR(CheckName(user.name));
  ENTENTE_ASSIGN_OR_RETURN(const int64_t expires_at, ExpiryOf(user.expires_in_days, clock));
  for (int attempt = 0;; ++attempt) {
    const std::string id = NewUserId();
    ENTENTE_ASSIGN_OR_RETURN(store::User stored, CanonicalUser(id, user));
    stored.name = user.name;
    stored.expires_at = expires_at;
    std::string secret = NewSecret();
    ENTENTE_ASSIGN_OR_RETURN(stored.token_hash, HashSecret(secret));
    const Status written = write(stored);
    if (written.code() == StatusCode::kAlreadyExists && attempt + 1 < kIdAttempts) continue;
    ENTENTE_RETURN_IF_ERROR(written);
    IssuedUser issued;
    issued.user_id = id;
    issued.token = TokenOf(id, secret);
    issued.expires_at = expires_at;
    sodium_memzero(secret.data(), secret.size());
    ENTENTE_ASSIGN_OR_RETURN(issued.principal,
                             policy::BuildPrincipal({.id = stored.id,
                                                     .agency = stored.agency,
                                                     .role = stored.role,
                                                     .tier = stored.tier,
                                                     .designations = stored.designations}));
    return issued;
  }
}

}  // namespace

Status ParseToken(std::string_view token, std::string* user_id, std::string* secret) {
  auto malformed = [] {
    return InvalidArgument(
        "a bearer token is ent_<user id>_<43 base64url characters>; this one is not");
  };
  if (token.size() > kMaxTokenChars || !token.starts_with(kTokenPrefix)) return malformed();
  const std::string_view rest = token.substr(kTokenPrefix.size());
  const size_t split = rest.find('_');  // user ids never contain '_'; secrets may
  if (split == 0 || split == std::string_view::npos) return malformed();
  const std::string_view id = rest.substr(0, split);
  const std::string_view key = rest.substr(split + 1);
  if (!std::all_of(id.begin(), id.end(), IsUserIdChar) || key.size() != kTokenSecretChars ||
      !std::all_of(key.begin(), key.end(), IsBase64UrlChar)) {
    return malformed();
  }
  *user_id = std::string(id);
  *secret = std::string(key);
  return Status::Ok();
}

Result<IssuedUser> AddUser(store::Store& store, const Caller& caller, const NewUser& user,
                           const Clock& clock) {
  return IssueUser(user, clock, [&](const store::User& stored) {
    Access access{policy::Action::kManageUsers, "", nullptr, UserDetails(stored)};
    return RunAudited(store, caller, access,
                      [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
                        if (txn.users().Get(stored.id).ok()) {
                          return AlreadyExists("user " + stored.id + " already exists");
                        }
                        return txn.users().Put(stored);
                      });
  });
}

Result<IssuedUser> AddFirstAdministrator(store::Store& store, std::string_view agency,
                                         const Clock& clock) {
  NewUser admin{std::string(agency), "administrator", "", "", "first administrator"};
  return IssueUser(admin, clock, [&](const store::User& stored) {
    return store.Write([&](store::WriteTxn& txn) -> Status {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<store::User> users, txn.users().List());
      if (!users.empty()) {
        return FailedPrecondition("the node already has users; add more with `entente user add`");
      }
      ENTENTE_RETURN_IF_ERROR(txn.users().Put(stored));
      nlohmann::json details = ParseJsonOrDiscarded(UserDetails(stored));
      details["outcome"] = "allowed";
      return txn.audit().Append(
          {.actor = "node-init",
           .actor_agency = stored.agency,
           .action = std::string(policy::ActionName(policy::Action::kManageUsers)),
           .subject_id = "",
           .justification = "node initialisation: first administrator",
           .on_behalf_of = "",
           .details_json = DumpJson(details)});
    });
  });
}

Status SetUserEnabled(store::Store& store, const Caller& caller, std::string_view user_id,
                      bool enabled) {
  const std::string details = DumpJson(
      nlohmann::json{{"user", user_id}, {"operation", enabled ? "enable_user" : "disable_user"}});
  Access access{policy::Action::kManageUsers, "", nullptr, details};
  return RunAudited(
      store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(store::User user, txn.users().Get(user_id));
        if (!enabled && user.id == caller.principal.user_id) {
          return FailedPrecondition("an administrator may not disable themselves: ask another");
        }
        ENTENTE_RETURN_IF_ERROR(txn.users().SetDisabled(user.id, !enabled));
        // A disabled user's browser sessions end with it.
        if (!enabled) {
          ENTENTE_RETURN_IF_ERROR(txn.users().DeleteSessions(user.id, 0).status());
        }
        return Status::Ok();
      });
}

Result<IssuedUser> RotateToken(store::Store& store, const Caller& caller, std::string_view user_id,
                               int expires_in_days, const Clock& clock) {
  InitSodium();
  ENTENTE_ASSIGN_OR_RETURN(const int64_t expires_at, ExpiryOf(expires_in_days, clock));
  std::string secret = NewSecret();
  ENTENTE_ASSIGN_OR_RETURN(const std::string hash, HashSecret(secret));
  const std::string details = DumpJson(
      nlohmann::json{{"user", user_id}, {"operation", "rotate_token"}, {"expires_at", expires_at}});
  Access access{policy::Action::kManageUsers, "", nullptr, details};
  store::User rotated;
  const Status status = RunAudited(
      store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) -> Status {
        ENTENTE_ASSIGN_OR_RETURN(rotated, txn.users().Get(user_id));
        ENTENTE_RETURN_IF_ERROR(txn.users().SetToken(rotated.id, hash, expires_at));
        // Sessions opened with the old token end too.
        return txn.users().DeleteSessions(rotated.id, 0).status();
      });
  if (!status.ok()) {
    sodium_memzero(secret.data(), secret.size());
    return status;
  }
  IssuedUser issued;
  issued.user_id = rotated.id;
  issued.token = TokenOf(rotated.id, secret);
  issued.expires_at = expires_at;
  sodium_memzero(secret.data(), secret.size());
  ENTENTE_ASSIGN_OR_RETURN(issued.principal,
                           policy::BuildPrincipal({.id = rotated.id,
                                                   .agency = rotated.agency,
                                                   .role = rotated.role,
                                                   .tier = rotated.tier,
                                                   .designations = rotated.designations}));
  return issued;
}

Authenticator::Authenticator(const store::StoreReader& store, const Clock& clock,
                             int64_t ttl_micros)
    : store_(store),
      clock_(clock),
      ttl_micros_(ttl_micros),
      argon2_slots_(std::clamp<std::ptrdiff_t>(std::thread::hardware_concurrency(), 1, 64)) {
  InitSodium();
  std::string nobody = NewSecret();
  decoy_hash_ = HashSecret(nobody).value();
}

Result<SessionCaller> Authenticator::AuthenticateSession(std::string_view session_id) const {
  const Status refused(StatusCode::kUnauthenticated,
                       "the session has ended or is not valid: sign in again");
  if (!session_id.starts_with(kSessionPrefix) ||
      session_id.size() != kSessionPrefix.size() + kTokenSecretChars ||
      !std::all_of(session_id.begin() + static_cast<std::ptrdiff_t>(kSessionPrefix.size()),
                   session_id.end(), IsBase64UrlChar)) {
    return refused;
  }
  Result<store::UserSession> session = store_.users().GetSession(SessionHash(session_id));
  if (!session.ok()) {
    return session.status().code() == StatusCode::kNotFound ? refused : session.status();
  }
  if (clock_.NowMicros() >= session->expires_at) return refused;
  Result<store::User> user = store_.users().Get(session->user_id);
  if (!user.ok()) return user.status().code() == StatusCode::kNotFound ? refused : user.status();
  ENTENTE_ASSIGN_OR_RETURN(policy::Principal principal, PrincipalOf(*user));
  return SessionCaller{std::move(principal), session->csrf_token, session->expires_at};
}

Result<OpenedSession> OpenUserSession(store::Store& store, const policy::Principal& principal,
                                      std::string_view peer, const Clock& clock) {
  InitSodium();
  OpenedSession opened;
  opened.id = std::string(kSessionPrefix) + NewSecret();
  opened.csrf_token = NewSecret();
  opened.expires_at = clock.NowMicros() + kSessionMicros;
  const store::UserSession session{SessionHash(opened.id), principal.user_id, opened.csrf_token, 0,
                                   opened.expires_at};
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.users().PutSession(session));
    store::AuditRecord record;
    record.actor = principal.user_id;
    record.actor_agency = principal.agency.ToString();
    record.action = "sign_in";
    record.details_json = DumpJson(
        nlohmann::json{{"outcome", "allowed"}, {"from", peer}, {"expires_at", opened.expires_at}});
    return txn.audit().Append(record);
  }));
  return opened;
}

Status CloseUserSession(store::Store& store, const policy::Principal& principal,
                        std::string_view session_id) {
  return store.Write([&](store::WriteTxn& txn) -> Status {
    Status deleted = txn.users().DeleteSession(SessionHash(session_id));
    if (!deleted.ok() && deleted.code() != StatusCode::kNotFound) return deleted;
    store::AuditRecord record;
    record.actor = principal.user_id;
    record.actor_agency = principal.agency.ToString();
    record.action = "sign_out";
    record.details_json = DumpJson(nlohmann::json{{"outcome", "allowed"}});
    return txn.audit().Append(record);
  });
}

Result<policy::Principal> Authenticator::PrincipalOf(const store::User& user) const {
  auto principal = policy::BuildPrincipal({.id = user.id,
                                           .agency = user.agency,
                                           .role = user.role,
                                           .tier = user.tier,
                                           .designations = user.designations,
                                           .disabled = user.disabled});
  if (!principal.ok() && principal.status().code() != StatusCode::kUnauthenticated) {
    // A stored user that policy cannot read is the node's fault, not the caller's.
    return Internal("stored user " + user.id + ": " + principal.status().message());
  }
  if (principal.ok() && user.expires_at != 0 && clock_.NowMicros() >= user.expires_at) {
    return Status(StatusCode::kUnauthenticated,
                  "the token of user " + user.id +
                      " has expired: an administrator issues a new one (entente user rotate)");
  }
  return principal;
}

void Authenticator::Remember(std::string key, CachedToken entry) const {
  MutexLock lock(&mutex_);
  if (cache_.size() >= kMaxCachedTokens) {
    std::erase_if(cache_, [&](const auto& item) {
      return entry.used_at - item.second.used_at >= ttl_micros_;
    });
    if (cache_.size() >= kMaxCachedTokens) cache_.clear();
  }
  cache_.insert_or_assign(std::move(key), std::move(entry));
}

bool Authenticator::Verify(const std::string& hash, std::string& secret) const {
  argon2_slots_.acquire();
  const bool verified = crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
  argon2_slots_.release();
  slow_verifications_.fetch_add(1);
  sodium_memzero(secret.data(), secret.size());
  return verified;
}

Result<policy::Principal> Authenticator::Authenticate(std::string_view bearer_token) const {
  std::string user_id;
  std::string secret;
  if (!ParseToken(bearer_token, &user_id, &secret).ok()) return Refused();
  std::string key = TokenKey(bearer_token);
  const int64_t now = clock_.MonotonicMicros();
  auto user = store_.users().Get(user_id);
  if (!user.ok()) {
    if (user.status().code() != StatusCode::kNotFound) return user.status();
    // As long as a wrong secret of a real user takes: the refusal's time says nothing.
    (void)Verify(decoy_hash_, secret);
    return Refused();
  }
  bool known = false;
  {
    MutexLock lock(&mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (it->second.token_hash == user->token_hash && now - it->second.used_at < ttl_micros_) {
        known = true;
        it->second.used_at = now;
      } else {
        cache_.erase(it);  // rotated, or unused for long
      }
    }
  }
  if (!known) {
    // Many requests with one new token arrive together: the first to get a slot verifies it and
    // remembers it before giving the slot up; the others find it verified when their turn comes.
    argon2_slots_.acquire();
    {
      MutexLock lock(&mutex_);
      auto it = cache_.find(key);
      known = it != cache_.end() && it->second.token_hash == user->token_hash;
    }
    bool verified = known;
    if (!known) {
      verified =
          crypto_pwhash_str_verify(user->token_hash.c_str(), secret.data(), secret.size()) == 0;
      slow_verifications_.fetch_add(1);
      if (verified) Remember(std::move(key), {user->token_hash, now});
    }
    argon2_slots_.release();
    if (!verified) {
      sodium_memzero(secret.data(), secret.size());
      return Refused();
    }
  }
  sodium_memzero(secret.data(), secret.size());
  return PrincipalOf(*user);
}

}  // namespace entente::service
