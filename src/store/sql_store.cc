// The Store on SQL: its areas over a pool of readers, and write transactions (one savepoint per
// write when SQLite groups them into one commit), numbering the change feed and chaining the
// audit log just before COMMIT.

#include "store/sql_store.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/mutex.h"
#include "store/audit_chain.h"
#include "store/migrations.h"
#include "store/sql_internal.h"

namespace entente::store {
namespace sql {

std::string MultiRowInsert(std::string_view head, size_t width, size_t rows,
                           std::string_view tail) {
  std::string text(head);
  text += " VALUES ";
  size_t n = 0;
  for (size_t r = 0; r < rows; ++r) {
    text += r == 0 ? "(" : ",(";
    for (size_t c = 0; c < width; ++c) {
      if (c > 0) text += ',';
      text += '$';
      text += std::to_string(++n);
    }
    text += ')';
  }
  text += tail;
  return text;
}

Result<int64_t> QueryInt(SqlConnection& c, std::string_view sql,
                         const std::vector<SqlValue>& params, std::string_view column) {
  ENTENTE_ASSIGN_OR_RETURN(SqlRows rows, c.Query(sql, params));
  if (rows.empty()) return Internal("a count returned no row");
  return rows.front().Int(column);
}

}  // namespace sql

namespace {

using sql::Code;

// Serialises, on PostgreSQL, the transactions that number change-feed and audit entries, so
// that numbers follow commit order and the audit chain never forks. Taken just before COMMIT.
constexpr int64_t kOrderedLogLock = 0x656e74656e746502;

// Reads outside a transaction: a connection of the provider's readers per call.
class PoolConnector final : public sql::Connector {
 public:
  explicit PoolConnector(ConnectionProvider& connections) : connections_(connections) {}
  Status With(const std::function<Status(SqlConnection&)>& fn) const override {
    return connections_.WithReader(fn);
  }

 private:
  ConnectionProvider& connections_;
};

// Everything inside one transaction: its connection.
class TxnConnector final : public sql::Connector {
 public:
  explicit TxnConnector(SqlConnection& connection) : connection_(connection) {}
  Status With(const std::function<Status(SqlConnection&)>& fn) const override {
    return fn(connection_);
  }

 private:
  SqlConnection& connection_;
};

// The areas' writers of one transaction, on its connection.
class SqlWriteTxn final : public WriteTxn {
 public:
  SqlWriteTxn(SqlConnection& connection, const Clock& clock)
      : connection_(connection),
        connector_(connection),
        log_(clock),
        subjects_(connector_, log_),
        tasks_(connector_, log_),
        users_(connector_, log_),
        config_(connector_),
        audit_(connector_, log_),
        partners_(connector_, log_),
        messages_(connector_, log_),
        outbox_(connector_, log_),
        notices_(connector_),
        indexes_(connector_),
        hits_(connector_) {
    SetWriters({&subjects_, &tasks_, &users_, &config_, &audit_, &partners_, &messages_, &outbox_,
                &notices_, &indexes_, &hits_});
  }

  // Numbers and writes the change-feed and audit entries of the transaction; the last step
  // before COMMIT.
  Status Flush() {
    if (log_.changes.empty() && log_.audit.empty()) return Status::Ok();
    if (connection_.dialect() == Dialect::kPostgres) {
      ENTENTE_RETURN_IF_ERROR(
          connection_.Query("SELECT pg_advisory_xact_lock($1)", {kOrderedLogLock}).status());
    }
    ENTENTE_RETURN_IF_ERROR(FlushChanges());
    return FlushAudit();
  }

 private:
  Status FlushChanges() {
    if (log_.changes.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(
        int64_t seq,
        sql::QueryInt(connection_, "SELECT COALESCE(MAX(seq), 0) AS n FROM subject_changes", {},
                      "n"));
    for (size_t begin = 0; begin < log_.changes.size(); begin += sql::kInsertChunk) {
      const size_t end = std::min(log_.changes.size(), begin + sql::kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        const Change& c = log_.changes[i];
        params.insert(params.end(), {++seq, c.subject_id, Code(c.kind), c.version, c.at});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(sql::MultiRowInsert(
                         "INSERT INTO subject_changes (seq, subject_id, kind, version, at)", 5,
                         end - begin),
                     params)
              .status());
    }
    return Status::Ok();
  }

  Status FlushAudit() {
    if (log_.audit.empty()) return Status::Ok();
    ENTENTE_ASSIGN_OR_RETURN(
        SqlRows last,
        connection_.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", {}));
    int64_t seq = last.empty() ? 0 : last.front().Int("seq");
    std::string prev_hash =
        last.empty() ? std::string(kAuditGenesisHash) : last.front().Text("hash");
    for (AuditEntry& entry : log_.audit) {
      entry.seq = ++seq;
      entry.prev_hash = prev_hash;
      entry.hash = ComputeAuditHash(entry);
      prev_hash = entry.hash;
    }
    for (size_t begin = 0; begin < log_.audit.size(); begin += sql::kInsertChunk) {
      const size_t end = std::min(log_.audit.size(), begin + sql::kInsertChunk);
      std::vector<SqlValue> params;
      for (size_t i = begin; i < end; ++i) {
        const AuditEntry& e = log_.audit[i];
        const AuditRecord& r = e.record;
        params.insert(params.end(),
                      {e.seq, e.at, r.actor, r.actor_agency, r.action,
                       r.subject_id.empty() ? SqlValue{} : SqlValue{r.subject_id}, r.justification,
                       r.on_behalf_of, r.details_json, e.prev_hash, e.hash});
      }
      ENTENTE_RETURN_IF_ERROR(
          connection_
              .Query(sql::MultiRowInsert(
                         "INSERT INTO audit_log (" + std::string(sql::kAuditColumns) + ")", 11,
                         end - begin),
                     params)
              .status());
    }
    return FlushDisclosures();
  }

  // Indexes the subjects each new entry discloses (DisclosedSubjects) in audit_subjects.
  Status FlushDisclosures() {
    std::vector<SqlValue> params;
    auto insert = [&]() -> Status {
      if (params.empty()) return Status::Ok();
      Status status = connection_
                          .Query(sql::MultiRowInsert("INSERT INTO audit_subjects (subject_id, seq)",
                                                     2, params.size() / 2),
                                 params)
                          .status();
      params.clear();
      return status;
    };
    for (const AuditEntry& e : log_.audit) {
      for (std::string& id : DisclosedSubjects(e.record.details_json)) {
        params.insert(params.end(), {std::move(id), e.seq});
        if (params.size() >= 2 * sql::kInsertChunk) ENTENTE_RETURN_IF_ERROR(insert());
      }
    }
    return insert();
  }

  SqlConnection& connection_;
  TxnConnector connector_;
  sql::TxnLog log_;
  Subjects subjects_;
  Tasks tasks_;
  Users users_;
  Config config_;
  Audit audit_;
  Partners partners_;
  Messages messages_;
  Outbox outbox_;
  Notices notices_;
  Indexes indexes_;
  Hits hits_;
};

class SqlStore final : public Store {
 public:
  SqlStore(std::unique_ptr<ConnectionProvider> connections, const Clock& clock)
      : connections_(std::move(connections)),
        clock_(clock),
        connector_(*connections_),
        subjects_(connector_),
        tasks_(connector_),
        users_(connector_),
        config_(connector_),
        audit_(connector_),
        partners_(connector_),
        messages_(connector_),
        outbox_(connector_),
        notices_(connector_),
        indexes_(connector_),
        hits_(connector_) {
    SetAreas({&subjects_, &tasks_, &users_, &config_, &audit_, &partners_, &messages_, &outbox_,
              &notices_, &indexes_, &hits_});
  }

  // SQLite commits one write transaction at a time, each with its own sync to disk
  // (synchronous = FULL): writes that arrive while one commits are gathered and committed
  // together, one savepoint each, with one sync (group commit). Each write still succeeds or
  // fails alone, in the order it arrived, and sees the ones before it. PostgreSQL gathers
  // concurrent commits itself.
  Status Write(const std::function<Status(WriteTxn&)>& fn) override {
    if (connections_->dialect() == Dialect::kPostgres) return WriteAlone(fn);
    PendingWrite mine;
    mine.fn = &fn;
    bool queued = false;
    for (;;) {
      std::vector<PendingWrite*> group;
      {
        MutexLock lock(&group_mutex_);
        if (!queued) {
          queue_.push_back(&mine);
          queued = true;
        }
        while (!mine.done && committing_) group_committed_.Wait(&group_mutex_);
        if (mine.done) break;
        committing_ = true;
        group.swap(queue_);
      }
      CommitGroup(group);
      {
        MutexLock lock(&group_mutex_);
        for (PendingWrite* write : group) write->done = true;
        committing_ = false;
      }
      group_committed_.SignalAll();
    }
    if (mine.error) std::rethrow_exception(mine.error);
    return mine.status;
  }

  Result<AuditVerification> VerifyAuditChain() const override {
    AuditVerification out;
    int64_t expected_seq = 1;
    std::string prev_hash(kAuditGenesisHash);
    AuditQuery query;
    query.limit = 1000;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(std::vector<AuditEntry> page, audit_.Read(query));
      for (const AuditEntry& entry : page) {
        ++out.entries;
        std::string reason;
        if (entry.seq != expected_seq) {
          reason = "entry " + std::to_string(expected_seq) + " is missing (the log jumps to " +
                   std::to_string(entry.seq) + ")";
        } else if (entry.prev_hash != prev_hash) {
          reason = "entry " + std::to_string(entry.seq) +
                   " does not chain to the entry before it (prev_hash differs)";
        } else if (ComputeAuditHash(entry) != entry.hash) {
          reason = "entry " + std::to_string(entry.seq) + " was altered (its hash does not match)";
        }
        if (!reason.empty()) {
          out.first_broken_seq = std::min(expected_seq, entry.seq);
          out.reason = std::move(reason);
          return out;
        }
        prev_hash = entry.hash;
        ++expected_seq;
      }
      if (static_cast<int>(page.size()) < query.limit) return out;
      query.after_seq = page.back().seq;
    }
  }

  Result<int64_t> SchemaVersion() const override {
    return sql::Run<int64_t>(connector_, [](SqlConnection& c) { return ReadSchemaVersion(c); });
  }

  std::string_view backend() const override {
    return connections_->dialect() == Dialect::kPostgres ? "postgresql" : "sqlite";
  }

 private:
  struct PendingWrite {
    const std::function<Status(WriteTxn&)>* fn = nullptr;
    Status status;
    std::exception_ptr error;  // thrown by fn: rethrown in its caller's thread
    bool done = false;
  };

  // One write in a transaction of its own.
  Status WriteAlone(const std::function<Status(WriteTxn&)>& fn) {
    const bool postgres = connections_->dialect() == Dialect::kPostgres;
    return connections_->WithWriter([&](SqlConnection& c) -> Status {
      // IMMEDIATE takes SQLite's write lock now, so that a transaction never fails midway
      // because another process started writing.
      ENTENTE_RETURN_IF_ERROR(c.Execute(postgres ? "BEGIN" : "BEGIN IMMEDIATE"));
      // Rolls back on every way out but a successful COMMIT, exceptions from fn included.
      struct Rollback {
        SqlConnection* connection;
        ~Rollback() {
          if (connection != nullptr) (void)connection->Execute("ROLLBACK");
        }
      } rollback{&c};
      SqlWriteTxn txn(c, clock_);
      ENTENTE_RETURN_IF_ERROR(fn(txn));
      ENTENTE_RETURN_IF_ERROR(txn.Flush());
      ENTENTE_RETURN_IF_ERROR(c.Execute("COMMIT"));
      rollback.connection = nullptr;
      return Status::Ok();
    });
  }

  // Runs each write of `group` under a savepoint of one transaction, and commits it once.
  void CommitGroup(const std::vector<PendingWrite*>& group) {
    if (group.size() == 1) {
      PendingWrite& write = *group.front();
      try {
        write.status = WriteAlone(*write.fn);
      } catch (...) {
        write.error = std::current_exception();
      }
      return;
    }
    const Status outcome = connections_->WithWriter([&](SqlConnection& c) -> Status {
      ENTENTE_RETURN_IF_ERROR(c.Execute("BEGIN IMMEDIATE"));
      for (PendingWrite* write : group) {
        Status status = c.Execute("SAVEPOINT entente_write");
        if (status.ok()) {
          SqlWriteTxn txn(c, clock_);
          try {
            status = (*write->fn)(txn);
            if (status.ok()) status = txn.Flush();
          } catch (...) {
            write->error = std::current_exception();
            status = Internal("the write threw");
          }
          if (status.ok()) {
            status = c.Execute("RELEASE entente_write");
          } else {
            (void)c.Execute("ROLLBACK TO entente_write");
            (void)c.Execute("RELEASE entente_write");
          }
        }
        write->status = status;
      }
      Status committed = c.Execute("COMMIT");
      if (!committed.ok()) (void)c.Execute("ROLLBACK");
      return committed;
    });
    if (!outcome.ok()) {
      // Nothing of the group was kept: those that had succeeded fail with the commit.
      for (PendingWrite* write : group) {
        if (write->status.ok() && !write->error) write->status = outcome;
      }
    }
  }

  std::unique_ptr<ConnectionProvider> connections_;
  const Clock& clock_;
  PoolConnector connector_;
  SubjectsReader subjects_;
  TasksReader tasks_;
  UsersReader users_;
  ConfigReader config_;
  AuditReader audit_;
  PartnersReader partners_;
  MessagesReader messages_;
  OutboxReader outbox_;
  NoticesReader notices_;
  IndexesReader indexes_;
  HitsReader hits_;
  Mutex group_mutex_;
  CondVar group_committed_;
  std::vector<PendingWrite*> queue_ GUARDED_BY(group_mutex_);
  bool committing_ GUARDED_BY(group_mutex_) = false;
};

}  // namespace

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<ConnectionProvider> connections,
                                    const Clock& clock) {
  return std::make_unique<SqlStore>(std::move(connections), clock);
}

}  // namespace entente::store
