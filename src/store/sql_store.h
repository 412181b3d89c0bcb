#pragma once

#include <functional>
#include <memory>

#include "common/clock.h"
#include "store/sql_connection.h"
#include "store/store.h"

namespace entente::store {

// Where a SqlStore gets its connections; the backend decides how readers and writers share
// them. Thread-safe.
class ConnectionProvider {
 public:
  virtual ~ConnectionProvider() = default;
  virtual Dialect dialect() const = 0;
  // Runs `fn` on a connection for reads (no transaction is open on it).
  virtual Status WithReader(const std::function<Status(SqlConnection&)>& fn) = 0;
  // Runs `fn` on a connection for one write transaction, excluding other writers as the
  // backend requires (SQLite: one writer at a time).
  virtual Status WithWriter(const std::function<Status(SqlConnection&)>& fn) = 0;
};

// The Store written once in SQL both dialects understand, over `connections`. The database
// must be migrated. `clock` must outlive the store.
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<ConnectionProvider> connections,
                                    const Clock& clock);

}  // namespace entente::store
