// entente backup --dir D --out F: a consistent snapshot of the node's SQLite register and its
// own files (keys, certificate, node.json, audit anchors), taken while it serves; an
// administrator's act, audited. entente restore --from F --dir D: the node back, in a directory
// that is new or empty. On PostgreSQL the database goes through pg_dump (docs/operations.md).

#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/session.h"
#include "common/json.h"
#include "service/backup.h"
#include "service/exchange.h"
#include "service/exchange_audit.h"

namespace entente::cli {
namespace {

struct BackupOptions {
  NodeOptions node;
  std::string out;
};

struct RestoreOptions {
  std::string from;
  std::string dir;
};

int RunBackup(const BackupOptions& o) {
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  store::Store& store = *session->node->store;
  const service::Caller& caller = session->caller;
  // The backup holds every record and the node's secret keys: its administrators' alone.
  const nlohmann::json details = {{"operation", "backup"}, {"out", o.out}};
  if (Status admitted = service::CheckNodeAdministration(caller); !admitted.ok()) {
    (void)store.Write([&](store::WriteTxn& txn) {
      return txn.audit().Append(service::ExchangeRecord(
          caller, "backup_node", "", nlohmann::json{{"outcome", "refused: role"}, {"out", o.out}}));
    });
    return ReportFailure(admitted);
  }
  // Logged first, so that the snapshot holds the entry of its own taking.
  Status logged = store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(service::ExchangeRecord(
        caller, "backup_node", "", nlohmann::json{{"outcome", "allowed"}, {"out", o.out}}));
  });
  if (!logged.ok()) return ReportFailure(logged);
  auto report =
      service::BackupNode(session->node->paths, session->node->config, o.out, SystemClock());
  if (!report.ok()) return ReportFailure(report.status());
  if (report->with_database) {
    std::cerr << "entente: backup written to " << o.out << ": " << report->subjects << " subjects, "
              << report->audit_entries << " audit entries, " << report->files << " node files, "
              << report->bytes << " bytes in " << report->seconds << " s\n";
  } else {
    std::cerr << "entente: the node's files written to " << o.out << " (" << report->files
              << " files); its PostgreSQL database is backed up with pg_dump or pg_basebackup "
                 "(docs/operations.md)\n";
  }
  return 0;
}

int RunRestore(const RestoreOptions& o) {
  auto report = service::RestoreNode(o.from, o.dir, SystemClock());
  if (!report.ok()) return ReportFailure(report.status());
  // The restored log says when it came back, and from what.
  auto node = OpenNode(o.dir, "", SystemClock());
  if (!node.ok()) return ReportFailure(node.status());
  const Status logged = (*node)->store->Write([&](store::WriteTxn& txn) {
    store::AuditRecord record;
    record.actor = "system:restore";
    record.actor_agency = (*node)->config.country + "/administration";
    record.action = "restore_node";
    record.justification = "the node restored from a backup";
    record.details_json =
        DumpJson({{"outcome", "allowed"}, {"from", o.from}, {"subjects", report->subjects}});
    return txn.audit().Append(record);
  });
  if (!logged.ok()) return ReportFailure(logged);
  std::cerr << "entente: node restored in " << o.dir << " from " << o.from << ": "
            << report->subjects << " subjects, " << report->audit_entries << " audit entries, "
            << report->files << " node files in " << report->seconds
            << " s; check it with `entente audit verify --dir " << o.dir << "`\n";
  return 0;
}

}  // namespace

void AddBackupCommands(CLI::App& app, int* exit_code) {
  {
    auto o = std::make_shared<BackupOptions>();
    CLI::App* cmd = app.add_subcommand(
        "backup", "Back up the node while it serves: its register and keys, in one private file");
    AddNodeOptions(cmd, &o->node, 0);
    cmd->add_option("--out", o->out, "the backup file to write (must not exist)")->required();
    cmd->callback([o, exit_code] { *exit_code = RunBackup(*o); });
  }
  {
    auto o = std::make_shared<RestoreOptions>();
    CLI::App* cmd = app.add_subcommand(
        "restore", "Restore a node from a backup, into a new or empty directory");
    cmd->add_option("--from", o->from, "the backup file")->required();
    cmd->add_option("--dir", o->dir, "the node's directory (new, or empty)")->required();
    cmd->callback([o, exit_code] { *exit_code = RunRestore(*o); });
  }
}

}  // namespace entente::cli
