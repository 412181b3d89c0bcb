#pragma once

// The node's users and its settings: readers from StoreReader::users() and config(), writers
// inside Store::Write from WriteTxn::users() and config().

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/records.h"

namespace entente::store {
namespace sql {
class Connector;
struct TxnLog;
}  // namespace sql

class UsersReader {
 public:
  explicit UsersReader(const sql::Connector& connector) : connector_(connector) {}
  UsersReader(const UsersReader&) = delete;
  UsersReader& operator=(const UsersReader&) = delete;

  // The user `id`, or the user whose token hash is `token_hash`; NotFound otherwise (disabled
  // users are returned: the caller refuses them).
  Result<User> Get(std::string_view id) const;
  Result<User> FindByTokenHash(std::string_view token_hash) const;
  // Every user, by id.
  Result<std::vector<User>> List() const;
  // The session whose id hashes to `id_hash`; NotFound otherwise (expired ones included: the
  // caller refuses them).
  Result<UserSession> GetSession(std::string_view id_hash) const;

 protected:
  const sql::Connector& connector_;
};

class Users final : public UsersReader {
 public:
  Users(const sql::Connector& connector, sql::TxnLog& log) : UsersReader(connector), log_(log) {}

  // Adds a user (created_at from the clock). AlreadyExists if the id or token hash is taken.
  Status Put(const User& user);
  // NotFound if absent.
  Status SetDisabled(std::string_view id, bool disabled);
  // Replaces the user's token (its hash) and expiry: the old token stops working. NotFound if
  // absent; AlreadyExists if the hash is another user's.
  Status SetToken(std::string_view id, std::string_view token_hash, int64_t expires_at);
  // Adds a session; AlreadyExists if its hash is taken.
  Status PutSession(const UserSession& session);
  // Ends a session (sign-out); NotFound if absent.
  Status DeleteSession(std::string_view id_hash);
  // Ends every session of `user_id` (disabled, token rotated) and those expired before `now`;
  // how many were removed.
  Result<int64_t> DeleteSessions(std::string_view user_id, int64_t now);

 private:
  sql::TxnLog& log_;
};

// node_config: named settings of the node.
class ConfigReader {
 public:
  explicit ConfigReader(const sql::Connector& connector) : connector_(connector) {}
  ConfigReader(const ConfigReader&) = delete;
  ConfigReader& operator=(const ConfigReader&) = delete;

  // NotFound if the key is not set.
  Result<std::string> Get(std::string_view key) const;

 protected:
  const sql::Connector& connector_;
};

class Config final : public ConfigReader {
 public:
  explicit Config(const sql::Connector& connector) : ConfigReader(connector) {}
  Status Set(std::string_view key, std::string_view value);
};

}  // namespace entente::store
