#pragma once

// Internal to the service library (it includes nlohmann/json, a private dependency): the audit
// entries of exchange actions, taken by a user or by the node itself, shared by exchange.cc,
// hit_no_hit.cc and release_notices.cc.

#include <string_view>

#include <nlohmann/json.hpp>

#include "common/json.h"
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
  r.details_json = DumpJson(details);
  return r;
}

// An audit entry of `action` taken by the node itself rather than by a user: `actor` names the
// process ("system:release-notices", "system:hit-no-hit") or the partner node that delivered
// ("partner:BE/node"), `agency` the agency it acts for; with the justification it works under.
inline store::AuditRecord SystemRecord(std::string_view actor, std::string_view agency,
                                       std::string_view action, std::string_view subject_id,
                                       std::string_view justification,
                                       const nlohmann::json& details) {
  store::AuditRecord r;
  r.actor = std::string(actor);
  r.actor_agency = std::string(agency);
  r.action = std::string(action);
  r.subject_id = std::string(subject_id);
  r.justification = std::string(justification);
  r.details_json = DumpJson(details);
  return r;
}

}  // namespace entente::service
