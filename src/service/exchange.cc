#include "service/exchange.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "federation/crypto.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/exchange_audit.h"
#include "service/hit_no_hit.h"
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

Result<MessageView> ViewOf(store::StoredMessage stored) {
  auto parsed = federation::ParseMessage(stored.document);
  if (!parsed.ok()) {
    return Internal("stored message " + stored.id +
                    " cannot be read: " + parsed.status().message());
  }
  return MessageView{std::move(stored), std::move(parsed).value()};
}

}  // namespace

Result<SentMessage> SendMessage(store::Store& store, const ExchangeContext& exchange,
                                const Caller& caller, const MessageDraft& draft,
                                const AlsoInTransaction& also) {
  constexpr std::string_view kAction = "send_message";
  const federation::NodeKeys& keys = *exchange.keys;
  const int64_t now = exchange.clock->NowMicros();
  bool minors = draft.minors || draft.type == MessageType::kConsultation;

  std::string case_id = draft.case_id;
  if (!draft.in_reply_to.empty()) {
    auto answered = store.messages().Get(draft.in_reply_to, store::MessageDirection::kIn);
    if (!answered.ok()) {
      if (answered.status().code() != StatusCode::kNotFound) return answered.status();
      return NotFound("in_reply_to: no message " + draft.in_reply_to + " was received");
    }
    if (!case_id.empty() && case_id != answered->case_id) {
      return InvalidArgument("case_id: an answer joins the case of the message it answers (" +
                             answered->case_id + ")");
    }
    case_id = answered->case_id;
    minors = minors || answered->minors;
    if (!IsParty(*answered, caller.principal.agency.ToString())) {
      return NotFound("in_reply_to: no message " + draft.in_reply_to + " was received");
    }
  }
  const policy::Decision who = policy::AuthorizeExchange(caller.principal, caller.context, minors);
  if (!who.allowed) {
    return Refused(store, caller, kAction, "", policy::RuleName(who.rule), who.ToStatus());
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
  m.handling_code = draft.handling_code;
  m.handling_restriction = draft.handling_restriction;
  m.source_reliability = draft.source_reliability;
  m.information_accuracy = draft.information_accuracy;
  m.minors = minors;
  m.body = draft.body;
  m.attachments = draft.attachments;
  m.legal_basis.kind = "pending";  // set below, once the recipients are known

  // The partners, and the rules of transfers to each.
  std::map<std::string, federation::PartnerInfo> partners;
  for (size_t i = 0; i < draft.recipients.size(); ++i) {
    const std::string& agency = draft.recipients[i];
    auto parsed = policy::AgencyId::Parse(agency);
    if (!parsed.ok() || parsed->ToString() != agency) {
      return InvalidArgument(
          "recipients[" + std::to_string(i) + "]: " +
          (parsed.ok() ? "write the agency as " + parsed->ToString() : parsed.status().message()));
    }
    const std::string& country = parsed->country;
    if (partners.contains(country)) continue;
    auto record = store.partners().Get(country);
    if (!record.ok()) {
      if (record.status().code() != StatusCode::kNotFound) return record.status();
      return FailedPrecondition("recipients: " + country + " is not a registered partner");
    }
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(*record));
    partners.emplace(country, std::move(info));
  }

  // Each subject, for each country.
  std::vector<std::string> restrictions;
  for (const std::string& id : draft.subject_ids) {
    auto subject = store.subjects().Get(id);
    if (!subject.ok()) {
      if (subject.status().code() != StatusCode::kNotFound) return subject.status();
      return NotFound("subject_ids: subject " + id + " not found");
    }
    const policy::Action action =
        draft.include_records ? policy::Action::kExport : policy::Action::kReadSubject;
    Caller exporting = caller;
    exporting.context.destination = policy::Destination::kPartner;
    exporting.context.provider_permission = draft.provider_permission;
    const policy::Decision may = DecideOnSubject(exporting, action, *subject);
    if (!may.allowed) {
      return Refused(store, caller, kAction, id, policy::RuleName(may.rule), may.ToStatus());
    }
    ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, FactsOfSubject(*subject));
    policy::TransferRequest request;
    request.subject = &facts;
    request.content = draft.include_records ? policy::TransferContent::kRecord
                                            : policy::TransferContent::kReference;
    request.provider_permission = draft.provider_permission;
    request.originator_authorised = draft.originator_authorised;
    request.minors_consultation = minors;
    std::optional<policy::SharingRules> originating_rules;
    if (!subject->country.empty() && subject->country != keys.country) {
      request.originating_country = subject->country;
      if (auto origin = store.partners().Get(subject->country); origin.ok()) {
        if (auto decoded = federation::DecodePartner(*origin); decoded.ok()) {
          originating_rules = decoded->rules;
          request.originating_rules = &*originating_rules;
        }
      }
    }
    for (const auto& [country, partner] : partners) {
      const policy::TransferDecision t =
          policy::DecideTransfer(partner.rules, country, request, caller.context);
      if (!t.allowed) {
        const Status status = t.ToStatus();
        std::string message = "subject " + id;
        message += " to ";
        message += country;
        message += ": ";
        message += status.message();
        return Refused(store, caller, kAction, id, policy::RuleName(t.rule),
                       Status(status.code(), std::move(message)));
      }
      m.not_for_judicial_use = m.not_for_judicial_use || t.not_for_judicial_use;
      if (!t.restriction_to_show.empty()) restrictions.push_back(t.restriction_to_show);
    }
    m.handling_code = std::max(m.handling_code, facts.handling_code);
    m.subjects.push_back({id, subject->owner_agency.empty() ? caller.principal.agency.ToString()
                                                            : subject->owner_agency});
    if (draft.include_records) m.entities.push_back(subject->entity);
  }
  for (const federation::SubjectRef& ref : draft.quoted) m.subjects.push_back(ref);
  m.hit_id = draft.hit_id;
  if (m.handling_code == model::HandlingCode::kH3 && m.handling_restriction.empty()) {
    for (const std::string& r : restrictions) {
      if (!m.handling_restriction.empty()) m.handling_restriction += " ";
      m.handling_restriction += r;
    }
  }
  // The legal basis of the transfer to each country.
  nlohmann::json bases = nlohmann::json::object();
  std::set<std::string> kinds;
  for (const auto& [country, partner] : partners) {
    const std::string kind(policy::LegalBasisName(partner.rules.legal_basis));
    kinds.insert(kind);
    bases[country] = {{"kind", kind}, {"reference", partner.rules.legal_basis_reference}};
    if (!m.legal_basis.reference.empty()) m.legal_basis.reference += "; ";
    m.legal_basis.reference += country;
    m.legal_basis.reference += ": ";
    m.legal_basis.reference += kind;
    if (!partner.rules.legal_basis_reference.empty()) {
      m.legal_basis.reference += " (" + partner.rules.legal_basis_reference + ")";
    }
  }
  m.legal_basis.kind = kinds.size() == 1 ? *kinds.begin() : "several";
  ENTENTE_RETURN_IF_ERROR(federation::ValidateMessage(m));

  SentMessage sent;
  sent.id = m.id;
  sent.case_id = m.case_id;
  sent.countries = m.RecipientCountries();
  sent.not_for_judicial_use = m.not_for_judicial_use;
  sent.restriction_to_show = m.handling_restriction;
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    ENTENTE_ASSIGN_OR_RETURN(std::string document, federation::PostMessage(txn, m, keys, now));
    if (also) ENTENTE_RETURN_IF_ERROR(also(txn, m));
    nlohmann::json details = {{"outcome", "sent"},
                              {"message_id", m.id},
                              {"case_id", m.case_id},
                              {"type", federation::MessageTypeName(m.type)},
                              {"recipients", m.recipients},
                              {"legal_basis", bases},
                              {"content", draft.include_records ? "records" : "references"},
                              {"data_digest", federation::Digest(document)}};
    if (m.subjects.empty()) return txn.audit().Append(ExchangeRecord(caller, kAction, "", details));
    for (const federation::SubjectRef& s : m.subjects) {
      ENTENTE_RETURN_IF_ERROR(txn.audit().Append(ExchangeRecord(caller, kAction, s.ref, details)));
    }
    return Status::Ok();
  }));
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
  ENTENTE_ASSIGN_OR_RETURN(MessageView view, ViewOf(*stored));
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
    ENTENTE_ASSIGN_OR_RETURN(MessageView view, ViewOf(std::move(stored)));
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
  Caller listing = caller;
  if (listing.context.justification.empty()) {
    // Listing cases shows no personal data: no justification is asked for it.
    listing.context.justification = "listing the node's cases (no personal data)";
  }
  const policy::Decision who = policy::AuthorizeExchange(listing.principal, listing.context, false);
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

federation::AcceptHook ExchangeAcceptHook() {
  return [](store::WriteTxn& txn, const federation::OpenedEnvelope& opened, int64_t stored_seq,
            int64_t accepted_at) -> Status {
    const Message& m = opened.message;
    nlohmann::json subjects = nlohmann::json::array();
    for (const federation::SubjectRef& s : m.subjects) subjects.push_back(s.ref);
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(SystemRecord(
        "partner:" + opened.from, m.sender, "receive_message", "", "delivery by a partner node",
        nlohmann::json{{"outcome", "accepted"},
                       {"message_id", m.id},
                       {"case_id", m.case_id},
                       {"type", federation::MessageTypeName(m.type)},
                       {"recipients", m.recipients},
                       {"subjects", subjects},
                       {"stored_seq", stored_seq},
                       {"data_digest", federation::Digest(opened.document)}})));
    if (m.type == MessageType::kAcknowledgement && !m.in_reply_to.empty()) {
      Status marked = txn.notices().Acknowledge(m.in_reply_to, m.created_at, m.sender);
      if (!marked.ok() && marked.code() != StatusCode::kNotFound) return marked;
    }
    return OnHitNoHitMessage(txn, m, opened.from, accepted_at);
  };
}

}  // namespace entente::service
