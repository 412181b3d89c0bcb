#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "policy/authorize.h"
#include "store/store.h"

namespace entente::service {

// Who asks and why: the authenticated principal and the context of the request (its day, its
// justification, the node's country). Every service call that touches the register takes one.
struct Caller {
  policy::Principal principal;
  policy::RequestContext context;
};

// An access to audit: the action, the subject it concerns ("" for none) and the facts the rules
// read of it. When `facts` is null and `subject_id` is set, they are read from the stored
// subject (NotFound if there is none); a subject being created passes its own.
struct Access {
  policy::Action action;
  std::string subject_id;
  const policy::SubjectFacts* facts = nullptr;
  std::string details_json = "{}";  // recorded in the audit entry
};

// Decides `access` for `caller` with policy::Authorize and, when allowed, runs `fn` in the same
// write transaction as the audit entry that records the access: both are kept or neither is.
// A refusal is audited in a transaction of its own and returned as the decision's Status
// (kUnauthenticated, kPermissionDenied, kNotFound or kInvalidArgument); an error of `fn` is
// returned as it is, and then nothing of the transaction is kept.
Status RunAudited(store::Store& store, const Caller& caller, const Access& access,
                  const std::function<Status(store::WriteTxn&, const policy::Decision&)>& fn);

// Decides with policy::AuthorizeCaller whether the caller alone may ask for `action`, before the
// subject concerned or the request's body is known (the API admits a request this way before it
// reads the body). A refusal is audited, as RunAudited audits one, and returned as its Status.
// Allowed is not audited: the service that then runs audits the access itself.
Status AdmitCaller(store::Store& store, const Caller& caller, policy::Action action);

// The audit record of an access (the actor, their agency, the action's name, the subject, the
// justification and the case reference as on_behalf_of).
store::AuditRecord AuditRecordOf(const Caller& caller, const Access& access,
                                 std::string_view outcome);

}  // namespace entente::service
