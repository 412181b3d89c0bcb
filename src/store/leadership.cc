#include "store/leadership.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "store/sql_connection.h"

namespace entente::store {
namespace {

// The advisory lock key of the jobs' leader ("entente" and 3; 1 and 2 are the migrations' and
// the ordered log's transaction locks).
constexpr int64_t kLeaderLock = 0x656e74656e746503;

class PostgresLeadership final : public Leadership {
 public:
  explicit PostgresLeadership(std::string url) : url_(std::move(url)) {}
  ~PostgresLeadership() override { Release(); }

  Result<bool> Hold() override {
    if (connection_ != nullptr && !connection_->healthy()) Drop();
    if (connection_ == nullptr) {
      auto opened = OpenPostgresConnection(url_);
      if (!opened.ok()) return opened.status();
      connection_ = std::move(*opened);
    }
    if (held_) {
      // Still ours while the session lives: the server frees the lock only when it ends.
      auto alive = connection_->Query("SELECT 1 AS alive", {});
      if (!alive.ok()) {
        Drop();
        return alive.status();
      }
      return true;
    }
    auto taken = connection_->Query(
        "SELECT CASE WHEN pg_try_advisory_lock($1) THEN 1 ELSE 0 END AS taken", {kLeaderLock});
    if (!taken.ok()) {
      Drop();
      return taken.status();
    }
    held_ = !taken->empty() && taken->front().Int("taken") == 1;
    return held_;
  }

  void Release() override {
    if (held_ && connection_ != nullptr && connection_->healthy()) {
      (void)connection_->Query("SELECT pg_advisory_unlock($1)", {kLeaderLock});
    }
    Drop();
  }

 private:
  // Closing the session frees the lock on the server.
  void Drop() {
    connection_.reset();
    held_ = false;
  }

  const std::string url_;
  std::unique_ptr<SqlConnection> connection_;
  bool held_ = false;
};

class SqliteLeadership final : public Leadership {
 public:
  explicit SqliteLeadership(std::string path) : path_(std::move(path) + ".leader") {}
  ~SqliteLeadership() override {
    Release();
    if (fd_ >= 0) ::close(fd_);
  }

  Result<bool> Hold() override {
    if (held_) return true;
    if (fd_ < 0) {
      fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      if (fd_ < 0) return IoError(path_ + ": " + std::strerror(errno));
    }
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
      held_ = true;
    } else if (errno != EWOULDBLOCK) {
      return IoError(path_ + ": " + std::strerror(errno));
    }
    return held_;
  }

  void Release() override {
    if (held_) ::flock(fd_, LOCK_UN);
    held_ = false;
  }

 private:
  const std::string path_;
  int fd_ = -1;
  bool held_ = false;
};

// A database in memory has one process: it always leads.
class SoleLeadership final : public Leadership {
 public:
  Result<bool> Hold() override { return true; }
  void Release() override {}
};

}  // namespace

std::unique_ptr<Leadership> NewLeadership(const std::string& location) {
  if (IsPostgresUrl(location)) return std::make_unique<PostgresLeadership>(location);
  if (location.empty() || location.starts_with(":memory:") ||
      location.starts_with("file::memory")) {
    return std::make_unique<SoleLeadership>();
  }
  return std::make_unique<SqliteLeadership>(location);
}

}  // namespace entente::store
