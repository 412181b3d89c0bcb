#pragma once

// Backup and restore of a node on SQLite: one file holding a consistent snapshot of the
// register (SQLite's online backup, taken while the node serves) and the node's own files —
// node.json, its keys and certificate, the first administrator's token, the signed audit
// anchors — so that a restored node verifies its audit log against its anchors and speaks to
// its partners with the same keys. On PostgreSQL the database is backed up with PostgreSQL's
// tools (pg_dump, pg_basebackup: docs/operations.md); the backup then holds the node's files.
// The file is the owner's alone (0600): it holds the node's secret keys.

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "service/node.h"

namespace entente::service {

struct BackupReport {
  bool with_database = false;  // false for a PostgreSQL node: its files only
  int64_t subjects = 0;        // in the snapshot
  int64_t audit_entries = 0;
  int64_t files = 0;  // the node's own files
  int64_t bytes = 0;  // of the backup file
  double seconds = 0;
};

// Writes the backup of the node in `paths` to `out` (which must not exist: AlreadyExists).
Result<BackupReport> BackupNode(const NodePaths& paths, const NodeConfig& config,
                                const std::string& out, const Clock& clock);

// Restores the backup `from` into `dir`, which must not exist or be empty (FailedPrecondition
// otherwise: a restore never overwrites a node). The database comes back where node.json names
// it inside `dir` (a store outside the node's directory comes back as register.db, and node.json
// says so); a PostgreSQL node's files only, its database restored with PostgreSQL's tools.
Result<BackupReport> RestoreNode(const std::string& from, const std::string& dir,
                                 const Clock& clock);

}  // namespace entente::service
