#include "service/record_notices.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "common/time_format.h"
#include "federation/partner.h"
#include "model/date.h"
#include "model/entity_json.h"
#include "policy/message.h"
#include "policy/retention.h"
#include "policy/subject_facts.h"
#include "service/exchange_audit.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

using federation::Message;
using federation::MessageType;
using federation::RecordNoticeKind;

constexpr int kPage = 500;
constexpr std::string_view kRetentionActor = "system:retention";

std::string Body(RecordNoticeKind kind, std::string_view ref, bool with_record) {
  switch (kind) {
    case RecordNoticeKind::kCorrection:
      return with_record ? "Record " + std::string(ref) +
                               ", sent to you before, was corrected by its owner: the corrected "
                               "record replaces your copy."
                         : "Record " + std::string(ref) +
                               ", sent to you before, was corrected by its owner and may no longer "
                               "be sent to you in full: your copy is outdated and is withheld.";
    case RecordNoticeKind::kRestriction:
      return "Record " + std::string(ref) +
             ", sent to you before, is restricted by its owner: your copy is withheld.";
    case RecordNoticeKind::kErasure:
      return "Record " + std::string(ref) +
             ", sent to you before, is erased by its owner: your copy is erased.";
  }
  return "";
}

// `document` (a message's JSON) with the entity `ref` replaced by `replacement`, or removed when
// it is null. Whether anything changed.
bool RewriteEntities(nlohmann::json& document, std::string_view ref,
                     const model::Entity* replacement) {
  auto entities = document.find("entities");
  if (entities == document.end() || !entities->is_array()) return false;
  bool changed = false;
  nlohmann::json kept = nlohmann::json::array();
  for (nlohmann::json& entity : *entities) {
    const bool match = entity.is_object() && entity.value("id", std::string()) == ref;
    if (!match) {
      kept.push_back(std::move(entity));
      continue;
    }
    changed = true;
    if (replacement != nullptr) kept.push_back(model::EntityToJson(*replacement));
  }
  *entities = std::move(kept);
  return changed;
}

}  // namespace

Result<std::vector<std::string>> PastRecipients(store::WriteTxn& txn, std::string_view subject_id) {
  std::set<std::string> out;
  store::AuditQuery query;
  query.subject_id = std::string(subject_id);
  query.action = "send_message";
  query.outcome = "sent";
  query.limit = kPage;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> page, txn.audit().Read(query));
    for (const store::AuditEntry& e : page) {
      if (e.record.subject_id != subject_id) continue;
      const nlohmann::json details = ParseJsonOrDiscarded(e.record.details_json);
      if (!details.is_object() || details.value("content", std::string()) != "records") continue;
      const auto recipients = details.find("recipients");
      if (recipients == details.end() || !recipients->is_array()) continue;
      for (const nlohmann::json& r : *recipients) {
        if (r.is_string()) out.insert(r.get<std::string>());
      }
    }
    if (static_cast<int>(page.size()) < query.limit) break;
    query.after_seq = page.back().seq;
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<std::string>> NotifyPastRecipients(store::WriteTxn& txn,
                                                      const federation::NodeKeys& keys, int64_t now,
                                                      const Sender& sender,
                                                      const RecordChange& change) {
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> recipients,
                           PastRecipients(txn, change.subject_id));
  std::map<std::string, std::vector<std::string>> by_country;
  for (const std::string& agency : recipients) {
    auto parsed = policy::AgencyId::Parse(agency);
    if (parsed.ok()) by_country[parsed->country].push_back(agency);
  }
  std::optional<policy::SubjectFacts> facts;
  if (change.corrected != nullptr) {
    auto read = policy::SubjectFactsFromEntity(*change.corrected, policy::RecordState::kActive,
                                               std::nullopt);
    if (read.ok()) facts = std::move(read).value();
  }
  std::vector<std::string> notified;
  for (const auto& [country, agencies] : by_country) {
    auto record = txn.partners().Get(country);
    if (!record.ok()) {
      if (record.status().code() == StatusCode::kNotFound) continue;  // no longer a partner
      return record.status();
    }
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo partner, federation::DecodePartner(*record));
    Message m;
    m.id = federation::NewMessageId();
    m.type = MessageType::kRecordNotice;
    m.notice = std::string(federation::RecordNoticeKindName(change.kind));
    m.case_id = federation::NewCaseId();
    m.sender = change.owner_agency.empty() ? sender.agency : change.owner_agency;
    m.recipients = agencies;
    m.created_at = now;
    m.subjects.push_back({change.subject_id, m.sender});
    // A corrected record travels again only as the sharing rules allow it today.
    bool with_record = false;
    if (change.kind == RecordNoticeKind::kCorrection && change.corrected != nullptr &&
        change.caller != nullptr && facts) {
      policy::MessageFacts message_facts;
      message_facts.include_records = true;
      message_facts.recipients.emplace_back(country, &partner.rules);
      message_facts.subjects.push_back({&*facts, "", nullptr});
      const policy::MessagePlan plan =
          policy::DecideMessage(change.caller->principal, change.caller->context, message_facts);
      if (plan.allowed) {
        with_record = true;
        m.entities.push_back(*change.corrected);
        m.handling_code = plan.highest_handling_code;
        m.not_for_judicial_use = plan.not_for_judicial_use;
        for (const std::string& r : plan.restrictions) {
          if (!m.handling_restriction.empty()) m.handling_restriction += " ";
          m.handling_restriction += r;
        }
      }
    }
    m.body = Body(change.kind, change.subject_id, with_record);
    m.legal_basis.kind = std::string(policy::LegalBasisName(partner.rules.legal_basis));
    m.legal_basis.reference = "LED Art. 16 (rectification, restriction, erasure)";
    if (!partner.rules.legal_basis_reference.empty()) {
      m.legal_basis.reference += "; " + partner.rules.legal_basis_reference;
    }
    ENTENTE_RETURN_IF_ERROR(federation::ValidateMessage(m));
    ENTENTE_RETURN_IF_ERROR(
        PostAndAudit(txn, keys, now, m, sender,
                     DumpJson({{"notice", m.notice}, {"with_record", with_record}}))
            .status());
    notified.push_back(country);
  }
  return notified;
}

Status RecordReceivedCopies(store::WriteTxn& txn, const Message& message, std::string_view from,
                            int64_t accepted_at) {
  if (message.type == MessageType::kRecordNotice) return Status::Ok();  // applied, not listed
  const model::PartialDate received_on = policy::DayOfMicros(accepted_at);
  for (const model::Entity& entity : message.entities) {
    store::ReceivedRecord copy;
    copy.sender_country = std::string(from);
    copy.ref = entity.id;
    copy.message_id = message.id;
    auto facts = policy::SubjectFactsFromEntity(entity, policy::RecordState::kActive, std::nullopt);
    // A record whose dates cannot be read is kept for the review period from its reception.
    const policy::SubjectFacts read = facts.ok() ? *facts : policy::SubjectFacts{};
    copy.retention_date = policy::ReceivedRetentionDate(read, received_on).ToString();
    ENTENTE_RETURN_IF_ERROR(txn.messages().AddReceived(copy));
  }
  return Status::Ok();
}

Status ApplyRecordNotice(store::WriteTxn& txn, const Message& notice, std::string_view from) {
  const auto kind = federation::ParseRecordNoticeKind(notice.notice);
  if (!kind) return InvalidArgument("notice: expected correction, restriction or erasure");
  for (const federation::SubjectRef& subject : notice.subjects) {
    const model::Entity* corrected = nullptr;
    for (const model::Entity& e : notice.entities) {
      if (e.id == subject.ref) corrected = &e;
    }
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ReceivedRecord> copies,
                             txn.messages().ReceivedCopies(from, subject.ref));
    int64_t applied = 0;
    for (const store::ReceivedRecord& copy : copies) {
      if (copy.state == store::ReceivedState::kErased) continue;
      store::ReceivedState state = copy.state;
      const model::Entity* replacement = nullptr;
      bool rewrite = false;
      switch (*kind) {
        case RecordNoticeKind::kCorrection:
          if (corrected != nullptr) {
            rewrite = true;
            replacement = corrected;
          } else {
            state = store::ReceivedState::kRestricted;  // outdated, and withheld
          }
          break;
        case RecordNoticeKind::kRestriction:
          state = store::ReceivedState::kRestricted;
          break;
        case RecordNoticeKind::kErasure:
          rewrite = true;
          state = store::ReceivedState::kErased;
          break;
      }
      if (rewrite) {
        ENTENTE_ASSIGN_OR_RETURN(store::StoredMessage stored,
                                 txn.messages().Get(copy.message_id, store::MessageDirection::kIn));
        nlohmann::json document = ParseJsonOrDiscarded(stored.document);
        if (document.is_object() && RewriteEntities(document, subject.ref, replacement)) {
          ENTENTE_RETURN_IF_ERROR(txn.messages().ReplaceDocument(
              copy.message_id, store::MessageDirection::kIn, DumpJson(document)));
        }
      }
      if (state != copy.state) ENTENTE_RETURN_IF_ERROR(txn.messages().SetCopyState(copy, state));
      ++applied;
    }
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
        SystemRecord("partner:" + std::string(from), notice.sender, "apply_record_notice", "",
                     "a partner's record notice (LED Art. 16)",
                     nlohmann::json{{"outcome", "applied"},
                                    {"message_id", notice.id},
                                    {"notice", notice.notice},
                                    {"ref", subject.ref},
                                    {"owner", subject.owner},
                                    {"with_record", corrected != nullptr},
                                    {"copies", applied}})));
  }
  return Status::Ok();
}

Result<int64_t> EraseReceivedPastRetention(store::Store& store, std::string_view today) {
  int64_t erased = 0;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ReceivedRecord> due,
                             store.messages().ReceivedPastRetention(today, kPage));
    if (due.empty()) return erased;
    ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
      for (const store::ReceivedRecord& copy : due) {
        ENTENTE_ASSIGN_OR_RETURN(store::StoredMessage stored,
                                 txn.messages().Get(copy.message_id, store::MessageDirection::kIn));
        nlohmann::json document = ParseJsonOrDiscarded(stored.document);
        if (document.is_object() && RewriteEntities(document, copy.ref, nullptr)) {
          ENTENTE_RETURN_IF_ERROR(txn.messages().ReplaceDocument(
              copy.message_id, store::MessageDirection::kIn, DumpJson(document)));
        }
        ENTENTE_RETURN_IF_ERROR(txn.messages().SetCopyState(copy, store::ReceivedState::kErased));
        ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
            SystemRecord(kRetentionActor, "", "erase_received_record", "",
                         "retention limit of a record received from a partner",
                         nlohmann::json{{"outcome", "allowed"},
                                        {"message_id", copy.message_id},
                                        {"sender_country", copy.sender_country},
                                        {"ref", copy.ref},
                                        {"retention_date", copy.retention_date}})));
      }
      return Status::Ok();
    }));
    erased += static_cast<int64_t>(due.size());
  }
}

Result<std::vector<model::Entity>> VisibleEntities(const store::StoreReader& store,
                                                   const Message& message,
                                                   store::MessageDirection direction) {
  if (direction != store::MessageDirection::kIn || message.entities.empty()) {
    return message.entities;
  }
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ReceivedRecord> copies,
                           store.messages().ReceivedIn(message.id));
  std::set<std::string> withheld;
  for (const store::ReceivedRecord& c : copies) {
    if (c.state != store::ReceivedState::kActive) withheld.insert(c.ref);
  }
  std::vector<model::Entity> out;
  for (const model::Entity& e : message.entities) {
    if (!withheld.contains(e.id)) {
      out.push_back(e);
      continue;
    }
    model::Entity stub;
    stub.id = e.id;
    stub.schema = e.schema;
    stub.Add("notes", "restricted by its owner: withheld");
    out.push_back(std::move(stub));
  }
  return out;
}

}  // namespace entente::service
