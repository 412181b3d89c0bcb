#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "store/sql_connection.h"

namespace entente::store {

// One numbered schema change, written once per dialect. Migration N is applied to a database
// at version N-1, in one transaction with the row that records it in schema_version.
struct Migration {
  int64_t version;
  std::string_view description;
  std::string_view sqlite;
  std::string_view postgres;
};

// Every migration, in order; version i+1 at index i.
std::span<const Migration> AllMigrations();

// Brings the database behind `connection` to LatestSchemaVersion(), one transaction per
// migration; a no-op when it is up to date. Safe against another process doing the same.
// FailedPrecondition if the database is newer than this program.
Status ApplyMigrations(SqlConnection& connection, const Clock& clock);

// The highest version recorded in schema_version (0 when it is empty); fails if the table is
// missing.
Result<int64_t> ReadSchemaVersion(SqlConnection& connection);

}  // namespace entente::store
