#pragma once

// The register's area of the store: subjects with their change feed, links and custody events,
// and the release-preparation checklists. Readers are obtained from StoreReader::subjects() and
// tasks(); writers only inside Store::Write, from WriteTxn::subjects() and tasks().

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "model/entity.h"
#include "store/records.h"

namespace entente::store {
namespace sql {
class Connector;
struct TxnLog;
}  // namespace sql

// Pass as expected_version to Subjects::Put: kAnyVersion creates or replaces, kNewSubject creates
// only (AlreadyExists if the id is taken); a positive version replaces only that version.
inline constexpr int64_t kAnyVersion = -1;
inline constexpr int64_t kNewSubject = 0;

// Reads of the register. Outside a transaction each call sees committed data; inside one, also
// the transaction's own writes. Thread-safe outside a transaction.
class SubjectsReader {
 public:
  explicit SubjectsReader(const sql::Connector& connector) : connector_(connector) {}
  SubjectsReader(const SubjectsReader&) = delete;
  SubjectsReader& operator=(const SubjectsReader&) = delete;

  // The subject `id`; NotFound if there is none.
  Result<Subject> Get(std::string_view id) const;
  // Up to `limit` subjects with id > after_id, in id order.
  Result<SubjectPage> List(std::string_view after_id, int limit) const;
  Result<int64_t> Count() const;
  // Ids of subjects whose reviewDate / retentionDate is on or before `date` (YYYY-MM-DD), in
  // id order after `after_id`, at most `limit`. Erased subjects are left out.
  Result<std::vector<std::string>> DueForReview(std::string_view date, std::string_view after_id,
                                                int limit) const;
  Result<std::vector<std::string>> PastRetention(std::string_view date, std::string_view after_id,
                                                 int limit) const;
  // Up to `limit` changes with seq > `after_seq`, in seq order.
  Result<std::vector<Change>> ChangesSince(int64_t after_seq, int limit) const;
  // The highest committed change seq (0 for an empty feed).
  Result<int64_t> LastChangeSeq() const;
  // Links whose source / target is `id`, ordered by the other end and type.
  Result<std::vector<Link>> LinksFrom(std::string_view id) const;
  Result<std::vector<Link>> LinksTo(std::string_view id) const;
  // Custody events that overlap [from, to] (YYYY-MM-DD, inclusive), by start date then subject.
  Result<std::vector<CustodyEvent>> CustodyBetween(std::string_view from,
                                                   std::string_view to) const;
  // The custody events of one subject, by start date.
  Result<std::vector<CustodyEvent>> CustodyOf(std::string_view subject_id) const;
  // The erasure of `subject_id` waiting for confirmation; NotFound if none.
  Result<ErasureRequest> PendingErasure(std::string_view subject_id) const;
  // Every erasure waiting for confirmation, oldest first.
  Result<std::vector<ErasureRequest>> PendingErasures() const;

 protected:
  const sql::Connector& connector_;

 private:
  Result<std::vector<std::string>> DueIds(std::string_view column, std::string_view date,
                                          std::string_view after_id, int limit) const;
};

// The register's writes, in one transaction. Not thread-safe.
class Subjects final : public SubjectsReader {
 public:
  Subjects(const sql::Connector& connector, sql::TxnLog& log)
      : SubjectsReader(connector), log_(log) {}

  // Creates or replaces a subject, derives its links and custody events, and adds a change to
  // the feed. Returns the new version. FailedPrecondition (version conflict) if
  // expected_version is positive and differs from the stored one, NotFound if there is no
  // such subject, AlreadyExists for kNewSubject and an existing id; InvalidArgument for an
  // empty id.
  Result<int64_t> Put(const model::Entity& entity, int64_t expected_version = kAnyVersion);
  // Deletes a subject with its links, custody events and tasks. NotFound if absent.
  Status Delete(std::string_view id);
  // Marks a subject active or restricted (a change in the feed). NotFound if absent;
  // InvalidArgument for kErased (use Erase).
  Status SetState(std::string_view id, SubjectState state);
  // Erases a subject's content: keeps id, schema and a tombstone in state kErased; its links,
  // custody events and tasks are deleted. NotFound if absent.
  // Also withdraws a pending erasure request of the subject.
  Status Erase(std::string_view id);
  // Records an erasure request (requested_at set to now), replacing any earlier one of the
  // subject. NotFound if there is no such subject.
  Status RequestErasure(const ErasureRequest& request);
  // Withdraws the pending erasure request of `subject_id`; NotFound if there is none.
  Status WithdrawErasure(std::string_view subject_id);

 private:
  sql::TxnLog& log_;
};

// Reads of the release-preparation checklists.
class TasksReader {
 public:
  explicit TasksReader(const sql::Connector& connector) : connector_(connector) {}
  TasksReader(const TasksReader&) = delete;
  TasksReader& operator=(const TasksReader&) = delete;

  // The task `id`; NotFound if there is none.
  Result<ChecklistTask> Get(int64_t id) const;
  // The tasks of a subject, by event date, due date and id.
  Result<std::vector<ChecklistTask>> Of(std::string_view subject_id) const;
  // Tasks not done nor cancelled whose due date is before `date` (overdue on `date`).
  Result<std::vector<ChecklistTask>> Overdue(std::string_view date) const;
  // The comments on task `task_id`, oldest first.
  Result<std::vector<TaskComment>> Comments(int64_t task_id) const;

 protected:
  const sql::Connector& connector_;
};

class Tasks final : public TasksReader {
 public:
  Tasks(const sql::Connector& connector, sql::TxnLog& log) : TasksReader(connector), log_(log) {}

  // Adds a checklist task and returns its id; FailedPrecondition if the subject is absent.
  Result<int64_t> Add(const ChecklistTask& task);
  // Replaces task `task.id` (subject, dates, text, owner, status, assignee). NotFound if absent.
  Status Update(const ChecklistTask& task);
  // NotFound if absent; its comments go with it.
  Status Delete(int64_t id);
  // Adds a comment to task `comment.task_id`, dated now; NotFound if there is no such task.
  Status AddComment(const TaskComment& comment);

 private:
  sql::TxnLog& log_;
};

}  // namespace entente::store
