#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace entente::store {

// A throwaway PostgreSQL server for tests and benchmarks (never linked into the program):
// Debian's initdb and postgres (/usr/lib/postgresql/<newest>/bin) run in a temporary directory,
// listening on a free loopback port and on a Unix socket in that directory; the server is
// stopped and the directory removed on destruction. When the process runs as root, both run
// as the `postgres` system user. If ENTENTE_TEST_POSTGRES_URL is set, that server is used
// instead and nothing is started. Not thread-safe.
class TestPostgresServer {
 public:
  struct Options {
    // Off for tests (speed); on for benchmarks, so that figures include durable commits.
    bool fsync = false;
  };

  // Starts the server. FailedPrecondition, naming what to install, if the PostgreSQL binaries
  // are absent; IoError with the end of the server's log if it does not come up.
  static Result<std::unique_ptr<TestPostgresServer>> Start(const Options& options);
  ~TestPostgresServer();
  TestPostgresServer(const TestPostgresServer&) = delete;
  TestPostgresServer& operator=(const TestPostgresServer&) = delete;

  // Creates an empty database with a fresh name and returns its postgresql:// URL.
  Result<std::string> CreateDatabase();

  // The URL of the server's maintenance database.
  const std::string& admin_url() const { return admin_url_; }

 private:
  TestPostgresServer() = default;

  std::string admin_url_;
  std::string dir_;                   // the temporary directory; "" for an external server
  pid_t pid_ = -1;                    // the postmaster; -1 for an external server
  std::vector<std::string> created_;  // databases to drop on an external server
  int next_database_ = 0;
};

}  // namespace entente::store
