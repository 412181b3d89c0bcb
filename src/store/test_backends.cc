#include "store/test_backends.h"

#include <cstdlib>

#include "store/test_postgres_server.h"

namespace entente::store {
namespace {

// One server per process, stopped by the static destructor at exit.
Result<TestPostgresServer*> SharedServer() {
  static Result<std::unique_ptr<TestPostgresServer>> server = TestPostgresServer::Start({});
  if (!server.ok()) return server.status();
  return server->get();
}

}  // namespace

std::string_view TestBackendName(TestBackend backend) {
  return backend == TestBackend::kSqlite ? "Sqlite" : "Postgres";
}

Result<std::string> FreshTestStoreLocation(TestBackend backend, std::string* temp_dir) {
  temp_dir->clear();
  if (backend == TestBackend::kSqlite) {
    char dir[] = "/tmp/entente-test-XXXXXX";
    if (mkdtemp(dir) == nullptr) return IoError("cannot create a temporary directory");
    *temp_dir = dir;
    return *temp_dir + "/entente.db";
  }
  ENTENTE_ASSIGN_OR_RETURN(TestPostgresServer * server, SharedServer());
  return server->CreateDatabase();
}

Result<std::unique_ptr<Store>> OpenTestStore(TestBackend backend, const Clock& clock,
                                             std::string* temp_dir) {
  ENTENTE_ASSIGN_OR_RETURN(std::string location, FreshTestStoreLocation(backend, temp_dir));
  return OpenStore(location, clock);
}

}  // namespace entente::store
