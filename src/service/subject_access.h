#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "policy/authorize.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// The facts the rules read of a stored subject (its entity, its state and restricted_on).
// InvalidArgument naming the property when one the rules need cannot be read.
Result<policy::SubjectFacts> FactsOfSubject(const store::Subject& subject);

// Decides `action` on `subject` for `caller`: policy::Authorize on the subject's facts. A
// subject whose facts cannot be read is refused (kPermissionDenied, the reason in the message):
// unreadable records are not shown.
policy::Decision DecideOnSubject(const Caller& caller, policy::Action action,
                                 const store::Subject& subject);

// Appends one audit entry per id in `subject_ids` for `action` with `details_json` (an object;
// "outcome" is set to `outcome`), in `txn`.
Status AuditEachSubject(store::WriteTxn& txn, const Caller& caller, policy::Action action,
                        const std::vector<std::string>& subject_ids, std::string_view details_json,
                        std::string_view outcome);

// Appends one audit entry for `access` outside any other transaction (a refusal found after the
// access was allowed as a whole, e.g. bad rows of an import).
Status AuditOutcome(store::Store& store, const Caller& caller, const Access& access,
                    std::string_view outcome);

}  // namespace entente::service
