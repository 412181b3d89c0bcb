#include <sqlite3.h>

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <string>
#include <unordered_map>

#include "common/check.h"
#include "store/sql_connection.h"
#include "store/store.h"

namespace entente::store {
namespace {

constexpr int kBusyTimeoutMillis = 10000;

// Shared queries use $N placeholders; SQLite numbers them ?N.
std::string ToSqlitePlaceholders(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1])) != 0) out[i] = '?';
  }
  return out;
}

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = "sqlite: " + std::string(what) + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (extended) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExists(std::move(message));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return FailedPrecondition(std::move(message));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return IoError(std::move(message));
    default:
      return Internal(std::move(message));
  }
}

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  bool healthy() const override { return true; }

  Status Execute(std::string_view script) override {
    char* error = nullptr;
    const std::string text(script);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      sqlite3_free(error);
      return SqliteError(db_, rc, "executing script");
    }
    return Status::Ok();
  }

  Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    auto stmt = Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    sqlite3_stmt* s = *stmt;
    // Resets the statement for its next use whatever happens below.
    struct Reset {
      sqlite3_stmt* s;
      ~Reset() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } reset{s};
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      int rc = SQLITE_OK;
      if (const auto* n = std::get_if<int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(s, index, *n);
      } else if (const auto* text = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text64(s, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else {
        rc = sqlite3_bind_null(s, index);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, "binding a parameter");
    }
    SqlRows out;
    const int columns = sqlite3_column_count(s);
    out.columns.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) out.columns.emplace_back(sqlite3_column_name(s, c));
    while (true) {
      const int rc = sqlite3_step(s);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return SqliteError(db_, rc, "running a statement");
      auto& row = out.rows.emplace_back();
      row.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (sqlite3_column_type(s, c) == SQLITE_NULL) {
          row.emplace_back();
        } else {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
          row.emplace_back(std::string(text, sqlite3_column_bytes(s, c)));
        }
      }
    }
    return out;
  }

 private:
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    auto it = statements_.find(std::string(sql));
    if (it != statements_.end()) return it->second;
    const std::string text = ToSqlitePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "preparing a statement");
    statements_.emplace(std::string(sql), stmt);
    return stmt;
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace

size_t SqlRows::Column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  ENTENTE_CHECK(false && "a column the query did not select");
  return 0;
}

const std::optional<std::string>& SqlRow::Cell(std::string_view column) const {
  return rows_->rows[row_][rows_->Column(column)];
}

const std::string& SqlRow::Text(std::string_view column) const {
  static const std::string kEmpty;
  const auto& cell = Cell(column);
  return cell.has_value() ? *cell : kEmpty;
}

int64_t SqlRow::Int(std::string_view column) const {
  const std::string& text = Text(column);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool SqlRow::IsNull(std::string_view column) const { return !Cell(column).has_value(); }

bool IsPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

Result<std::string> SqliteSynchronousMode() {
  const char* chosen = std::getenv("ENTENTE_SQLITE_SYNCHRONOUS");
  if (chosen == nullptr || *chosen == '\0') return std::string("FULL");
  std::string mode;
  for (const char* c = chosen; *c != '\0'; ++c) {
    mode += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  }
  if (mode != "FULL" && mode != "EXTRA" && mode != "NORMAL") {
    return InvalidArgument(
        "ENTENTE_SQLITE_SYNCHRONOUS: expected FULL (the default), EXTRA or "
        "NORMAL, not \"" +
        std::string(chosen) + "\"");
  }
  return mode;
}

Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = IoError("sqlite: cannot open " + path + ": " +
                            (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  auto connection = std::make_unique<SqliteConnection>(db);
  // WAL lets readers on other connections go on while one writer writes. FULL syncs the log at
  // every commit: an acknowledged write survives a power failure, not only a crash of the
  // process (NORMAL would lose the last commits). An operator may choose NORMAL knowingly.
  ENTENTE_ASSIGN_OR_RETURN(const std::string synchronous, SqliteSynchronousMode());
  Status status =
      connection->Execute("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMillis) +
                          "; PRAGMA journal_mode = WAL; PRAGMA synchronous = " + synchronous +
                          "; PRAGMA foreign_keys = ON;");
  if (!status.ok()) return status.WithContext(path);
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

Status BackupSqliteDatabase(const std::string& source, const std::string& destination) {
  sqlite3* from = nullptr;
  int rc =
      sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(from, rc, "cannot open " + source);
    sqlite3_close_v2(from);
    return status;
  }
  sqlite3_busy_timeout(from, kBusyTimeoutMillis);
  sqlite3* to = nullptr;
  rc = sqlite3_open_v2(destination.c_str(), &to,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = SqliteError(to, rc, "cannot create " + destination);
    sqlite3_close_v2(to);
    sqlite3_close_v2(from);
    return status;
  }
  // The online backup API in one step: the whole copy is one read transaction of the source,
  // hence one consistent snapshot; in WAL mode writers go on meanwhile (copying in several
  // steps would restart at every write of another connection, and might never end under load).
  // A step that meets a lock is retried.
  Status status = Status::Ok();
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) {
    status = SqliteError(to, sqlite3_errcode(to), "backup of " + source);
  } else {
    do {
      rc = sqlite3_backup_step(backup, -1);
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    if (rc != SQLITE_DONE) status = SqliteError(to, rc, "backup of " + source);
    rc = sqlite3_backup_finish(backup);
    if (status.ok() && rc != SQLITE_OK) status = SqliteError(to, rc, "backup of " + source);
  }
  sqlite3_close_v2(to);
  sqlite3_close_v2(from);
  return status;
}

}  // namespace entente::store
