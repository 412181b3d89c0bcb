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
#include "model/entity.h"
#include "store/exchange_records.h"
#include "store/hit_records.h"

namespace entente::store {

// Where a subject stands with respect to retention: kRestricted subjects are kept but may only
// be read for the purpose that restricted them; kErased subjects keep only their id and schema.
enum class SubjectState { kActive = 0, kRestricted = 1, kErased = 2 };

// A subject of the register: the FollowTheMoney entity as given, the columns the store derives
// from it for its queries, and the bookkeeping the store maintains. A plain value type.
struct Subject {
  model::Entity entity;
  // Derived from the entity on every write (first value of the property, "" when absent).
  std::string owner_agency;    // ownerAgency, "CC/kind"
  std::string country;         // the CC of ownerAgency, else sourceCountry
  std::string handling_code;   // handlingCode
  std::string review_date;     // reviewDate, YYYY-MM-DD
  std::string retention_date;  // retentionDate, YYYY-MM-DD
  std::string birth_date;      // first birthDate, possibly partial
  SubjectState state = SubjectState::kActive;
  // The day SetSubjectState(kRestricted) was applied (YYYY-MM-DD, UTC, from the store's Clock);
  // "" while the subject is active.
  std::string restricted_on;
  int64_t version = 0;     // 1 on creation, +1 on every write (optimistic concurrency)
  int64_t created_at = 0;  // microseconds since the epoch, from the store's Clock
  int64_t updated_at = 0;
};

// One page of subjects in id order; next_after is the id to pass for the next page, "" when
// this page is the last.
struct SubjectPage {
  std::vector<Subject> subjects;
  std::string next_after;
};

enum class ChangeKind { kPut = 0, kDelete = 1, kState = 2 };

// One entry of the change feed: every committed write of a subject gets the next sequence
// number, in commit order, so a follower that read up to seq N misses nothing by asking for
// ChangesSince(N).
struct Change {
  int64_t seq = 0;
  std::string subject_id;
  ChangeKind kind = ChangeKind::kPut;
  int64_t version = 0;  // the subject's version after the change (0 after a delete)
  int64_t at = 0;       // microseconds since the epoch
  friend bool operator==(const Change&, const Change&) = default;
};

// A link between subjects, derived from the source entity's `link` values ("TYPE:ID"). The
// target may be a subject of another register (not stored here). country is the source
// subject's country.
struct Link {
  std::string src;
  std::string dst;
  std::string type;  // model::LinkTypeCode: family, associate, ...
  std::string country;
  friend bool operator==(const Link&, const Link&) = default;
};

// A dated custody event derived from the entity: plannedRelease and sentenceEnd are one-day
// events (start == end); a leave "START/END" spans its days.
struct CustodyEvent {
  std::string subject_id;
  std::string kind;  // "planned_release", "sentence_end" or "leave"
  std::string start_date;
  std::string end_date;
  std::string establishment;
  friend bool operator==(const CustodyEvent&, const CustodyEvent&) = default;
};

enum class TaskStatus { kOpen = 0, kInProgress = 1, kDone = 2, kCancelled = 3 };
// "open", "in_progress", "done", "cancelled".
std::string_view TaskStatusCode(TaskStatus status);
std::optional<TaskStatus> ParseTaskStatus(std::string_view code);

// A task of the release-preparation checklist of one custody event.
struct ChecklistTask {
  int64_t id = 0;  // assigned by AddTask
  std::string subject_id;
  std::string event_date;  // the release or leave it prepares, YYYY-MM-DD
  std::string task;
  std::string owner_agency;  // CC/kind
  TaskStatus status = TaskStatus::kOpen;
  std::string due_date;  // YYYY-MM-DD
  int64_t created_at = 0;
  int64_t updated_at = 0;
  friend bool operator==(const ChecklistTask&, const ChecklistTask&) = default;
};

// A user of the node. token_hash is computed by the caller (the store never sees a token).
// role, tier and designations are policy names (policy::UserFields), kept as text.
struct User {
  std::string id;
  std::string agency;  // CC/kind
  std::string role;
  std::string token_hash;
  int64_t created_at = 0;  // set by PutUser
  bool disabled = false;
  std::string tier = {};          // access tier name; "" for the policy default
  std::string designations = {};  // designation names separated by ','; "" for none
  std::string name = {};          // display name shown in listings and the audit ("" if none)
  int64_t expires_at = 0;         // when its token stops working (micros); 0: never
  friend bool operator==(const User&, const User&) = default;
};

// What an audit entry records: who (actor, their agency), did what, to which subject (may be
// ""), why, for whom, and any details as a JSON document.
struct AuditRecord {
  std::string actor;
  std::string actor_agency;
  std::string action;
  std::string subject_id;
  std::string justification;
  std::string on_behalf_of;
  std::string details_json = "{}";
};

// A stored audit entry: the record, its position and time, and the hash chain.
// hash = BLAKE2b-256 over the canonical serialisation of every field and prev_hash (hex).
struct AuditEntry {
  int64_t seq = 0;
  int64_t at = 0;
  AuditRecord record;
  std::string prev_hash;
  std::string hash;
};

// Which audit entries to read: all filters are optional ("" / 0 means any).
struct AuditQuery {
  std::string actor;
  std::string subject_id;
  int64_t from_micros = 0;  // at >= from
  int64_t to_micros = 0;    // at < to, when non-zero
  int64_t after_seq = 0;    // paging: entries with seq > after_seq, in seq order
  int limit = 100;
};

// The outcome of VerifyAuditChain: how many entries were checked, and the first broken one.
struct AuditVerification {
  int64_t entries = 0;
  std::optional<int64_t> first_broken_seq;
  std::string reason;  // what is wrong with first_broken_seq, "" when the chain holds
};

// Reads of the register. Implementations on a Store are thread-safe and each call sees
// committed data; inside a WriteTxn they also see that transaction's own writes.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // The subject `id`; NotFound if there is none.
  virtual Result<Subject> GetSubject(std::string_view id) const = 0;
  // Up to `limit` subjects with id > after_id, in id order.
  virtual Result<SubjectPage> ListSubjects(std::string_view after_id, int limit) const = 0;
  virtual Result<int64_t> CountSubjects() const = 0;
  // Ids of subjects whose reviewDate / retentionDate is on or before `date` (YYYY-MM-DD), in
  // id order after `after_id`, at most `limit`. Erased subjects are left out.
  virtual Result<std::vector<std::string>> SubjectsDueForReview(std::string_view date,
                                                                std::string_view after_id,
                                                                int limit) const = 0;
  virtual Result<std::vector<std::string>> SubjectsPastRetention(std::string_view date,
                                                                 std::string_view after_id,
                                                                 int limit) const = 0;

  // Up to `limit` changes with seq > `after_seq`, in seq order.
  virtual Result<std::vector<Change>> ChangesSince(int64_t after_seq, int limit) const = 0;
  // The highest committed change seq (0 for an empty feed).
  virtual Result<int64_t> LastChangeSeq() const = 0;

  // Links whose source / target is `id`, ordered by the other end and type.
  virtual Result<std::vector<Link>> LinksFrom(std::string_view id) const = 0;
  virtual Result<std::vector<Link>> LinksTo(std::string_view id) const = 0;

  // Custody events that overlap [from, to] (YYYY-MM-DD, inclusive), by start date then subject.
  virtual Result<std::vector<CustodyEvent>> CustodyEventsBetween(std::string_view from,
                                                                 std::string_view to) const = 0;
  // The custody events of one subject, by start date.
  virtual Result<std::vector<CustodyEvent>> CustodyEventsOf(std::string_view subject_id) const = 0;

  // The task `id`; NotFound if there is none.
  virtual Result<ChecklistTask> GetTask(int64_t id) const = 0;
  // The tasks of a subject, by event date, due date and id.
  virtual Result<std::vector<ChecklistTask>> TasksOf(std::string_view subject_id) const = 0;
  // Tasks not done nor cancelled whose due date is before `date` (overdue on `date`).
  virtual Result<std::vector<ChecklistTask>> OverdueTasks(std::string_view date) const = 0;

  // The user `id`, or the user whose token hash is `token_hash`; NotFound otherwise (disabled
  // users are returned: the caller refuses them).
  virtual Result<User> GetUser(std::string_view id) const = 0;
  virtual Result<User> FindUserByTokenHash(std::string_view token_hash) const = 0;
  virtual Result<std::vector<User>> ListUsers() const = 0;

  // Audit entries matching `query`, in seq order.
  virtual Result<std::vector<AuditEntry>> ReadAudit(const AuditQuery& query) const = 0;
  // The last audit entry (the head of the chain); NotFound when the log is empty.
  virtual Result<AuditEntry> LastAuditEntry() const = 0;

  // A node_config value; NotFound if the key is not set.
  virtual Result<std::string> GetConfig(std::string_view key) const = 0;

  // ---- Federation (exchange_records.h) ----
  // The partner of `country`, or the one whose certificate has `tls_fingerprint`; NotFound.
  virtual Result<Partner> GetPartner(std::string_view country) const = 0;
  virtual Result<Partner> FindPartnerByFingerprint(std::string_view tls_fingerprint) const = 0;
  // Every partner, by country.
  virtual Result<std::vector<Partner>> ListPartners() const = 0;
  // The message `id` sent (kOut) or accepted (kIn) by this node; NotFound otherwise.
  virtual Result<StoredMessage> GetMessage(std::string_view id,
                                           MessageDirection direction) const = 0;
  virtual Result<std::vector<StoredMessage>> ListMessages(const MessageQuery& query) const = 0;
  // Cases by their last activity, most recent first, at most `limit` (index updates, which
  // carry no case, are left out).
  virtual Result<std::vector<CaseSummary>> ListCases(int limit) const = 0;
  // Messages of `types` (federation type names) with a deadline before `date` (YYYY-MM-DD)
  // that no stored message answers (in_reply_to), in seq order.
  virtual Result<std::vector<StoredMessage>> UnansweredBefore(
      std::string_view date, const std::vector<std::string>& types) const = 0;
  virtual Result<std::vector<OutboxEntry>> ListOutbox(const OutboxQuery& query) const = 0;
  // Entries per recipient and state, by recipient then state.
  virtual Result<std::vector<OutboxCount>> CountOutbox() const = 0;
  // The notice of (subject, event kind, event date, partner); NotFound if none was sent.
  virtual Result<ReleaseNotice> GetReleaseNotice(std::string_view subject_id,
                                                 std::string_view event_kind,
                                                 std::string_view event_date,
                                                 std::string_view partner) const = 0;
  // Notices by sent time; only unacknowledged ones when `unacknowledged_only`.
  virtual Result<std::vector<ReleaseNotice>> ListReleaseNotices(bool unacknowledged_only,
                                                                int limit) const = 0;

  // ---- Hit/no-hit (hit_records.h) ----
  // Owner side: the publication to `partner`; NotFound before the first.
  virtual Result<IndexPublication> GetIndexPublication(std::string_view partner) const = 0;
  // Owner side: what `partner` holds, by subject id.
  virtual Result<std::vector<PublishedEntry>> ListPublished(std::string_view partner) const = 0;
  // Owner side: the subject published to `partner` under `reference`; NotFound.
  virtual Result<PublishedEntry> FindPublished(std::string_view partner,
                                               std::string_view reference) const = 0;
  // Receiving side: the index `partner` sends; NotFound before its first update.
  virtual Result<PartnerIndexState> GetPartnerIndex(std::string_view partner) const = 0;
  virtual Result<std::vector<PartnerIndexState>> ListPartnerIndexes() const = 0;
  // Up to `limit` entries of a generation with reference > after_reference, by reference.
  virtual Result<std::vector<PartnerIndexEntry>> ListPartnerIndexEntries(
      std::string_view partner, int64_t generation, std::string_view after_reference,
      int limit) const = 0;
  // NotFound if absent.
  virtual Result<HitRecord> GetHit(std::string_view id, HitDirection direction) const = 0;
  // The most recent hits of `direction` first.
  virtual Result<std::vector<HitRecord>> ListHits(HitDirection direction, int limit) const = 0;
  // Owner side: the follow-up request `message_id`; NotFound.
  virtual Result<FollowUp> GetFollowUp(std::string_view message_id) const = 0;
  // By reception; undecided ones only when `pending_only`.
  virtual Result<std::vector<FollowUp>> ListFollowUps(bool pending_only, int limit) const = 0;
};

// Pass as expected_version to PutSubject: kAnyVersion creates or replaces, kNewSubject creates
// only (AlreadyExists if the id is taken); a positive version replaces only that version.
inline constexpr int64_t kAnyVersion = -1;
inline constexpr int64_t kNewSubject = 0;

// The writes of one transaction. Obtained only inside Store::Write; not thread-safe; must not
// outlive the callback it was passed to. Nothing is kept unless the callback returns ok.
class WriteTxn : public StoreReader {
 public:
  // Creates or replaces a subject, derives its links and custody events, and adds a change to
  // the feed. Returns the new version. FailedPrecondition (version conflict) if
  // expected_version is positive and differs from the stored one, NotFound if there is no
  // such subject, AlreadyExists for kNewSubject and an existing id; InvalidArgument for an
  // empty id.
  virtual Result<int64_t> PutSubject(const model::Entity& entity,
                                     int64_t expected_version = kAnyVersion) = 0;
  // Deletes a subject with its links, custody events and tasks. NotFound if absent.
  virtual Status DeleteSubject(std::string_view id) = 0;
  // Marks a subject active or restricted (a change in the feed). NotFound if absent;
  // InvalidArgument for kErased (use EraseSubject).
  virtual Status SetSubjectState(std::string_view id, SubjectState state) = 0;
  // Erases a subject's content: keeps id, schema and a tombstone in state kErased; its links,
  // custody events and tasks are deleted. NotFound if absent.
  virtual Status EraseSubject(std::string_view id) = 0;

  // Adds a checklist task and returns its id; FailedPrecondition if the subject is absent.
  virtual Result<int64_t> AddTask(const ChecklistTask& task) = 0;
  // Replaces task `task.id` (subject, dates, text, owner, status). NotFound if absent.
  virtual Status UpdateTask(const ChecklistTask& task) = 0;
  virtual Status DeleteTask(int64_t id) = 0;

  // Adds a user (created_at from the clock). AlreadyExists if the id or token hash is taken.
  virtual Status PutUser(const User& user) = 0;
  // NotFound if absent.
  virtual Status SetUserDisabled(std::string_view id, bool disabled) = 0;
  // Replaces the user's token (its hash) and expiry: the old token stops working. NotFound if
  // absent; AlreadyExists if the hash is another user's.
  virtual Status SetUserToken(std::string_view id, std::string_view token_hash,
                              int64_t expires_at) = 0;

  // Appends an entry to the audit log; it is chained and stored when the transaction commits,
  // and dropped with it otherwise. There is no way to change or remove an entry.
  virtual Status AppendAudit(const AuditRecord& record) = 0;

  // Sets a node_config value.
  virtual Status SetConfig(std::string_view key, std::string_view value) = 0;

  // ---- Federation (exchange_records.h) ----
  // Creates or replaces the partner of partner.country (created_at kept on replace).
  virtual Status PutPartner(const Partner& partner) = 0;
  // NotFound if absent.
  virtual Status DeletePartner(std::string_view country) = 0;
  // Stores a message and returns its seq; AlreadyExists if (id, direction) is stored.
  virtual Result<int64_t> InsertMessage(const StoredMessage& message) = 0;
  // Queues an envelope for a recipient (state pending, due at entry.next_attempt_at) and returns
  // its seq; AlreadyExists if that message is already queued for that recipient.
  virtual Result<int64_t> Enqueue(const OutboxEntry& entry) = 0;
  // Records the receipt of a pending entry. NotFound if absent; FailedPrecondition if it is not
  // pending (a receipt is recorded once).
  virtual Status MarkDelivered(int64_t seq, std::string_view receipt, int64_t at) = 0;
  // Records a failed attempt: attempts + 1, the error, and either the next attempt's time or,
  // when `give_up`, the state kFailed. NotFound if absent.
  virtual Status MarkAttemptFailed(int64_t seq, std::string_view error, int64_t next_attempt_at,
                                   bool give_up) = 0;
  // Puts a failed entry back in the queue, due at `at`. NotFound; FailedPrecondition unless
  // it is kFailed.
  virtual Status Requeue(int64_t seq, int64_t at) = 0;
  // AlreadyExists if a notice of the same event already went to that partner.
  virtual Status PutReleaseNotice(const ReleaseNotice& notice) = 0;
  // Marks the notice sent as message `message_id` acknowledged; NotFound if there is none;
  // a second acknowledgement keeps the first.
  virtual Status AcknowledgeReleaseNotice(std::string_view message_id, int64_t at,
                                          std::string_view by) = 0;

  // ---- Hit/no-hit (hit_records.h) ----
  // Creates or replaces the publication of publication.partner.
  virtual Status PutIndexPublication(const IndexPublication& publication) = 0;
  // Creates or replaces the entry of (partner, subject_id); AlreadyExists if the reference is
  // taken by another subject of that partner.
  virtual Status PutPublished(const PublishedEntry& entry) = 0;
  // NotFound if absent.
  virtual Status DeletePublished(std::string_view partner, std::string_view subject_id) = 0;
  // Every entry of `partner` (a new generation, or the partner removed).
  virtual Status DeleteAllPublished(std::string_view partner) = 0;
  virtual Status PutPartnerIndex(const PartnerIndexState& state) = 0;
  // Creates or replaces the entry `entry.reference` of a generation.
  virtual Status PutPartnerIndexEntry(std::string_view partner, int64_t generation,
                                      const PartnerIndexEntry& entry) = 0;
  // NotFound if absent.
  virtual Status DeletePartnerIndexEntry(std::string_view partner, int64_t generation,
                                         std::string_view reference) = 0;
  // Every entry of `partner` in a generation other than `keep` (0: all).
  virtual Status DeletePartnerIndexEntriesExcept(std::string_view partner, int64_t keep) = 0;
  // The number of entries of a generation.
  virtual Result<int64_t> CountPartnerIndexEntries(std::string_view partner,
                                                   int64_t generation) = 0;
  // AlreadyExists if (id, direction) is stored.
  virtual Status InsertHit(const HitRecord& hit) = 0;
  // Records the follow-up request of an outgoing hit; NotFound if absent.
  virtual Status SetHitFollowUp(std::string_view id, std::string_view followup_id) = 0;
  // AlreadyExists if the request is stored.
  virtual Status InsertFollowUp(const FollowUp& followup) = 0;
  // Records the decision (decision, decided_by, decided_at, reason, reply_id) on the follow-up
  // `decided.message_id`; NotFound if absent; FailedPrecondition if it was already decided.
  virtual Status DecideFollowUp(const FollowUp& decided) = 0;
  // Drops the bulk of index updates stored before `before` (microseconds) once they are done
  // with: the document of each one received (applied when it was accepted) or sent and delivered
  // to every recipient, and the sealed envelopes of its delivered outbox entries. The rows stay
  // (ids, types, times: the statistics and the audit's digests). Returns the messages pruned.
  virtual Result<int64_t> PruneIndexUpdates(int64_t before) = 0;
};

// The register's storage. Reads (StoreReader) are thread-safe. Writes go through Write, which
// is thread-safe and serialises with other writers as the backend requires.
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

}  // namespace entente::store
