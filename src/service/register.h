#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/keys.h"
#include "match/screener.h"
#include "model/entity.h"
#include "model/subject_filter.h"
#include "service/access.h"
#include "service/live_index.h"
#include "service/record_notices.h"
#include "store/store.h"

namespace entente::service {

// A subject as a caller may see it: the stored subject, and what the handling code asks the
// reader to respect.
struct SubjectView {
  store::Subject subject;
  bool not_for_judicial_use = false;  // H1
  std::string restriction;            // H3, shown with the record
};

// One hit of a screening. A full hit names the subject and explains the score; a hit/no-hit
// answer (a partner, a hit_no_hit tier, a minor's record for a user not designated) only says
// that the person is known and whom to ask.
struct ScreenHit {
  bool full = false;
  // The score reaches the request's threshold. Always true in a screening; in a search, the
  // candidates below it are listed too (full answers only: a hit/no-hit answer is a match or
  // nothing, so that a partner learns nothing of near namesakes).
  bool match = true;
  std::string subject_id;  // the reference to quote when asking the owner
  std::string owner_agency;
  double score = 0;
  std::string caption;      // the subject's first name; full hits only
  std::string explanation;  // full hits only
  model::Entity entity;     // full hits only
};

struct ScreenRequest {
  model::Entity query;
  double threshold = match::kDefaultThreshold;
  size_t limit = 10;
  // An interactive search (match::ScreenOptions::ranked): the best candidates, ranked, whether
  // or not they reach the threshold, which then marks matches (ScreenHit::match).
  bool search = false;
  // Only the subjects that pass (model::PassesFilter, on the caller's today), ranked the same;
  // with a filter, only full answers are listed (a hit/no-hit answer is never filtered).
  model::SubjectFilter filter;
};

// What a call of Register::SetSubjectState did.
enum class StateChange {
  kApplied,           // the subject is now restricted or erased
  kErasureRequested,  // the erasure waits for a second supervisor's confirmation
};

// How long an erasure request waits for its confirmation; an older one is asked again.
inline constexpr int64_t kErasureRequestDays = 7;

// The register of a node: subjects written and read under the policy, each access audited in
// the transaction that does it, and screening against the live index. Thread-safe (the store
// and the index are); `store`, `index` and `clock` must outlive it.
class Register {
 public:
  Register(store::Store& store, LiveIndex& index, const Clock& clock)
      : store_(store), index_(&index), clock_(clock) {}
  // Without an index (a command that reads and writes subjects but does not screen): Screen is
  // FailedPrecondition; a running node's index catches up from the change feed.
  Register(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Validates and creates a subject; an entity without id gets "<CC>-<random>". Returns the
  // id. InvalidArgument naming the field for a bad entity; AlreadyExists for a taken id; the
  // policy's refusal otherwise.
  Result<std::string> CreateSubject(const Caller& caller, model::Entity entity);
  // Replaces a subject; expected_version as store::PutSubject (FailedPrecondition on conflict).
  // Returns the new version.
  Result<int64_t> UpdateSubject(const Caller& caller, const model::Entity& entity,
                                int64_t expected_version);
  // Reads a subject in full (NotFound when absent or erased).
  Result<SubjectView> GetSubject(const Caller& caller, std::string_view id);
  // Restricts a subject (kRestricted: kept, read only by a supervisor of its owner agency,
  // screened by no one, as a retention limit does) or erases it (kErased: only its id and schema
  // remain), by decision of a supervisor of its owner agency (policy kRestrictSubject /
  // kEraseSubject), `reason` audited (InvalidArgument when empty). An erasure takes two
  // supervisors (four eyes): the first call records the request (kErasureRequested), a call by
  // another supervisor within kErasureRequestDays confirms and applies it; the one who asked
  // cannot confirm (FailedPrecondition). FailedPrecondition when the subject is already in that
  // state or past it (an erased subject is not restricted again); NotFound when absent.
  Result<StateChange> SetSubjectState(const Caller& caller, std::string_view id,
                                      store::SubjectState target, std::string_view reason);
  // Withdraws a pending erasure request (a supervisor of the owner agency, `reason` audited);
  // NotFound when none is pending.
  Status WithdrawErasure(const Caller& caller, std::string_view id, std::string_view reason);
  // From now on, a correction, restriction or erasure of a record sent to partners in full sends
  // them a record notice signed with `keys` (record_notices.h), in the change's transaction.
  // `keys` must outlive the register; without them (a node without federation keys) no notice
  // is sent.
  void EnableRecordNotices(const federation::NodeKeys* keys) { notice_keys_ = keys; }
  // Screens one record against the register (caught up with the latest writes first).
  Result<std::vector<ScreenHit>> Screen(const Caller& caller, const ScreenRequest& request);

 private:
  Status NotifyChange(store::WriteTxn& txn, const Caller& caller, const RecordChange& change);

  store::Store& store_;
  LiveIndex* index_ = nullptr;
  const Clock& clock_;
  const federation::NodeKeys* notice_keys_ = nullptr;
};

}  // namespace entente::service
