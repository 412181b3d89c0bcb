#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace entente::store {

// The SQL dialects the store speaks. Queries shared by both are written with $1, $2, ...
// placeholders (the SQLite connection rewrites them to ?1, ?2, ...).
enum class Dialect { kSqlite, kPostgres };

// A parameter of a query: NULL, an integer or text.
using SqlValue = std::variant<std::monostate, int64_t, std::string>;

class SqlRow;

// The rows a query returned, every cell as text (nullopt for NULL), with the names of its
// columns. Rows are read by column name through SqlRow.
struct SqlRows {
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;

  bool empty() const { return rows.empty(); }
  size_t size() const { return rows.size(); }
  // The position of column `name`; a name the query did not select is a programming error
  // (ENTENTE_CHECK).
  size_t Column(std::string_view name) const;
  SqlRow Row(size_t row) const;
  SqlRow front() const;

  class Iterator;
  Iterator begin() const;
  Iterator end() const;
};

// One row of SqlRows, its cells by column name.
class SqlRow {
 public:
  SqlRow(const SqlRows& rows, size_t row) : rows_(&rows), row_(row) {}
  // The cell as text, "" for NULL.
  const std::string& Text(std::string_view column) const;
  // The cell as an integer, 0 for NULL.
  int64_t Int(std::string_view column) const;
  bool IsNull(std::string_view column) const;

 private:
  const std::optional<std::string>& Cell(std::string_view column) const;
  const SqlRows* rows_;
  size_t row_;
};

class SqlRows::Iterator {
 public:
  Iterator(const SqlRows& rows, size_t row) : rows_(&rows), row_(row) {}
  SqlRow operator*() const { return SqlRow(*rows_, row_); }
  Iterator& operator++() {
    ++row_;
    return *this;
  }
  bool operator!=(const Iterator& other) const { return row_ != other.row_; }

 private:
  const SqlRows* rows_;
  size_t row_;
};

inline SqlRow SqlRows::Row(size_t row) const { return SqlRow(*this, row); }
inline SqlRow SqlRows::front() const { return SqlRow(*this, 0); }
inline SqlRows::Iterator SqlRows::begin() const { return Iterator(*this, 0); }
inline SqlRows::Iterator SqlRows::end() const { return Iterator(*this, rows.size()); }

// One connection to a database, used by one thread at a time (not thread-safe). Errors map
// to Status: unique violations to AlreadyExists; foreign-key violations and lost races
// (deadlock, serialization failure) to FailedPrecondition; a lost connection to IoError;
// anything else to Internal; always with the database's message.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement with parameters; statements are prepared once per connection.
  virtual Result<SqlRows> Query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs a script of several statements without parameters (migrations, BEGIN, COMMIT).
  virtual Status Execute(std::string_view script) = 0;
  // Whether the connection can still be used (a pool drops broken ones).
  virtual bool healthy() const = 0;
};

// Opens a raw connection: a SQLite file (created if absent; WAL, busy timeout, foreign keys)
// or a PostgreSQL URL. The store opens its own; tests use this to reach below the Store API.
Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path);
// The SQLite synchronous mode the node's connections use: FULL unless ENTENTE_SQLITE_SYNCHRONOUS
// says EXTRA or NORMAL (an operator's knowing choice; docs/security.md). InvalidArgument for
// anything else.
Result<std::string> SqliteSynchronousMode();
Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& url);

// Whether `location` names a PostgreSQL database ("postgresql://" or "postgres://").
bool IsPostgresUrl(std::string_view location);

}  // namespace entente::store
