#pragma once

#include <string>

#include "common/status.h"
#include "model/date.h"
#include "policy/action.h"
#include "policy/handling.h"
#include "policy/principal.h"
#include "policy/rule.h"
#include "policy/subject_facts.h"

namespace entente::policy {

// A justification must have at least this many characters (code points, surrounding spaces not
// counted) and at most kMaxJustificationChars.
inline constexpr size_t kMinJustificationChars = 10;
inline constexpr size_t kMaxJustificationChars = 2000;
// A case reference, when given, has at most this many characters.
inline constexpr size_t kMaxCaseReferenceChars = 64;

// What surrounds a request: the node, the day, why the data is wanted, and where an export
// goes. Filled by the caller (the API from its headers, the CLI from its flags).
struct RequestContext {
  std::string node_country;  // ISO alpha-2 of this node; principals of other countries are partners
  model::PartialDate today = model::PartialDate::Day(1970, 1, 1);  // a full date
  std::string justification;                                       // free text
  std::string case_reference;                                      // optional
  // How the caller gives its justification, named when it is missing: "X-Justification" (the
  // API), "--justification" (the command line).
  std::string justification_field = "justification";
  Destination destination = Destination::kWithinNode;  // for kExport
  bool provider_permission = false;  // the provider allowed this export (H1-H3), for kExport
};

// The answer to a request. allowed is true exactly when code is kOk. A plain value type.
struct Decision {
  bool allowed = false;
  StatusCode code = StatusCode::kPermissionDenied;  // kOk, kUnauthenticated, kPermissionDenied,
                                                    // kNotFound (erased), kInvalidArgument
  Rule rule = Rule::kAllowed;                       // the rule that refused, or kAllowed
  std::string reason;                               // a sentence for the user
  // Only whether the subject is known, and whom to ask, may be returned (screening by a
  // hit_no_hit tier or by a partner).
  bool hit_no_hit_only = false;
  // H1: mark the output "not to be used in judicial proceedings without the provider's
  // permission".
  bool not_for_judicial_use = false;
  // H3: show this restriction with the output.
  std::string restriction_to_show;

  // Ok when allowed; else a Status of `code` whose message names the rule and the reason.
  Status ToStatus() const;
};

// Decides whether `principal` may do `action` on `subject` (nullptr when the action concerns no
// single subject, or the subject is not known: a hit/no-hit that finds nothing). The rules run
// in this order and the first refusal wins: authentication, role, subject required,
// justification, partner, tier, erased/restricted state, minors, owner agency, handling code.
// A refused kReadSubjectHitNoHit for an erased or restricted subject must be answered as "no
// hit". `context.today` must be a full date (ENTENTE_CHECK). Pure and thread-safe.
Decision Authorize(const Principal& principal, Action action, const SubjectFacts* subject,
                   const RequestContext& context);

// The rules of Authorize that concern the caller alone, for when no subject is known yet (the
// API admits a request before reading its body) or none is concerned: authentication, role,
// justification, partner, tier. Allowed here does not mean allowed on a given subject: the rules
// on the subject are decided by Authorize once it is known. Pure and thread-safe.
Decision AuthorizeCaller(const Principal& principal, Action action, const RequestContext& context);

// Decides whether one record of an import (Action::kImport, allowed as a whole) may be written by
// `principal`: its ownerAgency must be an agency of the node's country; a supervisor must
// moreover be allowed kWriteSubject on it (its own agency, minors' designation, state); an
// administrator loads any agency of the node. Refusals name the rule (kOwnerAgency...). Pure.
Decision ImportRecordDecision(const Principal& principal, const SubjectFacts& subject,
                              const RequestContext& context);

// Checks the justification and case reference of `context`; "" when acceptable, else the
// reason a person reads.
std::string CheckJustification(const RequestContext& context);

}  // namespace entente::policy
