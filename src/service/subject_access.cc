#include "service/subject_access.h"

#include <optional>

#include "model/date.h"

namespace entente::service {
namespace {

policy::RecordState RecordStateOf(store::SubjectState state) {
  switch (state) {
    case store::SubjectState::kRestricted:
      return policy::RecordState::kRestricted;
    case store::SubjectState::kErased:
      return policy::RecordState::kErased;
    case store::SubjectState::kActive:
      break;
  }
  return policy::RecordState::kActive;
}

}  // namespace

Result<policy::SubjectFacts> FactsOfSubject(const store::Subject& subject) {
  std::optional<model::PartialDate> restricted_on;
  if (!subject.restricted_on.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(restricted_on, model::PartialDate::Parse(subject.restricted_on));
  }
  return policy::SubjectFactsFromEntity(subject.entity, RecordStateOf(subject.state),
                                        restricted_on);
}

policy::Decision DecideOnSubject(const Caller& caller, policy::Action action,
                                 const store::Subject& subject) {
  auto facts = FactsOfSubject(subject);
  if (!facts.ok()) {
    policy::Decision refused;
    refused.reason = "subject " + subject.entity.id +
                     " cannot be assessed by the rules: " + facts.status().message();
    return refused;
  }
  return policy::Authorize(caller.principal, action, &*facts, caller.context);
}

Status AuditEachSubject(store::WriteTxn& txn, const Caller& caller, policy::Action action,
                        const std::vector<std::string>& subject_ids, std::string_view details_json,
                        std::string_view outcome) {
  Access access{.action = action, .subject_id = {}, .details_json = std::string(details_json)};
  for (const std::string& id : subject_ids) {
    access.subject_id = id;
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(AuditRecordOf(caller, access, outcome)));
  }
  return Status::Ok();
}

Status AuditOutcome(store::Store& store, const Caller& caller, const Access& access,
                    std::string_view outcome) {
  const store::AuditRecord record = AuditRecordOf(caller, access, outcome);
  return store.Write([&](store::WriteTxn& txn) { return txn.audit().Append(record); });
}

}  // namespace entente::service
