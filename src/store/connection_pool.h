#pragma once

#include <functional>
#include <memory>
#include <semaphore>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "store/sql_connection.h"

namespace entente::store {

// Hands out at most `max_connections` connections at once, each to one caller at a time;
// opens them on demand with `open` and keeps the idle ones. Thread-safe.
class ConnectionPool {
 public:
  using Opener = std::function<Result<std::unique_ptr<SqlConnection>>()>;

  ConnectionPool(Opener open, int max_connections);

  // Runs `fn` with a connection of its own, waiting while all are in use. Returns fn's Status,
  // or the error of opening a connection. A connection left unhealthy is closed, not reused.
  Status With(const std::function<Status(SqlConnection&)>& fn);

 private:
  Opener open_;
  std::counting_semaphore<> slots_;
  Mutex mu_;
  std::vector<std::unique_ptr<SqlConnection>> idle_ GUARDED_BY(mu_);
};

}  // namespace entente::store
