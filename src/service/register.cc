#include "service/register.h"

#include <sodium.h>
#include <nlohmann/json.hpp>

#include <optional>

#include "common/check.h"
#include "common/json.h"
#include "common/time_format.h"
#include "common/utf8.h"
#include "model/validation.h"
#include "policy/subject_facts.h"
#include "service/record_notices.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

Status ValidationError(const model::Entity& entity) {
  const std::vector<model::FieldProblem> problems = model::ValidateEntity(entity);
  if (problems.empty()) return Status::Ok();
  std::string message;
  for (const auto& p : problems) {
    if (!message.empty()) message += "; ";
    message += p.field;
    if (p.value_index >= 0) message += "[" + std::to_string(p.value_index) + "]";
    message += ": " + p.message;
  }
  return InvalidArgument(message);
}

std::string NewSubjectId(std::string_view country) {
  unsigned char bytes[6];
  randombytes_buf(bytes, sizeof bytes);
  std::string id(country);
  id += '-';
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xF];
  }
  return id;
}

}  // namespace

Result<std::string> Register::CreateSubject(const Caller& caller, model::Entity entity) {
  if (entity.id.empty()) entity.id = NewSubjectId(caller.context.node_country);
  ENTENTE_RETURN_IF_ERROR(ValidationError(entity));
  ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, policy::SubjectFactsFromEntity(entity));
  Access access{policy::Action::kWriteSubject, entity.id, &facts,
                nlohmann::json({{"operation", "create"}}).dump()};
  ENTENTE_RETURN_IF_ERROR(
      RunAudited(store_, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        return txn.subjects().Put(entity, store::kNewSubject).status();
      }));
  if (index_ != nullptr)
    (void)index_->CatchUp();  // the write is committed; the next screening catches up anyway
  return entity.id;
}

Result<int64_t> Register::UpdateSubject(const Caller& caller, const model::Entity& entity,
                                        int64_t expected_version) {
  ENTENTE_RETURN_IF_ERROR(ValidationError(entity));
  // Both the stored subject (who may change it) and the new one (whom it will belong to) must
  // pass.
  ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, policy::SubjectFactsFromEntity(entity));
  const policy::Decision after =
      policy::Authorize(caller.principal, policy::Action::kWriteSubject, &facts, caller.context);
  if (!after.allowed) return after.ToStatus();
  // Decide what the update changes (named in the audit entry, for the subject's history), then
  // apply it only if the subject is still the one compared with; else decide again.
  int64_t version = 0;
  for (int attempt = 0;; ++attempt) {
    nlohmann::json details = {{"operation", "update"}};
    int64_t compared = 0;
    Result<store::Subject> stored = store_.subjects().Get(entity.id);
    if (stored.ok()) {
      compared = stored->version;
      details["from_version"] = compared;
      details["changed"] = model::ChangedProperties(stored->entity, entity);
    }
    bool moved = false;
    Access access{policy::Action::kWriteSubject, entity.id, nullptr, details.dump()};
    const Status status =
        RunAudited(store_, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
          ENTENTE_ASSIGN_OR_RETURN(store::Subject before, txn.subjects().Get(entity.id));
          if (expected_version == store::kAnyVersion && before.version != compared) {
            moved = true;
            return FailedPrecondition("subject " + entity.id +
                                      " changed while it was being updated; try again");
          }
          ENTENTE_ASSIGN_OR_RETURN(version, txn.subjects().Put(entity, expected_version));
          return NotifyChange(txn, caller,
                              {federation::RecordNoticeKind::kCorrection, entity.id,
                               before.owner_agency, &entity, &caller});
        });
    if (moved && attempt < 3) continue;
    ENTENTE_RETURN_IF_ERROR(status);
    break;
  }
  if (index_ != nullptr) (void)index_->CatchUp();
  return version;
}

Result<StateChange> Register::SetSubjectState(const Caller& caller, std::string_view id,
                                              store::SubjectState target, std::string_view reason) {
  ENTENTE_CHECK(target != store::SubjectState::kActive);
  const bool erase = target == store::SubjectState::kErased;
  if (reason.find_first_not_of(" \t") == std::string_view::npos) {
    return InvalidArgument("reason: state why the subject is " +
                           std::string(erase ? "erased" : "restricted"));
  }
  // Decide: an erasure confirms a live request of another supervisor, or is a request itself.
  std::optional<store::ErasureRequest> pending;
  if (erase) {
    Result<store::ErasureRequest> found = store_.subjects().PendingErasure(id);
    const int64_t oldest = clock_.NowMicros() - kErasureRequestDays * 86'400'000'000;
    if (found.ok() && found->requested_at >= oldest) pending = *found;
    if (pending && pending->requested_by == caller.principal.user_id) {
      return FailedPrecondition("the erasure of subject " + std::string(id) +
                                " that you asked for on " + FormatIsoTime(pending->requested_at) +
                                " waits for a second supervisor: the one who asks cannot confirm");
    }
  }
  nlohmann::json details = {{"reason", reason}};
  if (!erase) {
    details["operation"] = "restrict";
  } else if (!pending) {
    details["operation"] = "request_erasure";
  } else {
    details["operation"] = "erase";
    details["requested_by"] = pending->requested_by;
    details["requested_at"] = FormatIsoTime(pending->requested_at);
    details["request_reason"] = pending->reason;
  }
  Access access{erase ? policy::Action::kEraseSubject : policy::Action::kRestrictSubject,
                std::string(id), nullptr, DumpJson(details)};
  // Apply, after checking in the transaction that what was decided on still holds.
  ENTENTE_RETURN_IF_ERROR(
      RunAudited(store_, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, txn.subjects().Get(id));
        if (subject.state == store::SubjectState::kErased || (subject.state == target)) {
          return FailedPrecondition(
              "subject " + std::string(id) + " is already " +
              (subject.state == store::SubjectState::kErased ? "erased" : "restricted"));
        }
        const RecordChange change{erase ? federation::RecordNoticeKind::kErasure
                                        : federation::RecordNoticeKind::kRestriction,
                                  std::string(id), subject.owner_agency, nullptr, &caller};
        if (!erase) {
          ENTENTE_RETURN_IF_ERROR(txn.subjects().SetState(id, target));
          return NotifyChange(txn, caller, change);
        }
        if (!pending) {
          return txn.subjects().RequestErasure({std::string(id), caller.principal.user_id,
                                                caller.principal.agency.ToString(),
                                                std::string(reason), 0});
        }
        Result<store::ErasureRequest> still = txn.subjects().PendingErasure(id);
        if (!still.ok() || *still != *pending) {
          return FailedPrecondition("the erasure request of subject " + std::string(id) +
                                    " changed meanwhile; try again");
        }
        ENTENTE_RETURN_IF_ERROR(txn.subjects().Erase(id));
        return NotifyChange(txn, caller, change);
      }));
  if (index_ != nullptr) (void)index_->CatchUp();
  return erase && !pending ? StateChange::kErasureRequested : StateChange::kApplied;
}

Status Register::NotifyChange(store::WriteTxn& txn, const Caller& caller,
                              const RecordChange& change) {
  if (notice_keys_ == nullptr) return Status::Ok();
  return NotifyPastRecipients(txn, *notice_keys_, clock_.NowMicros(), Sender::Of(caller), change)
      .status();
}

Status Register::WithdrawErasure(const Caller& caller, std::string_view id,
                                 std::string_view reason) {
  if (reason.find_first_not_of(" \t") == std::string_view::npos) {
    return InvalidArgument("reason: state why the erasure is withdrawn");
  }
  Access access{policy::Action::kEraseSubject, std::string(id), nullptr,
                DumpJson({{"operation", "withdraw_erasure"}, {"reason", reason}})};
  return RunAudited(store_, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
    return txn.subjects().WithdrawErasure(id);
  });
}

Result<SubjectView> Register::GetSubject(const Caller& caller, std::string_view id) {
  SubjectView view;
  Access access{policy::Action::kReadSubject, std::string(id)};
  ENTENTE_RETURN_IF_ERROR(RunAudited(
      store_, caller, access, [&](store::WriteTxn& txn, const policy::Decision& decision) {
        ENTENTE_ASSIGN_OR_RETURN(view.subject, txn.subjects().Get(id));
        view.not_for_judicial_use = decision.not_for_judicial_use;
        view.restriction = decision.restriction_to_show;
        return Status::Ok();
      }));
  return view;
}

namespace {

// What was searched, as submitted, for the audit ("who looked for X?"): the query's names,
// dates, nationalities and identifiers, each value valid UTF-8 and at most 200 bytes, at most
// 10 values a property, so that a request cannot swell the log.
nlohmann::json QueryForAudit(const model::Entity& query) {
  constexpr size_t kMaxBytes = 200;
  constexpr size_t kMaxValues = 10;
  nlohmann::json out = {{"schema", model::SchemaName(query.schema)}};
  for (const char* property : {"name", "alias", "firstName", "middleName", "lastName", "weakAlias",
                               "previousName", "birthDate", "gender", "nationality", "citizenship",
                               "country", "idNumber", "passportNumber", "phone", "email"}) {
    const auto& values = query.Values(property);
    if (values.empty()) continue;
    nlohmann::json list = nlohmann::json::array();
    for (size_t i = 0; i < values.size() && i < kMaxValues; ++i) {
      std::string value = SanitizeUtf8(values[i]);
      if (value.size() > kMaxBytes) {
        size_t cut = kMaxBytes;
        while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
        value.resize(cut);
      }
      list.push_back(std::move(value));
    }
    out[property] = std::move(list);
  }
  return out;
}

nlohmann::json FilterForAudit(const model::SubjectFilter& filter) {
  nlohmann::json out = nlohmann::json::object();
  if (!filter.category.empty()) out["category"] = filter.category;
  if (!filter.owner_agency.empty()) out["owner_agency"] = filter.owner_agency;
  if (!filter.nationality.empty()) out["nationality"] = filter.nationality;
  if (filter.custody != model::CustodyFilter::kAny) {
    out["custody"] = filter.custody == model::CustodyFilter::kHeld ? "held" : "not_held";
  }
  if (!filter.handling_code.empty()) out["handling_code"] = filter.handling_code;
  return out;
}

}  // namespace

Result<std::vector<ScreenHit>> Register::Screen(const Caller& caller,
                                                const ScreenRequest& request) {
  if (index_ == nullptr) return FailedPrecondition("screening needs the register's index");
  ENTENTE_RETURN_IF_ERROR(index_->CatchUpSoon());
  match::ScreenOptions options;
  options.threshold = request.threshold;
  options.ranked = request.search;
  // Screening reads only the immutable index: it runs outside the write transaction (which
  // serialises writers), and only when the caller may screen at all.
  const policy::Decision screening =
      policy::Authorize(caller.principal, policy::Action::kScreen, nullptr, caller.context);
  std::vector<LiveHit> live;
  if (screening.allowed) live = index_->Screen(request.query, options);
  // The hits are read (committed data, outside any transaction) and filtered by what the
  // caller may see of each; one audit entry names them, kept with the decision to screen.
  std::vector<ScreenHit> hits;
  nlohmann::json audited = nlohmann::json::array();
  for (const LiveHit& candidate : live) {
    if (hits.size() >= request.limit) break;
    Result<store::Subject> subject = store_.subjects().Get(candidate.subject_id);
    if (!subject.ok()) continue;  // deleted since the last catch-up
    Result<policy::SubjectFacts> facts = FactsOfSubject(*subject);
    if (!facts.ok()) continue;
    ScreenHit hit;
    hit.subject_id = subject->entity.id;
    hit.owner_agency = subject->owner_agency;
    hit.score = candidate.probability;
    hit.match = candidate.probability >= request.threshold;
    const policy::Decision full =
        policy::Authorize(caller.principal, policy::Action::kReadSubject, &*facts, caller.context);
    const bool readable = full.allowed && !full.hit_no_hit_only && !screening.hit_no_hit_only;
    // Filters read what the caller may read: a hit/no-hit answer is never filtered, or its
    // presence would tell what the filter asked (and a filtered search lists full answers only).
    if (!request.filter.empty() &&
        (!readable || !model::PassesFilter(subject->entity, subject->owner_agency, request.filter,
                                           caller.context.today.ToString()))) {
      continue;
    }
    if (readable) {
      hit.full = true;
      const auto& names = subject->entity.Values("name");
      hit.caption = names.empty() ? hit.subject_id : names.front();
      hit.explanation = candidate.explanation;
      hit.entity = subject->entity;
    } else {
      const policy::Decision known = policy::Authorize(
          caller.principal, policy::Action::kReadSubjectHitNoHit, &*facts, caller.context);
      if (!known.allowed) continue;  // restricted, erased: no hit
      if (!hit.match) continue;      // a hit/no-hit answer names matches only
    }
    audited.push_back({{"subject", hit.subject_id},
                       {"score", hit.score},
                       {"match", hit.match},
                       {"answer", hit.full ? "full" : "hit_no_hit"}});
    hits.push_back(std::move(hit));
  }
  nlohmann::json details = {{"query", QueryForAudit(request.query)},
                            {"mode", request.search ? "search" : "screen"},
                            {"hits", audited}};
  if (!request.filter.empty()) details["filters"] = FilterForAudit(request.filter);
  Access access{policy::Action::kScreen, "", nullptr, details.dump()};
  const Status status =
      RunAudited(store_, caller, access,
                 [](store::WriteTxn&, const policy::Decision&) { return Status::Ok(); });
  if (!status.ok()) return status;
  return hits;
}

}  // namespace entente::service
