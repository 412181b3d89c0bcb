#include "service/outgoing.h"

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "federation/crypto.h"
#include "federation/outbox.h"

namespace entente::service {

Sender Sender::Of(const Caller& caller) {
  return {caller.principal.user_id, caller.principal.agency.ToString(),
          caller.context.justification, caller.context.case_reference};
}

Sender Sender::System(std::string_view actor, std::string_view agency,
                      std::string_view justification) {
  return {std::string(actor), std::string(agency), std::string(justification), ""};
}

Result<std::string> PostAndAudit(store::WriteTxn& txn, const federation::NodeKeys& keys,
                                 int64_t now, const federation::Message& message,
                                 const Sender& sender, std::string_view extra_details_json) {
  ENTENTE_ASSIGN_OR_RETURN(std::string document, federation::PostMessage(txn, message, keys, now));
  nlohmann::json details = ParseJsonOrDiscarded(extra_details_json);
  if (!details.is_object()) details = nlohmann::json::object();
  details["outcome"] = "sent";
  details["message_id"] = message.id;
  details["case_id"] = message.case_id;
  details["type"] = std::string(federation::MessageTypeName(message.type));
  details["recipients"] = message.recipients;
  details["legal_basis"] = {{"kind", message.legal_basis.kind},
                            {"reference", message.legal_basis.reference}};
  details["content"] = message.entities.empty() ? "references" : "records";
  nlohmann::json subjects = nlohmann::json::array();
  for (const federation::SubjectRef& s : message.subjects) subjects.push_back(s.ref);
  details["subjects"] = std::move(subjects);
  details["data_digest"] = federation::Digest(document);
  store::AuditRecord record;
  record.actor = sender.actor;
  record.actor_agency = sender.agency;
  record.action = "send_message";
  record.justification = sender.justification;
  record.on_behalf_of = sender.case_reference;
  record.details_json = DumpJson(details);
  // One entry per subject of this node the message names, so that every disclosure of a subject
  // is found by that subject; partners' references are in the details only.
  const std::string own = keys.country + "/";
  bool any = false;
  for (const federation::SubjectRef& s : message.subjects) {
    if (!s.owner.starts_with(own)) continue;
    record.subject_id = s.ref;
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(record));
    any = true;
  }
  if (!any) {
    record.subject_id.clear();
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(record));
  }
  return document;
}

}  // namespace entente::service
