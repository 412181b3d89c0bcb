#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/status.h"
#include "store/audit.h"
#include "store/exchange.h"
#include "store/hits.h"
#include "store/records.h"
#include "store/subjects.h"
#include "store/users.h"

namespace entente::store {

// The store, by area. Each area is a small concrete class with a reader (reads of committed
// data, or inside a transaction of its writes too) and a writer (only inside Store::Write):
//   subjects()  the register: subjects, change feed, links, custody (subjects.h)
//   tasks()     release-preparation checklists (subjects.h)
//   users()     the node's users; config() its settings (users.h)
//   audit()     the hash-chained audit log (audit.h)
//   partners(), messages(), outbox(), notices()  the federation (exchange.h)
//   indexes(), hits()  hit/no-hit (hits.h)
// Reads are thread-safe on a Store; a WriteTxn is used by one thread, inside Write.
class StoreReader {
 public:
  virtual ~StoreReader() = default;
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  const SubjectsReader& subjects() const { return *areas_.subjects; }
  const TasksReader& tasks() const { return *areas_.tasks; }
  const UsersReader& users() const { return *areas_.users; }
  const ConfigReader& config() const { return *areas_.config; }
  const AuditReader& audit() const { return *areas_.audit; }
  const PartnersReader& partners() const { return *areas_.partners; }
  const MessagesReader& messages() const { return *areas_.messages; }
  const OutboxReader& outbox() const { return *areas_.outbox; }
  const NoticesReader& notices() const { return *areas_.notices; }
  const IndexesReader& indexes() const { return *areas_.indexes; }
  const HitsReader& hits() const { return *areas_.hits; }

 protected:
  // The readers an implementation gives; they must outlive it.
  struct Areas {
    const SubjectsReader* subjects = nullptr;
    const TasksReader* tasks = nullptr;
    const UsersReader* users = nullptr;
    const ConfigReader* config = nullptr;
    const AuditReader* audit = nullptr;
    const PartnersReader* partners = nullptr;
    const MessagesReader* messages = nullptr;
    const OutboxReader* outbox = nullptr;
    const NoticesReader* notices = nullptr;
    const IndexesReader* indexes = nullptr;
    const HitsReader* hits = nullptr;
  };
  StoreReader() = default;
  void SetAreas(const Areas& areas) { areas_ = areas; }

 private:
  Areas areas_;
};

// The writes of one transaction: each area's writer, which reads as well (its own writes
// included). Obtained only inside Store::Write; not thread-safe; must not outlive the callback
// it was passed to. Nothing is kept unless the callback returns ok.
class WriteTxn : public StoreReader {
 public:
  using StoreReader::audit;
  using StoreReader::config;
  using StoreReader::hits;
  using StoreReader::indexes;
  using StoreReader::messages;
  using StoreReader::notices;
  using StoreReader::outbox;
  using StoreReader::partners;
  using StoreReader::subjects;
  using StoreReader::tasks;
  using StoreReader::users;

  Subjects& subjects() { return *writers_.subjects; }
  Tasks& tasks() { return *writers_.tasks; }
  Users& users() { return *writers_.users; }
  Config& config() { return *writers_.config; }
  Audit& audit() { return *writers_.audit; }
  Partners& partners() { return *writers_.partners; }
  Messages& messages() { return *writers_.messages; }
  Outbox& outbox() { return *writers_.outbox; }
  Notices& notices() { return *writers_.notices; }
  Indexes& indexes() { return *writers_.indexes; }
  Hits& hits() { return *writers_.hits; }

 protected:
  struct Writers {
    Subjects* subjects = nullptr;
    Tasks* tasks = nullptr;
    Users* users = nullptr;
    Config* config = nullptr;
    Audit* audit = nullptr;
    Partners* partners = nullptr;
    Messages* messages = nullptr;
    Outbox* outbox = nullptr;
    Notices* notices = nullptr;
    Indexes* indexes = nullptr;
    Hits* hits = nullptr;
  };
  WriteTxn() = default;
  // The writers, which are the readers too.
  void SetWriters(const Writers& writers) {
    writers_ = writers;
    SetAreas({writers.subjects, writers.tasks, writers.users, writers.config, writers.audit,
              writers.partners, writers.messages, writers.outbox, writers.notices, writers.indexes,
              writers.hits});
  }

 private:
  Writers writers_;
};

// The register's storage: SQLite (embedded) or PostgreSQL, behind one interface. Reads
// (StoreReader) are thread-safe. Writes go through Write, which is thread-safe and serialises
// with other writers as the backend requires.
class Store : public StoreReader {
 public:
  // Runs `fn` in one transaction and commits if it returns ok. If `fn` returns an error, or
  // throws (the exception propagates), or the commit fails, nothing of it is kept and the
  // error is returned. Not reentrant: `fn` must not call Write on the same store.
  virtual Status Write(const std::function<Status(WriteTxn&)>& fn) = 0;

  // Walks the whole audit log and checks each entry's hash, its link to the previous one and
  // that sequence numbers follow each other.
  virtual Result<AuditVerification> VerifyAuditChain() const = 0;

  // The schema version of the database (the number of the last migration applied).
  virtual Result<int64_t> SchemaVersion() const = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;
};

// The schema version this program writes (the number of its last migration).
int64_t LatestSchemaVersion();

// Opens (creating if needed) the store at `location`: a "postgresql://" or "postgres://" URL
// for PostgreSQL, else a SQLite file path. Applies pending migrations. FailedPrecondition if
// the database's schema is newer than this program; IoError if it cannot be opened. `clock`
// must outlive the store.
Result<std::unique_ptr<Store>> OpenStore(std::string_view location,
                                         const Clock& clock = SystemClock());

// Copies the SQLite database at `source` to a new file `destination` while others may write to
// it (SQLite's online backup): one consistent snapshot. IoError naming the file on failure.
Status BackupSqliteDatabase(const std::string& source, const std::string& destination);

}  // namespace entente::store
