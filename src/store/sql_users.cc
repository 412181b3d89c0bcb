// The node's users and settings on SQL (users.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql_internal.h"
#include "store/users.h"

namespace entente::store {
namespace {

using sql::Text;

Result<std::vector<User>> QueryUsers(SqlConnection& c, std::string_view where,
                                     const std::vector<SqlValue>& params) {
  ENTENTE_ASSIGN_OR_RETURN(
      SqlRows rows,
      c.Query("SELECT id, agency, role, token_hash, created_at, disabled, tier, designations, "
              "name, expires_at FROM users" +
                  std::string(where) + " ORDER BY id",
              params));
  std::vector<User> out;
  out.reserve(rows.size());
  for (const SqlRow row : rows) {
    User user;
    user.id = row.Text("id");
    user.agency = row.Text("agency");
    user.role = row.Text("role");
    user.token_hash = row.Text("token_hash");
    user.created_at = row.Int("created_at");
    user.disabled = row.Int("disabled") != 0;
    user.tier = row.Text("tier");
    user.designations = row.Text("designations");
    user.name = row.Text("name");
    user.expires_at = row.Int("expires_at");
    out.push_back(std::move(user));
  }
  return out;
}

Result<User> OneUser(SqlConnection& c, std::string_view where, SqlValue param,
                     std::string_view what) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<User> users, QueryUsers(c, where, {std::move(param)}));
  if (users.empty()) return NotFound(std::string(what) + " not found");
  return std::move(users.front());
}

}  // namespace

Result<User> UsersReader::Get(std::string_view id) const {
  return sql::Run<User>(connector_, [&](SqlConnection& c) {
    return OneUser(c, " WHERE id = $1", Text(id), "user " + std::string(id));
  });
}

Result<User> UsersReader::FindByTokenHash(std::string_view token_hash) const {
  return sql::Run<User>(connector_, [&](SqlConnection& c) {
    return OneUser(c, " WHERE token_hash = $1", Text(token_hash), "user with this token");
  });
}

Result<std::vector<User>> UsersReader::List() const {
  return sql::Run<std::vector<User>>(connector_,
                                     [&](SqlConnection& c) { return QueryUsers(c, "", {}); });
}

Status Users::Put(const User& user) {
  if (user.id.empty() || user.token_hash.empty()) {
    return InvalidArgument("user: id and token hash are required");
  }
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows taken,
                             c.Query("SELECT id FROM users WHERE id = $1 OR token_hash = $2",
                                     {user.id, user.token_hash}));
    if (!taken.empty()) {
      return AlreadyExists(taken.front().Text("id") == user.id
                               ? "user " + user.id + " already exists"
                               : "user " + user.id + ": token hash already in use");
    }
    return c
        .Query(
            "INSERT INTO users (id, agency, role, token_hash, created_at, disabled, tier, "
            "designations, name, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {user.id, user.agency, user.role, user.token_hash, log_.clock.NowMicros(),
             int64_t{user.disabled ? 1 : 0}, user.tier, user.designations, user.name,
             user.expires_at})
        .status();
  });
}

Status Users::SetDisabled(std::string_view id, bool disabled) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                             c.Query("UPDATE users SET disabled = $2 WHERE id = $1 RETURNING id",
                                     {Text(id), int64_t{disabled ? 1 : 0}}));
    if (rows.empty()) return NotFound("user " + std::string(id) + " not found");
    return Status::Ok();
  });
}

Status Users::SetToken(std::string_view id, std::string_view token_hash, int64_t expires_at) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows taken,
                             c.Query("SELECT id FROM users WHERE token_hash = $1 AND id <> $2",
                                     {Text(token_hash), Text(id)}));
    if (!taken.empty()) return AlreadyExists("user " + std::string(id) + ": token hash in use");
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("UPDATE users SET token_hash = $2, expires_at = $3 WHERE id = $1 RETURNING id",
                {Text(id), Text(token_hash), expires_at}));
    if (rows.empty()) return NotFound("user " + std::string(id) + " not found");
    return Status::Ok();
  });
}

Result<UserSession> UsersReader::GetSession(std::string_view id_hash) const {
  return sql::Run<UserSession>(connector_, [&](SqlConnection& c) -> Result<UserSession> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("SELECT id_hash, user_id, csrf_token, created_at, expires_at FROM "
                              "user_sessions WHERE id_hash = $1",
                              {Text(id_hash)}));
    if (rows.empty()) return NotFound("no such session");
    const SqlRow row = rows.front();
    return UserSession{row.Text("id_hash"), row.Text("user_id"), row.Text("csrf_token"),
                       row.Int("created_at"), row.Int("expires_at")};
  });
}

Status Users::PutSession(const UserSession& session) {
  if (session.id_hash.empty() || session.user_id.empty()) {
    return InvalidArgument("session: id hash and user are required");
  }
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("INSERT INTO user_sessions (id_hash, user_id, csrf_token, created_at, "
                "expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id_hash) DO NOTHING "
                "RETURNING id_hash",
                {session.id_hash, session.user_id, session.csrf_token, log_.clock.NowMicros(),
                 session.expires_at}));
    if (rows.empty()) return AlreadyExists("session already exists");
    return Status::Ok();
  });
}

Status Users::DeleteSession(std::string_view id_hash) {
  return connector_.With([&](SqlConnection& c) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows,
        c.Query("DELETE FROM user_sessions WHERE id_hash = $1 RETURNING id_hash", {Text(id_hash)}));
    if (rows.empty()) return NotFound("no such session");
    return Status::Ok();
  });
}

Result<int64_t> Users::DeleteSessions(std::string_view user_id, int64_t now) {
  return sql::Run<int64_t>(connector_, [&](SqlConnection& c) -> Result<int64_t> {
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows rows, c.Query("DELETE FROM user_sessions WHERE user_id = $1 OR expires_at < $2 "
                              "RETURNING id_hash",
                              {Text(user_id), now}));
    return static_cast<int64_t>(rows.size());
  });
}

Result<std::string> ConfigReader::Get(std::string_view key) const {
  return sql::Run<std::string>(connector_, [&](SqlConnection& c) -> Result<std::string> {
    ENTENTE_ASSIGN_OR_RETURN(SqlRows rows,
                             c.Query("SELECT value FROM node_config WHERE key = $1", {Text(key)}));
    if (rows.empty()) return NotFound("node_config key " + std::string(key) + " not set");
    return rows.front().Text("value");
  });
}

Status Config::Set(std::string_view key, std::string_view value) {
  return connector_.With([&](SqlConnection& c) {
    return c
        .Query(
            "INSERT INTO node_config (key, value) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {Text(key), Text(value)})
        .status();
  });
}

}  // namespace entente::store
