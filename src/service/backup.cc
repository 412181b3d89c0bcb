#include "service/backup.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/private_files.h"
#include "federation/crypto.h"
#include "store/sql_connection.h"
#include "store/store.h"

namespace entente::service {
namespace {

namespace fs = std::filesystem;

// The table of the backup file holding the node's own files.
constexpr std::string_view kFilesTable = "entente_backup_files";

bool IsPostgres(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// The node's files a backup holds, relative to its directory (the database apart).
std::vector<std::string> NodeFiles(const NodePaths& paths) {
  std::vector<std::string> out;
  for (const std::string* path :
       {&paths.config, &paths.admin_token, &paths.tls_cert, &paths.tls_key, &paths.signing_key,
        &paths.box_key, &paths.public_keys, &paths.audit_anchors, &paths.encoding_key,
        &paths.former_keys}) {
    if (fs::exists(*path)) out.push_back(fs::relative(*path, paths.dir).string());
  }
  // A key rotation in progress (key_rotation.h): its next keys and plan.
  const NodePaths next(paths.next_keys);
  for (const std::string* path :
       {&next.signing_key, &next.box_key, &next.public_keys, &next.tls_cert, &next.tls_key}) {
    if (fs::exists(*path)) out.push_back(fs::relative(*path, paths.dir).string());
  }
  if (const std::string plan = paths.next_keys + "/rotation.json"; fs::exists(plan)) {
    out.push_back(fs::relative(plan, paths.dir).string());
  }
  return out;
}

// The database file of a SQLite node.
std::string DatabasePath(const NodePaths& paths, const NodeConfig& config) {
  return config.store.starts_with("/") ? config.store : paths.dir + "/" + config.store;
}

Result<int64_t> CountRows(store::SqlConnection& c, std::string_view table) {
  ENTENTE_ASSIGN_OR_RETURN(store::SqlRows rows,
                           c.Query("SELECT COUNT(*) AS n FROM " + std::string(table), {}));
  return rows.front().Int("n");
}

}  // namespace

Result<BackupReport> BackupNode(const NodePaths& paths, const NodeConfig& config,
                                const std::string& out, const Clock& clock) {
  const int64_t start = clock.MonotonicMicros();
  if (fs::exists(out)) return AlreadyExists(out + ": exists; a backup never overwrites a file");
  BackupReport report;
  report.with_database = !IsPostgres(config.store);
  const std::string temp = out + ".partial";
  fs::remove(temp);
  Status status = [&]() -> Status {
    if (report.with_database) {
      ENTENTE_RETURN_IF_ERROR(
          store::BackupSqliteDatabase(DatabasePath(paths, config), temp).WithContext(out));
    }
    ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<store::SqlConnection> c,
                             store::OpenSqliteConnection(temp));
    if (::chmod(temp.c_str(), 0600) != 0) return IoError(temp + ": cannot make it private");
    ENTENTE_RETURN_IF_ERROR(c->Execute("CREATE TABLE " + std::string(kFilesTable) +
                                       " (path TEXT PRIMARY KEY, mode INTEGER NOT NULL, content "
                                       "TEXT NOT NULL)"));
    for (const std::string& relative : NodeFiles(paths)) {
      const std::string path = paths.dir + "/" + relative;
      ENTENTE_ASSIGN_OR_RETURN(std::string content, ReadWholeFile(path));
      const auto perms = fs::status(path).permissions();
      ENTENTE_RETURN_IF_ERROR(c->Query("INSERT INTO " + std::string(kFilesTable) +
                                           " (path, mode, content) VALUES ($1, $2, $3)",
                                       {relative, static_cast<int64_t>(perms & fs::perms::mask),
                                        federation::Base64Encode(content)})
                                  .status());
      ++report.files;
    }
    if (report.with_database) {
      ENTENTE_ASSIGN_OR_RETURN(report.subjects, CountRows(*c, "subjects"));
      ENTENTE_ASSIGN_OR_RETURN(report.audit_entries, CountRows(*c, "audit_log"));
    }
    // Back to one file (no WAL beside it), synced.
    ENTENTE_RETURN_IF_ERROR(c->Execute("PRAGMA journal_mode = DELETE"));
    return Status::Ok();
  }();
  if (status.ok()) {
    std::error_code error;
    fs::rename(temp, out, error);
    if (error) status = IoError(out + ": " + error.message());
  }
  if (!status.ok()) {
    fs::remove(temp);
    fs::remove(temp + "-wal");
    fs::remove(temp + "-shm");
    return status;
  }
  report.bytes = static_cast<int64_t>(fs::file_size(out));
  report.seconds = static_cast<double>(clock.MonotonicMicros() - start) / 1e6;
  return report;
}

Result<BackupReport> RestoreNode(const std::string& from, const std::string& dir,
                                 const Clock& clock) {
  const int64_t start = clock.MonotonicMicros();
  if (!fs::exists(from)) return NotFound(from + ": no such backup");
  if (fs::exists(dir) && !fs::is_empty(dir)) {
    return FailedPrecondition(dir + ": not empty; a restore never overwrites a node");
  }
  const bool created = !fs::exists(dir);
  ENTENTE_RETURN_IF_ERROR(MakePrivateDirectory(dir));
  BackupReport report;
  Status status = [&]() -> Status {
    const std::string staged = dir + "/.restoring.db";
    std::error_code error;
    fs::copy_file(from, staged, error);
    if (error) return IoError(from + ": " + error.message());
    std::string database_relative;
    {
      ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<store::SqlConnection> c,
                               store::OpenSqliteConnection(staged));
      auto rows = c->Query(
          "SELECT path, mode, content FROM " + std::string(kFilesTable) + " ORDER BY path", {});
      if (!rows.ok()) return InvalidArgument(from + ": not an Entente backup");
      for (size_t i = 0; i < rows->size(); ++i) {
        const store::SqlRow row = rows->Row(i);
        const std::string& relative = row.Text("path");
        if (relative.empty() || relative.starts_with("/") ||
            relative.find("..") != std::string::npos) {
          std::string message = from;
          message.append(": file ").append(relative).append(" lies outside the node");
          return InvalidArgument(message);
        }
        ENTENTE_ASSIGN_OR_RETURN(std::string content,
                                 federation::Base64Decode(row.Text("content"), relative));
        std::string path = dir + "/";
        path += relative;
        fs::create_directories(fs::path(path).parent_path(), error);
        if (error) return IoError(path + ": " + error.message());
        if (relative == "node.json") {
          // A database outside the node's directory comes back inside it.
          ENTENTE_ASSIGN_OR_RETURN(nlohmann::json config, ParseJson(content, path));
          const std::string store = config.value("store", std::string("register.db"));
          if (!IsPostgres(store)) {
            database_relative = store.starts_with("/") ? "register.db" : store;
            config["store"] = database_relative;
            content = DumpJson(config, 2) + "\n";
          }
        }
        ENTENTE_RETURN_IF_ERROR(WritePrivateFile(path, content));
        fs::permissions(path, static_cast<fs::perms>(row.Int("mode")) & fs::perms::mask, error);
        ++report.files;
      }
      ENTENTE_RETURN_IF_ERROR(c->Execute("DROP TABLE " + std::string(kFilesTable)));
      report.with_database = !database_relative.empty();
      if (report.with_database) {
        ENTENTE_ASSIGN_OR_RETURN(report.subjects, CountRows(*c, "subjects"));
        ENTENTE_ASSIGN_OR_RETURN(report.audit_entries, CountRows(*c, "audit_log"));
      }
    }
    if (report.files == 0) return InvalidArgument(from + ": holds none of a node's files");
    if (!report.with_database) return Status::Ok();
    const std::string database = dir + "/" + database_relative;
    fs::rename(staged, database, error);
    if (error) return IoError(database + ": " + error.message());
    ::chmod(database.c_str(), 0600);
    return Status::Ok();
  }();
  fs::remove(dir + "/.restoring.db");
  fs::remove(dir + "/.restoring.db-wal");
  fs::remove(dir + "/.restoring.db-shm");
  if (!status.ok()) {
    // Nothing half-restored is left behind.
    std::error_code ignored;
    if (created) {
      fs::remove_all(dir, ignored);
    } else {
      for (const auto& entry : fs::directory_iterator(dir, ignored)) {
        fs::remove_all(entry.path(), ignored);
      }
    }
    return status;
  }
  report.bytes = static_cast<int64_t>(fs::file_size(from));
  report.seconds = static_cast<double>(clock.MonotonicMicros() - start) / 1e6;
  return report;
}

}  // namespace entente::service
