#pragma once

// Internal to the service library (it includes nlohmann/json, a private dependency): the audit
// entry of an exchange action taken by a user, shared by exchange.cc and hit_no_hit.cc.

#include <string_view>

#include <nlohmann/json.hpp>

#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// An audit entry of `action` by the caller (user, agency, justification, case reference) about
// `subject_id` ("" for none), with `details`.
inline store::AuditRecord ExchangeRecord(const Caller& caller, std::string_view action,
                                         std::string_view subject_id,
                                         const nlohmann::json& details) {
  store::AuditRecord r;
  r.actor = caller.principal.user_id;
  r.actor_agency = caller.principal.agency.ToString();
  r.action = std::string(action);
  r.subject_id = std::string(subject_id);
  r.justification = caller.context.justification;
  r.on_behalf_of = caller.context.case_reference;
  r.details_json = details.dump();
  return r;
}

}  // namespace entente::service
