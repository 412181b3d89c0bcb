#include "service/exchange.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "common/json.h"
#include "federation/crypto.h"
#include "federation/partner.h"
#include "policy/message.h"
#include "policy/sharing.h"
#include "service/exchange_audit.h"
#include "service/outgoing.h"
#include "service/record_notices.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

using federation::Message;
using federation::MessageType;

// Audits a refusal in a transaction of its own and returns `status`.
Status Refused(store::Store& store, const Caller& caller, std::string_view action,
               std::string_view subject_id, std::string_view rule, const Status& status) {
  nlohmann::json details = {{"outcome", "refused"}, {"rule", rule}, {"reason", status.message()}};
  Status audited = store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(ExchangeRecord(caller, action, subject_id, details));
  });
  if (!audited.ok()) return audited;
  return status;
}

bool IsParty(const store::StoredMessage& stored, const std::string& agency) {
  if (stored.sender == agency) return true;
  size_t begin = 0;
  while (begin <= stored.recipients.size()) {
    size_t end = stored.recipients.find(',', begin);
    if (end == std::string::npos) end = stored.recipients.size();
    if (stored.recipients.compare(begin, end - begin, agency) == 0) return true;
    begin = end + 1;
  }
  return false;
}

Result<store::StoredMessage> FindMessage(const store::StoreReader& store, std::string_view id) {
  auto in = store.messages().Get(id, store::MessageDirection::kIn);
  if (in.ok() || in.status().code() != StatusCode::kNotFound) return in;
  return store.messages().Get(id, store::MessageDirection::kOut);
}

// A stored message as its reader sees it: the records its owner has restricted since are
// withheld (record_notices.h).
Result<MessageView> ViewOf(const store::StoreReader& store, store::StoredMessage stored) {
  auto parsed = federation::ParseMessage(stored.document);
  if (!parsed.ok()) {
    return Internal("stored message " + stored.id +
                    " cannot be read: " + parsed.status().message());
  }
  ENTENTE_ASSIGN_OR_RETURN(parsed->entities, VisibleEntities(store, *parsed, stored.direction));
  return MessageView{std::move(stored), std::move(parsed).value()};
}

}  // namespace

Result<SentMessage> SendMessage(store::Store& store, const ExchangeContext& exchange,
                                const Caller& caller, const MessageDraft& draft,
                                const AlsoInTransaction& also) {
  constexpr std::string_view kAction = "send_message";
  const federation::NodeKeys& keys = *exchange.keys;
  const int64_t now = exchange.clock->NowMicros();
  std::optional<policy::MessagePlan> refused;
  SentMessage sent;
  // Read the facts, decide (policy::DecideMessage), write and audit: one transaction.
  const Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    bool minors = draft.minors || draft.type == MessageType::kConsultation;
    std::string case_id = draft.case_id;
    if (!draft.in_reply_to.empty()) {
      auto answered = txn.messages().Get(draft.in_reply_to, store::MessageDirection::kIn);
      if (!answered.ok() && answered.status().code() != StatusCode::kNotFound) {
        return answered.status();
      }
      if (!answered.ok() || !IsParty(*answered, caller.principal.agency.ToString())) {
        return NotFound("in_reply_to: no message " + draft.in_reply_to + " was received");
      }
      if (!case_id.empty() && case_id != answered->case_id) {
        return InvalidArgument("case_id: an answer joins the case of the message it answers (" +
                               answered->case_id + ")");
      }
      case_id = answered->case_id;
      minors = minors || answered->minors;
    }
    // The partners, and the rules of transfers to each.
    std::map<std::string, federation::PartnerInfo> partners;
    for (size_t i = 0; i < draft.recipients.size(); ++i) {
      const std::string& agency = draft.recipients[i];
      auto parsed = policy::AgencyId::Parse(agency);
      if (!parsed.ok() || parsed->ToString() != agency) {
        return InvalidArgument("recipients[" + std::to_string(i) + "]: " +
                               (parsed.ok() ? "write the agency as " + parsed->ToString()
                                            : parsed.status().message()));
      }
      const std::string& country = parsed->country;
      if (partners.contains(country)) continue;
      auto record = txn.partners().Get(country);
      if (!record.ok()) {
        if (record.status().code() != StatusCode::kNotFound) return record.status();
        return FailedPrecondition("recipients: " + country + " is not a registered partner");
      }
      ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(*record));
      partners.emplace(country, std::move(info));
    }
    // The subjects, and where their data came from.
    std::vector<store::Subject> subjects;
    std::vector<policy::SubjectFacts> facts;
    std::map<std::string, policy::SharingRules> origins;
    for (const std::string& id : draft.subject_ids) {
      auto subject = txn.subjects().Get(id);
      if (!subject.ok()) {
        if (subject.status().code() != StatusCode::kNotFound) return subject.status();
        return NotFound("subject_ids: subject " + id + " not found");
      }
      ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts f, FactsOfSubject(*subject));
      const std::string& origin = subject->country;
      if (!origin.empty() && origin != keys.country && !origins.contains(origin)) {
        if (auto record = txn.partners().Get(origin); record.ok()) {
          if (auto decoded = federation::DecodePartner(*record); decoded.ok()) {
            origins.emplace(origin, decoded->rules);
          }
        }
      }
      subjects.push_back(std::move(subject).value());
      facts.push_back(std::move(f));
    }
    policy::MessageFacts message_facts;
    message_facts.minors = minors;
    message_facts.include_records = draft.include_records;
    message_facts.provider_permission = draft.provider_permission;
    message_facts.originator_authorised = draft.originator_authorised;
    for (const auto& [country, partner] : partners) {
      message_facts.recipients.emplace_back(country, &partner.rules);
    }
    for (size_t i = 0; i < subjects.size(); ++i) {
      const std::string& origin = subjects[i].country;
      const bool onward = !origin.empty() && origin != keys.country;
      const auto rules = origins.find(origin);
      message_facts.subjects.push_back(
          {&facts[i], onward ? origin : std::string(),
           onward && rules != origins.end() ? &rules->second : nullptr});
    }
    const policy::MessagePlan plan =
        policy::DecideMessage(caller.principal, caller.context, message_facts);
    if (!plan.allowed) {
      refused = plan;
      return plan.refusal;  // nothing of the transaction is kept; the refusal is audited below
    }

    Message m;
    m.id = federation::NewMessageId();
    m.type = draft.type;
    m.case_id = case_id.empty() ? federation::NewCaseId() : case_id;
    m.in_reply_to = draft.in_reply_to;
    m.sender = caller.principal.agency.ToString();
    m.recipients = draft.recipients;
    m.priority = draft.priority;
    m.deadline = draft.deadline;
    m.created_at = now;
    m.handling_code = std::max(draft.handling_code, plan.highest_handling_code);
    m.handling_restriction = draft.handling_restriction;
    m.source_reliability = draft.source_reliability;
    m.information_accuracy = draft.information_accuracy;
    m.minors = minors;
    m.body = draft.body;
    m.attachments = draft.attachments;
    m.not_for_judicial_use = plan.not_for_judicial_use;
    for (const store::Subject& subject : subjects) {
      m.subjects.push_back({subject.entity.id, subject.owner_agency.empty()
                                                   ? caller.principal.agency.ToString()
                                                   : subject.owner_agency});
      if (draft.include_records) m.entities.push_back(subject.entity);
    }
    for (const federation::SubjectRef& ref : draft.quoted) m.subjects.push_back(ref);
    m.hit_id = draft.hit_id;
    if (m.handling_code == model::HandlingCode::kH3 && m.handling_restriction.empty()) {
      for (const std::string& r : plan.restrictions) {
        if (!m.handling_restriction.empty()) m.handling_restriction += " ";
        m.handling_restriction += r;
      }
    }
    // The legal basis of the transfer to each country.
    std::set<std::string> kinds;
    for (const auto& [country, partner] : partners) {
      const std::string kind(policy::LegalBasisName(partner.rules.legal_basis));
      kinds.insert(kind);
      if (!m.legal_basis.reference.empty()) m.legal_basis.reference += "; ";
      m.legal_basis.reference.append(country).append(": ").append(kind);
      if (!partner.rules.legal_basis_reference.empty()) {
        m.legal_basis.reference.append(" (")
            .append(partner.rules.legal_basis_reference)
            .append(")");
      }
    }
    m.legal_basis.kind = kinds.size() == 1 ? *kinds.begin() : "several";
    ENTENTE_RETURN_IF_ERROR(federation::ValidateMessage(m));
    ENTENTE_RETURN_IF_ERROR(PostAndAudit(txn, keys, now, m, Sender::Of(caller)).status());
    if (also) ENTENTE_RETURN_IF_ERROR(also(txn, m));
    sent.id = m.id;
    sent.case_id = m.case_id;
    sent.countries = m.RecipientCountries();
    sent.not_for_judicial_use = m.not_for_judicial_use;
    sent.restriction_to_show = m.handling_restriction;
    return Status::Ok();
  });
  if (refused) {
    return Refused(store, caller, kAction, refused->subject_id, policy::RuleName(refused->rule),
                   refused->refusal);
  }
  if (!status.ok()) return status;
  if (exchange.wake) exchange.wake();
  return sent;
}

Result<MessageView> ReadMessage(store::Store& store, const Caller& caller, std::string_view id) {
  constexpr std::string_view kAction = "read_message";
  auto stored = FindMessage(store, id);
  const std::string agency = caller.principal.agency.ToString();
  if (!stored.ok() || !IsParty(*stored, agency)) {
    if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) return stored.status();
    return Refused(store, caller, kAction, "", "not_a_party",
                   NotFound("message " + std::string(id) + " not found"));
  }
  const policy::Decision who =
      policy::AuthorizeExchange(caller.principal, caller.context, stored->minors);
  if (!who.allowed) {
    return Refused(store, caller, kAction, "", policy::RuleName(who.rule), who.ToStatus());
  }
  ENTENTE_ASSIGN_OR_RETURN(MessageView view, ViewOf(store, *stored));
  nlohmann::json details = {
      {"outcome", "allowed"}, {"message_id", view.stored.id}, {"case_id", view.stored.case_id}};
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(ExchangeRecord(caller, kAction, "", details));
  }));
  return view;
}

Result<std::vector<MessageView>> ReadCase(store::Store& store, const Caller& caller,
                                          std::string_view case_id) {
  constexpr std::string_view kAction = "read_case";
  store::MessageQuery query;
  query.case_id = std::string(case_id);
  query.limit = 1000;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::StoredMessage> messages,
                           store.messages().List(query));
  const std::string agency = caller.principal.agency.ToString();
  bool minors = false;
  std::vector<MessageView> out;
  for (store::StoredMessage& stored : messages) {
    if (!IsParty(stored, agency)) continue;
    minors = minors || stored.minors;
    ENTENTE_ASSIGN_OR_RETURN(MessageView view, ViewOf(store, std::move(stored)));
    out.push_back(std::move(view));
  }
  if (out.empty()) {
    return Refused(store, caller, kAction, "", "not_a_party",
                   NotFound("case " + std::string(case_id) + " not found"));
  }
  const policy::Decision who = policy::AuthorizeExchange(caller.principal, caller.context, minors);
  if (!who.allowed) {
    return Refused(store, caller, kAction, "", policy::RuleName(who.rule), who.ToStatus());
  }
  nlohmann::json details = {{"outcome", "allowed"}, {"case_id", case_id}, {"messages", out.size()}};
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(ExchangeRecord(caller, kAction, "", details));
  }));
  return out;
}

Result<std::vector<store::StoredMessage>> OverdueAnswers(const store::StoreReader& store,
                                                         std::string_view today) {
  std::vector<std::string> types;
  for (MessageType t : {MessageType::kRequest, MessageType::kConsultation,
                        MessageType::kReleaseNotice, MessageType::kAlert}) {
    if (federation::ExpectsAnswer(t)) types.emplace_back(federation::MessageTypeName(t));
  }
  return store.messages().UnansweredBefore(today, types);
}

Result<std::vector<CaseListing>> ListCases(store::Store& store, const Caller& caller, int limit) {
  // Listing cases shows no personal data: no justification is asked for it.
  const policy::Decision who = policy::AuthorizeExchangeListing(caller.principal, caller.context);
  if (!who.allowed) return who.ToStatus();
  const bool designated = caller.principal.Has(policy::Designation::kMinors);
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::CaseSummary> cases, store.messages().Cases(limit));
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::StoredMessage> overdue,
                           OverdueAnswers(store, caller.context.today.ToString()));
  std::vector<CaseListing> out;
  for (store::CaseSummary& c : cases) {
    if (c.minors && !designated) continue;
    CaseListing listing_entry{std::move(c), {}};
    for (const store::StoredMessage& m : overdue) {
      if (m.case_id == listing_entry.summary.case_id) {
        listing_entry.overdue_message_ids.push_back(m.id);
      }
    }
    out.push_back(std::move(listing_entry));
  }
  return out;
}

Result<SentMessage> Acknowledge(store::Store& store, const ExchangeContext& exchange,
                                const Caller& caller, std::string_view message_id) {
  auto stored = store.messages().Get(message_id, store::MessageDirection::kIn);
  if (!stored.ok()) {
    if (stored.status().code() != StatusCode::kNotFound) return stored.status();
    return NotFound("no message " + std::string(message_id) + " was received");
  }
  if (stored->type != federation::MessageTypeName(MessageType::kReleaseNotice) &&
      stored->type != federation::MessageTypeName(MessageType::kAlert)) {
    return InvalidArgument("only a release notice or an alert is acknowledged; answer a " +
                           stored->type + " with a reply");
  }
  MessageDraft draft;
  draft.type = MessageType::kAcknowledgement;
  draft.in_reply_to = std::string(message_id);
  draft.recipients = {stored->sender};
  draft.body = "Acknowledged by " + caller.principal.agency.ToString() + ".";
  return SendMessage(store, exchange, caller, draft);
}

Status CheckNodeAdministration(const Caller& caller) {
  const policy::Role role = caller.principal.role;
  if (caller.principal.agency.country != caller.context.node_country ||
      role != policy::Role::kAdministrator) {
    return PermissionDenied(
        "role: the outbox, the partner registry and the encoded indexes are for this node's "
        "administrators (docs/policy.md)");
  }
  return Status::Ok();
}

Status RegisterPartner(store::Store& store, const Caller& caller, const store::Partner& partner) {
  constexpr std::string_view kAction = "manage_partners";
  if (Status s = CheckNodeAdministration(caller); !s.ok()) {
    return Refused(store, caller, kAction, "", "role", s);
  }
  if (partner.country == caller.context.node_country) {
    return InvalidArgument("partner: " + partner.country + " is this node's own country");
  }
  return store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.partners().Put(partner));
    return txn.audit().Append(
        ExchangeRecord(caller, kAction, "",
                       nlohmann::json{{"outcome", "allowed"},
                                      {"partner", partner.country},
                                      {"url", partner.url},
                                      {"tls_fingerprint", partner.tls_fingerprint},
                                      {"rules", ParseJsonOrDiscarded(partner.rules_json)}}));
  });
}

Status RemovePartner(store::Store& store, const Caller& caller, std::string_view country) {
  constexpr std::string_view kAction = "manage_partners";
  if (Status s = CheckNodeAdministration(caller); !s.ok()) {
    return Refused(store, caller, kAction, "", "role", s);
  }
  return store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.partners().Delete(country));
    return txn.audit().Append(ExchangeRecord(
        caller, kAction, "", nlohmann::json{{"outcome", "allowed"}, {"removed", country}}));
  });
}

Status RequeueOutboxEntry(store::Store& store, const ExchangeContext& exchange,
                          const Caller& caller, int64_t seq) {
  ENTENTE_RETURN_IF_ERROR(CheckNodeAdministration(caller));
  const int64_t now = exchange.clock->NowMicros();
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.outbox().Requeue(seq, now));
    return txn.audit().Append(
        ExchangeRecord(caller, "requeue_message", "", nlohmann::json{{"outbox_seq", seq}}));
  });
  if (!status.ok()) return status;
  if (exchange.wake) exchange.wake();
  return Status::Ok();
}

}  // namespace entente::service
