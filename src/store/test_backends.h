#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "store/store.h"

namespace entente::store {

// The backends a test suite runs against (tests only; never linked into the program).
enum class TestBackend { kSqlite, kPostgres };
std::string_view TestBackendName(TestBackend backend);  // "Sqlite", "Postgres"

// Opens an empty store for a test: a SQLite file in a new temporary directory (its path in
// *temp_dir, for the caller to remove), or a new database on the process's throwaway PostgreSQL
// server (TestPostgresServer, started on first use and stopped at exit; *temp_dir left empty).
// Fails with the reason when the server cannot be started.
Result<std::unique_ptr<Store>> OpenTestStore(TestBackend backend, const Clock& clock,
                                             std::string* temp_dir);

// The location OpenTestStore would open (for a test that reopens the store, or runs the program
// on it).
Result<std::string> FreshTestStoreLocation(TestBackend backend, std::string* temp_dir);

}  // namespace entente::store
