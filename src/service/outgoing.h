#pragma once

// Internal to the service library: the one way a message leaves this node. Every outgoing
// message (a user's, a release notice, an index update, a hit notification) is posted and
// audited by PostAndAudit, in the transaction of the change that causes it.

#include <string>
#include <string_view>

#include "common/result.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// Who sends: a user (the caller, with their justification and case reference), or the node
// itself (a named process acting for an agency, under a standing justification).
struct Sender {
  std::string actor;  // a user id, or "system:release-notices", "system:hit-no-hit"
  std::string agency;
  std::string justification;
  std::string case_reference;

  static Sender Of(const Caller& caller);
  static Sender System(std::string_view actor, std::string_view agency,
                       std::string_view justification);
};

// Posts `message` in `txn`: stored as sent and queued, signed and sealed, for each recipient
// country (federation::PostMessage), and audited under one vocabulary: action "send_message",
// one entry per subject of this node it names (one entry when it names none), with the details
// outcome "sent", message_id, case_id, type, recipients, legal_basis {kind, reference}, content
// (records or references), data_digest of the signed document, and the fields of
// `extra_details_json` (an object). Returns the message's JSON document.
Result<std::string> PostAndAudit(store::WriteTxn& txn, const federation::NodeKeys& keys,
                                 int64_t now, const federation::Message& message,
                                 const Sender& sender, std::string_view extra_details_json = "{}");

}  // namespace entente::service
