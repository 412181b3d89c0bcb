#include "store/connection_pool.h"

#include <utility>

namespace entente::store {

ConnectionPool::ConnectionPool(Opener open, int max_connections)
    : open_(std::move(open)), slots_(max_connections) {}

Status ConnectionPool::With(const std::function<Status(SqlConnection&)>& fn) {
  slots_.acquire();
  // Gives the slot back, and the connection if it is still usable, however fn leaves.
  struct Lease {
    ConnectionPool* pool;
    std::unique_ptr<SqlConnection> connection;
    ~Lease() {
      if (connection != nullptr && connection->healthy()) {
        MutexLock lock(&pool->mu_);
        pool->idle_.push_back(std::move(connection));
      }
      pool->slots_.release();
    }
  } lease{this, nullptr};
  {
    MutexLock lock(&mu_);
    if (!idle_.empty()) {
      lease.connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (lease.connection == nullptr) {
    ENTENTE_ASSIGN_OR_RETURN(lease.connection, open_());
  }
  return fn(*lease.connection);
}

}  // namespace entente::store
