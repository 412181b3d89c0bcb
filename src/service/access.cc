#include "service/access.h"

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/utf8.h"
#include "policy/subject_facts.h"
#include "service/subject_access.h"

namespace entente::service {
store::AuditRecord AuditRecordOf(const Caller& caller, const Access& access,
                                 std::string_view outcome) {
  store::AuditRecord record;
  record.actor = caller.principal.user_id.empty() ? "anonymous" : caller.principal.user_id;
  record.actor_agency = caller.principal.agency.ToString();
  record.action = std::string(policy::ActionName(access.action));
  record.subject_id = access.subject_id;
  // What a caller sent may be any bytes: the log holds valid UTF-8 only.
  record.justification = SanitizeUtf8(caller.context.justification);
  record.on_behalf_of = SanitizeUtf8(caller.context.case_reference);
  nlohmann::json details = ParseJsonOrDiscarded(access.details_json);
  if (!details.is_object()) details = nlohmann::json::object();
  details["outcome"] = std::string(outcome);
  record.details_json = DumpJson(details);
  return record;
}

Status RunAudited(store::Store& store, const Caller& caller, const Access& access,
                  const std::function<Status(store::WriteTxn&, const policy::Decision&)>& fn) {
  policy::Decision refusal;
  bool refused = false;
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    policy::SubjectFacts stored_facts;
    const policy::SubjectFacts* facts = access.facts;
    if (facts == nullptr && !access.subject_id.empty()) {
      ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, txn.subjects().Get(access.subject_id));
      ENTENTE_ASSIGN_OR_RETURN(stored_facts, FactsOfSubject(subject));
      facts = &stored_facts;
    }
    const policy::Decision decision =
        policy::Authorize(caller.principal, access.action, facts, caller.context);
    if (!decision.allowed) {
      refusal = decision;
      refused = true;
      return decision.ToStatus();
    }
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(AuditRecordOf(caller, access, "allowed")));
    return fn(txn, decision);
  });
  if (refused) {
    store::AuditRecord record =
        AuditRecordOf(caller, access, "refused: " + std::string(policy::RuleName(refusal.rule)));
    Status logged = store.Write([&](store::WriteTxn& txn) { return txn.audit().Append(record); });
    if (!logged.ok()) return logged;
  }
  return status;
}

Status AdmitCaller(store::Store& store, const Caller& caller, policy::Action action) {
  const policy::Decision decision =
      policy::AuthorizeCaller(caller.principal, action, caller.context);
  if (decision.allowed) return Status::Ok();
  const store::AuditRecord record =
      AuditRecordOf(caller, Access{action, "", nullptr, "{}"},
                    "refused: " + std::string(policy::RuleName(decision.rule)));
  ENTENTE_RETURN_IF_ERROR(
      store.Write([&](store::WriteTxn& txn) { return txn.audit().Append(record); }));
  return decision.ToStatus();
}

}  // namespace entente::service
