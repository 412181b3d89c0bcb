#include "service/release_notices.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "federation/crypto.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/outgoing.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

using federation::MessageType;

// Whether `subject` concerns partner `country`.
bool LinkedTo(const store::StoreReader& store, const store::Subject& subject,
              const std::string& country) {
  for (const char* property : {"nationality", "country", "sourceCountry"}) {
    const auto& values = subject.entity.Values(property);
    if (std::find(values.begin(), values.end(), country) != values.end()) return true;
  }
  if (subject.country == country) return true;
  auto links = store.subjects().LinksFrom(subject.entity.id);
  if (!links.ok()) return false;
  for (const store::Link& link : *links) {
    // A subject of the partner's register (ids begin with its country), or one of ours it owns.
    if (link.dst.starts_with(country + "-")) return true;
    if (auto other = store.subjects().Get(link.dst); other.ok() && other->country == country) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<NoticeSweep> SendReleaseNotices(store::Store& store, const ExchangeContext& exchange,
                                       const model::PartialDate& today) {
  const federation::NodeKeys& keys = *exchange.keys;
  NoticeSweep sweep;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> records, store.partners().List());
  std::vector<federation::PartnerInfo> partners;
  int max_days = 0;
  for (const store::Partner& r : records) {
    ENTENTE_ASSIGN_OR_RETURN(federation::PartnerInfo info, federation::DecodePartner(r));
    max_days = std::max(max_days, info.rules.release_notice_days);
    partners.push_back(std::move(info));
  }
  if (partners.empty()) return sweep;
  const int64_t today_days = today.ToEpochDays();
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<store::CustodyEvent> events,
      store.subjects().CustodyBetween(
          today.ToString(), model::PartialDate::FromEpochDays(today_days + max_days).ToString()));
  bool sent_any = false;
  for (const store::CustodyEvent& event : events) {
    auto event_day = model::PartialDate::Parse(event.start_date);
    if (!event_day.ok() || event_day->ToEpochDays() < today_days) continue;  // a leave under way
    auto subject = store.subjects().Get(event.subject_id);
    if (!subject.ok() || subject->state != store::SubjectState::kActive) continue;
    auto facts = FactsOfSubject(*subject);
    if (!facts.ok()) {
      sweep.withheld.push_back(event.subject_id + ": " + facts.status().message());
      continue;
    }
    for (const federation::PartnerInfo& partner : partners) {
      const std::string& country = partner.record.country;
      if (event_day->ToEpochDays() > today_days + partner.rules.release_notice_days) continue;
      if (!LinkedTo(store, *subject, country)) continue;
      if (store.notices().Get(event.subject_id, event.kind, event.start_date, country).ok()) {
        ++sweep.already_sent;
        continue;
      }
      policy::RequestContext context;
      context.node_country = keys.country;
      context.today = today;
      context.justification = "release notice: " + event.kind + " on " + event.start_date +
                              ", within the " + std::to_string(partner.rules.release_notice_days) +
                              "-day notice period agreed with " + country;
      context.destination = policy::Destination::kPartner;
      policy::TransferRequest request;
      request.subject = &*facts;
      request.content = policy::TransferContent::kRecord;
      policy::TransferDecision decision =
          policy::DecideTransfer(partner.rules, country, request, context);
      if (!decision.allowed) {
        request.content = policy::TransferContent::kReference;
        decision = policy::DecideTransfer(partner.rules, country, request, context);
      }
      if (!decision.allowed) {
        sweep.withheld.push_back(event.subject_id + " to " + country + ": " + decision.reason);
        continue;
      }
      federation::Message m;
      m.id = federation::NewMessageId();
      m.type = MessageType::kReleaseNotice;
      m.case_id = federation::NewCaseId();
      m.sender = subject->owner_agency.starts_with(keys.country + "/")
                     ? subject->owner_agency
                     : keys.country + "/penitentiary";
      m.recipients = {country + "/" + std::string(kNoticeRecipientAgency)};
      m.priority = federation::Priority::kUrgent;
      const int64_t deadline =
          std::min(today_days + kNoticeAcknowledgeDays, event_day->ToEpochDays());
      m.deadline = model::PartialDate::FromEpochDays(deadline).ToString();
      m.created_at = exchange.clock->NowMicros();
      m.handling_code = request.content == policy::TransferContent::kRecord
                            ? facts->handling_code
                            : model::HandlingCode::kH0;
      m.handling_restriction = decision.restriction_to_show;
      m.not_for_judicial_use = decision.not_for_judicial_use;
      m.minors = false;
      m.subjects = {
          {subject->entity.id, subject->owner_agency.empty() ? m.sender : subject->owner_agency}};
      if (request.content == policy::TransferContent::kRecord) m.entities = {subject->entity};
      m.event_kind = event.kind;
      m.event_date = event.start_date;
      m.body = "Release notice: " + event.kind + " on " + event.start_date +
               (event.kind == "leave" ? " until " + event.end_date : "") +
               (event.establishment.empty() ? "" : ", from " + event.establishment) +
               ". Please acknowledge.";
      m.legal_basis = {std::string(policy::LegalBasisName(partner.rules.legal_basis)),
                       partner.rules.legal_basis_reference};
      Status status = store.Write([&](store::WriteTxn& txn) -> Status {
        ENTENTE_RETURN_IF_ERROR(txn.notices().Put({event.subject_id, event.kind, event.start_date,
                                                   country, m.id, m.case_id, m.created_at, 0, ""}));
        return PostAndAudit(
                   txn, keys, m.created_at, m,
                   Sender::System("system:release-notices", m.sender, context.justification))
            .status();
      });
      if (status.code() == StatusCode::kAlreadyExists) {
        ++sweep.already_sent;  // another process notified it meanwhile
        continue;
      }
      ENTENTE_RETURN_IF_ERROR(status);
      ++sweep.sent;
      sent_any = true;
    }
  }
  if (sent_any && exchange.wake) exchange.wake();
  return sweep;
}

Result<std::vector<store::ReleaseNotice>> UnacknowledgedNotices(const store::StoreReader& store) {
  return store.notices().List(/*unacknowledged_only=*/true, 10000);
}

}  // namespace entente::service
