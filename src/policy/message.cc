#include "policy/message.h"

#include <algorithm>

namespace entente::policy {

MessagePlan DecideMessage(const Principal& principal, const RequestContext& context,
                          const MessageFacts& facts) {
  MessagePlan plan;
  auto refuse = [&](Rule rule, std::string subject_id, Status status) {
    plan.allowed = false;
    plan.rule = rule;
    plan.subject_id = std::move(subject_id);
    plan.refusal = std::move(status);
    return plan;
  };
  const Decision who = AuthorizeExchange(principal, context, facts.minors);
  if (!who.allowed) return refuse(who.rule, "", who.ToStatus());

  RequestContext exporting = context;
  exporting.destination = Destination::kPartner;
  exporting.provider_permission = facts.provider_permission;
  const Action action = facts.include_records ? Action::kExport : Action::kReadSubject;
  for (const MessageFacts::Subject& subject : facts.subjects) {
    const SubjectFacts& s = *subject.facts;
    const Decision may = Authorize(principal, action, &s, exporting);
    if (!may.allowed) return refuse(may.rule, s.id, may.ToStatus());
    TransferRequest request;
    request.subject = &s;
    request.content =
        facts.include_records ? TransferContent::kRecord : TransferContent::kReference;
    request.provider_permission = facts.provider_permission;
    request.originator_authorised = facts.originator_authorised;
    request.minors_consultation = facts.minors;
    request.originating_country = subject.originating_country;
    request.originating_rules = subject.originating_rules;
    for (const auto& [country, rules] : facts.recipients) {
      const TransferDecision t = DecideTransfer(*rules, country, request, context);
      if (!t.allowed) {
        const Status status = t.ToStatus();
        return refuse(
            t.rule, s.id,
            Status(status.code(), "subject " + s.id + " to " + country + ": " + status.message()));
      }
      plan.not_for_judicial_use = plan.not_for_judicial_use || t.not_for_judicial_use;
      if (!t.restriction_to_show.empty()) plan.restrictions.push_back(t.restriction_to_show);
    }
    plan.highest_handling_code = std::max(plan.highest_handling_code, s.handling_code);
  }
  plan.allowed = true;
  return plan;
}

}  // namespace entente::policy
