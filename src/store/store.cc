#include "store/store.h"

#include <array>
#include <utility>

#include "common/mutex.h"
#include "store/connection_pool.h"
#include "store/migrations.h"
#include "store/sql_store.h"

namespace entente::store {
namespace {

constexpr std::array<std::string_view, 4> kTaskStatusCodes = {"open", "in_progress", "done",
                                                              "cancelled"};
// Connections kept open per store: SQLite readers, PostgreSQL readers and writers together.
constexpr int kSqliteReaders = 8;
constexpr int kPostgresConnections = 8;

// One writer connection, used under a mutex (SQLite has one writer at a time anyway), and a
// pool of reader connections, which WAL lets read while the writer writes.
class SqliteConnections final : public ConnectionProvider {
 public:
  SqliteConnections(const std::string& path, std::unique_ptr<SqlConnection> writer)
      : writer_(std::move(writer)),
        readers_([path] { return OpenSqliteConnection(path); }, kSqliteReaders) {}

  Dialect dialect() const override { return Dialect::kSqlite; }
  Status WithReader(const std::function<Status(SqlConnection&)>& fn) override {
    return readers_.With(fn);
  }
  Status WithWriter(const std::function<Status(SqlConnection&)>& fn) override {
    MutexLock lock(&writer_mu_);
    return fn(*writer_);
  }

 private:
  Mutex writer_mu_;
  std::unique_ptr<SqlConnection> writer_ GUARDED_BY(writer_mu_);
  ConnectionPool readers_;
};

// One pool for readers and writers; PostgreSQL orders concurrent writers itself.
class PostgresConnections final : public ConnectionProvider {
 public:
  explicit PostgresConnections(std::string url)
      : pool_([url = std::move(url)] { return OpenPostgresConnection(url); },
              kPostgresConnections) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  Status WithReader(const std::function<Status(SqlConnection&)>& fn) override {
    return pool_.With(fn);
  }
  Status WithWriter(const std::function<Status(SqlConnection&)>& fn) override {
    return pool_.With(fn);
  }

 private:
  ConnectionPool pool_;
};

}  // namespace

std::string_view TaskStatusCode(TaskStatus status) {
  return kTaskStatusCodes[static_cast<size_t>(status)];
}

std::optional<TaskStatus> ParseTaskStatus(std::string_view code) {
  for (size_t i = 0; i < kTaskStatusCodes.size(); ++i) {
    if (kTaskStatusCodes[i] == code) return static_cast<TaskStatus>(i);
  }
  return std::nullopt;
}

namespace {
constexpr std::array<std::string_view, 3> kOutboxStateNames = {"pending", "delivered", "failed"};
}  // namespace

std::string_view OutboxStateName(OutboxState state) {
  return kOutboxStateNames[static_cast<size_t>(state)];
}

std::optional<OutboxState> ParseOutboxState(std::string_view text) {
  for (size_t i = 0; i < kOutboxStateNames.size(); ++i) {
    if (kOutboxStateNames[i] == text) return static_cast<OutboxState>(i);
  }
  return std::nullopt;
}

Result<std::unique_ptr<Store>> OpenStore(std::string_view location, const Clock& clock) {
  if (location.empty()) return InvalidArgument("store: no location given");
  std::unique_ptr<ConnectionProvider> connections;
  if (IsPostgresUrl(location)) {
    connections = std::make_unique<PostgresConnections>(std::string(location));
    ENTENTE_RETURN_IF_ERROR(
        connections->WithWriter([&](SqlConnection& c) { return ApplyMigrations(c, clock); }));
  } else {
    const std::string path(location);
    ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<SqlConnection> writer, OpenSqliteConnection(path));
    ENTENTE_RETURN_IF_ERROR(ApplyMigrations(*writer, clock).WithContext(path));
    connections = std::make_unique<SqliteConnections>(path, std::move(writer));
  }
  return MakeSqlStore(std::move(connections), clock);
}

}  // namespace entente::store
