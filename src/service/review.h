#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/keys.h"
#include "model/date.h"
#include "policy/retention.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// A subject whose review is due or overdue (policy::ReviewStateOn).
struct ReviewItem {
  std::string subject_id;
  std::string owner_agency;
  std::string deadline;  // YYYY-MM-DD; "" when no deadline is known (then due)
  policy::ReviewState state = policy::ReviewState::kDue;
};

// The active subjects whose review is due or overdue on `today`, overdue first, then by deadline
// and id. Subjects the caller may not read (kReadSubject: minors, restricted) are left out;
// each listed subject is audited in the transaction that read it. The caller's refusal (role,
// justification...) is audited and returned.
Result<std::vector<ReviewItem>> ListOverdueReviews(store::Store& store, const Caller& caller,
                                                   const model::PartialDate& today);

// One restriction or erasure done by a retention sweep.
struct SweepAction {
  std::string subject_id;
  policy::RetentionAction action = policy::RetentionAction::kNone;
  std::string retention_date;  // the limit that was passed
};

// What a sweep did, and what it could not do (subjects the caller may not restrict or erase).
struct SweepReport {
  std::vector<SweepAction> actions;
  int64_t refused = 0;
  // Copies of partners' records erased past their retention date (the node's sweep), or due
  // for it (a plan).
  int64_t received_erased = 0;
};

// The audit actor of sweeps run by the node itself (RunSystemRetentionSweep).
inline constexpr std::string_view kSweepActor = "system:retention";

// Applies policy::RetentionActionOn on `today` to every subject past its retention limit:
// restricts an active one, erases a restricted one once the grace period is over (only its id
// and schema remain). Each action is its own transaction with its audit entry, which names the
// subject, the rule ("retention") and the day, and the retention limit in its details. Running
// it twice on a day does nothing the second time. `caller` must be allowed kRestrictSubject /
// kEraseSubject on each subject (a supervisor of its owner agency); others are counted in
// `refused`, and the refusals audited.
Result<SweepReport> RunRetentionSweep(store::Store& store, const Caller& caller,
                                      const model::PartialDate& today);

// How the node's own sweep tells partners of the records it restricts or erases: with its keys
// (record_notices.h), at `now`; without keys, no notice.
struct SweepNotices {
  const federation::NodeKeys* keys = nullptr;
  int64_t now = 0;
};

// The same sweep run by the node itself, as the retention rules oblige it to: every subject of
// the register, audited with actor kSweepActor and `on_behalf_of` (who started it, may be "").
// Partners that received a record in full are sent a record notice when `notices` has keys.
Result<SweepReport> RunSystemRetentionSweep(store::Store& store, std::string_view node_country,
                                            const model::PartialDate& today,
                                            std::string_view on_behalf_of,
                                            const SweepNotices& notices = {});

// RunSystemRetentionSweep started by a user ahead of the node's own daily run: only an
// administrator or a supervisor of this node may (PermissionDenied otherwise, audited). The
// sweep is audited as the node's, on behalf of the user.
Result<SweepReport> StartRetentionSweep(store::Store& store, const Caller& caller,
                                        const SweepNotices& notices = {});

// What StartRetentionSweep would do today, without doing it (the same subjects and actions
// unless the register changes in between): for the same callers, audited as one entry with the
// counts (operation "retention_sweep_plan").
Result<SweepReport> PlanRetentionSweep(store::Store& store, const Caller& caller);

}  // namespace entente::service
