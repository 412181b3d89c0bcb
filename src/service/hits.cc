#include "service/hits.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "federation/index_update.h"
#include "policy/subject_facts.h"
#include "service/exchange_audit.h"

namespace entente::service {
namespace {

using federation::Message;
using federation::MessageType;

// The subject this node published to `partner` under `reference`; "" when it is no longer
// published (withdrawn since).
Result<std::string> PublishedSubject(const store::StoreReader& txn, std::string_view partner,
                                     std::string_view reference) {
  auto published = txn.indexes().FindPublished(partner, reference);
  if (published.ok()) return published->subject_id;
  if (published.status().code() != StatusCode::kNotFound) return published.status();
  return std::string();
}

}  // namespace

Status RecordIncomingHit(store::WriteTxn& txn, const Message& m, std::string_view from,
                         int64_t now) {
  const federation::SubjectRef& ref = m.subjects.front();
  store::HitRecord hit;
  hit.id = m.hit_id;
  hit.direction = store::HitDirection::kIn;
  hit.partner = std::string(from);
  hit.reference = ref.ref;
  hit.owner = ref.owner;
  hit.agency = m.sender;
  hit.score = m.hit_score;
  hit.at = now;
  hit.notification_id = m.id;
  ENTENTE_ASSIGN_OR_RETURN(hit.subject_id, PublishedSubject(txn, from, ref.ref));
  Status inserted = txn.hits().Insert(hit);
  if (inserted.code() == StatusCode::kAlreadyExists) return Status::Ok();
  return inserted;
}

Status RecordFollowUps(store::WriteTxn& txn, const Message& m, std::string_view from, int64_t now) {
  for (const federation::SubjectRef& ref : m.subjects) {
    if (!federation::IsIndexReference(ref.ref)) continue;
    store::FollowUp f;
    f.message_id = m.id;
    f.partner = std::string(from);
    f.requester = m.sender;
    f.reference = ref.ref;
    f.hit_id = m.hit_id;
    f.received_at = now;
    f.due_at = now + kFollowUpDueMicros;
    ENTENTE_ASSIGN_OR_RETURN(f.subject_id, PublishedSubject(txn, from, ref.ref));
    Status inserted = txn.hits().InsertFollowUp(f);
    if (!inserted.ok() && inserted.code() != StatusCode::kAlreadyExists) return inserted;
    return Status::Ok();  // one follow-up per request: the first reference it quotes
  }
  return Status::Ok();
}

Result<std::vector<store::HitRecord>> ListHits(store::Store& store, const Caller& caller,
                                               store::HitDirection direction, int limit) {
  const bool incoming = direction == store::HitDirection::kIn;
  // Incoming hits name subjects of this register: reading them is reading personal data.
  const policy::Action action =
      incoming ? policy::Action::kReadSubjectHitNoHit : policy::Action::kScreen;
  const policy::Decision may = policy::Authorize(caller.principal, action, nullptr, caller.context);
  if (!may.allowed) return may.ToStatus();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::HitRecord> hits, store.hits().List(direction, limit));
  if (!incoming) {
    // An agency sees the hits of its own screenings.
    const std::string agency = caller.principal.agency.ToString();
    std::erase_if(hits, [&](const store::HitRecord& h) { return h.agency != agency; });
    return hits;
  }
  ENTENTE_RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) {
    return txn.audit().Append(
        ExchangeRecord(caller, "list_hits", "",
                       {{"outcome", "allowed"}, {"direction", "in"}, {"hits", hits.size()}}));
  }));
  return hits;
}

Result<SentMessage> RequestFollowUp(store::Store& store, const ExchangeContext& exchange,
                                    const Caller& caller, std::string_view hit_id,
                                    std::string_view body) {
  auto hit = store.hits().Get(hit_id, store::HitDirection::kOut);
  if (!hit.ok()) {
    if (hit.status().code() != StatusCode::kNotFound) return hit.status();
    return NotFound("no hit " + std::string(hit_id) + " was found by this node");
  }
  if (hit->agency != caller.principal.agency.ToString()) {
    return NotFound("no hit " + std::string(hit_id) + " was found by your agency");
  }
  if (!hit->followup_id.empty()) {
    return FailedPrecondition("hit " + std::string(hit_id) + " was already followed up (" +
                              hit->followup_id + ")");
  }
  const int64_t now = exchange.clock->NowMicros();
  MessageDraft draft;
  draft.type = MessageType::kRequest;
  draft.recipients = {hit->owner};
  draft.priority = federation::Priority::kUrgent;
  draft.deadline = policy::DayOfMicros(now + kFollowUpDueMicros).ToString();
  draft.quoted = {{hit->reference, hit->owner}};
  draft.hit_id = hit->id;
  draft.body = body.empty() ? "Follow-up of hit " + hit->id + " on reference " + hit->reference +
                                  ": please send the core data you may release."
                            : std::string(body);
  const std::string id = hit->id;
  return SendMessage(store, exchange, caller, draft, [&](store::WriteTxn& txn, const Message& m) {
    return txn.hits().SetFollowUp(id, m.id);
  });
}

std::string_view FollowUpStateName(FollowUpState state) {
  switch (state) {
    case FollowUpState::kPending:
      return "pending";
    case FollowUpState::kOverdue:
      return "overdue";
    case FollowUpState::kAnswered:
      return "answered";
    case FollowUpState::kAnsweredLate:
      return "answered_late";
  }
  return "pending";
}

Result<std::vector<FollowUpView>> ListFollowUps(store::Store& store, const Caller& caller,
                                                int64_t now, bool pending_only, int limit) {
  const policy::Decision may = policy::Authorize(
      caller.principal, policy::Action::kReadSubjectHitNoHit, nullptr, caller.context);
  if (!may.allowed) return may.ToStatus();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::FollowUp> followups,
                           store.hits().ListFollowUps(pending_only, limit));
  const std::string agency = caller.principal.agency.ToString();
  std::vector<FollowUpView> out;
  for (store::FollowUp& f : followups) {
    // The agency asked sees its requests; supervisors see all of the node's.
    if (f.requester.empty()) continue;
    auto stored = store.messages().Get(f.message_id, store::MessageDirection::kIn);
    if (!stored.ok()) continue;
    const bool party = stored->recipients.find(agency) != std::string::npos;
    if (!party && caller.principal.role != policy::Role::kSupervisor) continue;
    FollowUpView view{std::move(f), FollowUpState::kPending};
    const store::FollowUp& v = view.followup;
    if (v.decision.empty()) {
      view.state = now > v.due_at ? FollowUpState::kOverdue : FollowUpState::kPending;
    } else {
      view.state =
          v.decided_at > v.due_at ? FollowUpState::kAnsweredLate : FollowUpState::kAnswered;
    }
    out.push_back(std::move(view));
  }
  return out;
}

Result<SentMessage> DecideFollowUp(store::Store& store, const ExchangeContext& exchange,
                                   const Caller& caller, std::string_view message_id,
                                   FollowUpDecision decision, std::string_view reason) {
  auto followup = store.hits().GetFollowUp(message_id);
  if (!followup.ok()) {
    if (followup.status().code() != StatusCode::kNotFound) return followup.status();
    return NotFound("no follow-up request " + std::string(message_id) + " was received");
  }
  if (!followup->decision.empty()) {
    return FailedPrecondition("follow-up " + std::string(message_id) + " was already decided (" +
                              followup->decision + ")");
  }
  if (decision == FollowUpDecision::kRelease && followup->subject_id.empty()) {
    return FailedPrecondition("follow-up " + std::string(message_id) + ": reference " +
                              followup->reference +
                              " is no longer published to its partner; nothing can be released");
  }
  if (reason.empty()) return InvalidArgument("reason: state the grounds of the decision");
  const int64_t now = exchange.clock->NowMicros();
  MessageDraft draft;
  draft.type = MessageType::kReply;
  draft.in_reply_to = std::string(message_id);
  draft.recipients = {followup->requester};
  const bool release = decision == FollowUpDecision::kRelease;
  if (release) {
    draft.subject_ids = {followup->subject_id};
    draft.include_records = true;
    draft.body = "Released: " + std::string(reason);
  } else {
    draft.body = "Not released: " + std::string(reason);
  }
  store::FollowUp decided = *followup;
  decided.decision = release ? "released" : "refused";
  decided.decided_by = caller.principal.user_id;
  decided.decided_at = now;
  decided.reason = std::string(reason);
  return SendMessage(
      store, exchange, caller, draft, [&](store::WriteTxn& txn, const Message& m) -> Status {
        decided.reply_id = m.id;
        ENTENTE_RETURN_IF_ERROR(txn.hits().DecideFollowUp(decided));
        return txn.audit().Append(ExchangeRecord(caller, "decide_followup", decided.subject_id,
                                                 {{"outcome", decided.decision},
                                                  {"request", decided.message_id},
                                                  {"partner", decided.partner},
                                                  {"reference", decided.reference},
                                                  {"reply", m.id},
                                                  {"on_time", now <= decided.due_at},
                                                  {"reason", decided.reason}}));
      });
}

}  // namespace entente::service
