#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/vocabulary.h"
#include "policy/authorize.h"
#include "policy/principal.h"
#include "policy/rule.h"
#include "policy/sharing.h"
#include "policy/subject_facts.h"

namespace entente::policy {

// What a message to partners would carry, as the service read it from the store before deciding.
// Pointers do not own; they must outlive the call.
struct MessageFacts {
  // A minors' case: the draft says so, it is a consultation, or it answers a minors' message.
  bool minors = false;
  bool include_records = false;      // the records themselves, not only references
  bool provider_permission = false;  // the provider allowed the transfer (H1..H3)
  bool originator_authorised = false;
  // The recipients' countries and the rules of transfers to each, as registered.
  std::vector<std::pair<std::string, const SharingRules*>> recipients;
  // The subjects it names, each with the country its data came from ("" for this node's) and
  // that partner's rules (nullptr: not a registered partner).
  struct Subject {
    const SubjectFacts* facts = nullptr;
    std::string originating_country;
    const SharingRules* originating_rules = nullptr;
  };
  std::vector<Subject> subjects;
};

// The decision on a message, and what follows from it for the message when it may go.
struct MessagePlan {
  bool allowed = false;
  // The refusal: the rule, the subject it concerns ("" for the caller), its Status.
  Rule rule = Rule::kAllowed;
  std::string subject_id;
  Status refusal;
  // When allowed: the H1 marking, the highest handling code of the records, the H3 words.
  bool not_for_judicial_use = false;
  model::HandlingCode highest_handling_code = model::HandlingCode::kH0;
  std::vector<std::string> restrictions;
};

// Decides whether `principal` may send a message with `facts` to its recipients: the exchange
// (AuthorizeExchange: who may take part, with a justification, minors' designation), then each
// subject (Authorize: kExport for records, kReadSubject for references, towards a partner),
// then each subject to each recipient country (DecideTransfer: legal basis, state, minors,
// categories, mode, onward transfer, handling code). The first refusal wins and names its rule
// and, when there is one, its subject. Pure and thread-safe.
MessagePlan DecideMessage(const Principal& principal, const RequestContext& context,
                          const MessageFacts& facts);

}  // namespace entente::policy
