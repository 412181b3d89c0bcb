#pragma once

// The records the store keeps for the register, its users and its audit log: plain value types.
// The federation's are in exchange_records.h, hit/no-hit's in hit_records.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/entity.h"

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
  std::string assignee = {};  // who does it, in words ("" for nobody yet)
  friend bool operator==(const ChecklistTask&, const ChecklistTask&) = default;
};

// A comment on a checklist task, kept with it (and erased with its subject).
struct TaskComment {
  int64_t task_id = 0;
  int64_t at = 0;      // micros; set by AddComment
  std::string author;  // user id
  std::string agency;  // CC/kind
  std::string text;
  friend bool operator==(const TaskComment&, const TaskComment&) = default;
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

// A signed-in browser session of a user (the web console): its id is known by its hash only.
struct UserSession {
  std::string id_hash;  // SHA-256 (hex) of the session id the cookie carries
  std::string user_id;
  std::string csrf_token;  // sent back in X-CSRF-Token by every change the session makes
  int64_t created_at = 0;
  int64_t expires_at = 0;
  friend bool operator==(const UserSession&, const UserSession&) = default;
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
// subject_id finds the entries about the subject and those that disclosed it (a screening's
// hits: DisclosedSubjects). outcome matches the details' "outcome" exactly or as the head of
// "outcome: rule" ("refused" finds every refusal).
struct AuditQuery {
  std::string actor;
  std::string subject_id;
  std::string action = {};
  std::string outcome = {};
  int64_t from_micros = 0;  // at >= from
  int64_t to_micros = 0;    // at < to, when non-zero
  int64_t after_seq = 0;    // paging: entries with seq > after_seq, in seq order
  int limit = 100;
};

// An erasure one supervisor asked for, waiting for a second one to confirm it (four eyes).
struct ErasureRequest {
  std::string subject_id;
  std::string requested_by;  // user id
  std::string agency;        // the requester's agency (CC/kind)
  std::string reason;
  int64_t requested_at = 0;  // micros; set by RequestErasure
  friend bool operator==(const ErasureRequest&, const ErasureRequest&) = default;
};

// The outcome of VerifyAuditChain: how many entries were checked, and the first broken one.
struct AuditVerification {
  int64_t entries = 0;
  std::optional<int64_t> first_broken_seq;
  std::string reason;  // what is wrong with first_broken_seq, "" when the chain holds
};

}  // namespace entente::store
