#include "service/review.h"

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/json.h"
#include "policy/subject_facts.h"
#include "service/outgoing.h"
#include "service/record_notices.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

constexpr int kPageSize = 1000;

// The sweep on behalf of `caller`; `authorise` false for the node's own sweep.
Result<SweepReport> Sweep(store::Store& store, const Caller& caller, bool authorise,
                          const model::PartialDate& today, const SweepNotices& notices = {}) {
  SweepReport report;
  const std::string day = today.ToString();
  // Every subject with an action to take has its retention limit before today.
  const std::string yesterday =
      model::PartialDate::FromEpochDays(today.ToEpochDays() - 1).ToString();
  std::string after;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                             store.subjects().PastRetention(yesterday, after, kPageSize));
    for (const std::string& id : ids) {
      std::optional<SweepAction> done;
      bool refused = false;
      policy::Decision refusal;
      Access access;
      Status status = store.Write([&](store::WriteTxn& txn) -> Status {
        done.reset();
        refused = false;
        ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, txn.subjects().Get(id));
        ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, FactsOfSubject(subject));
        const policy::RetentionAction action = policy::RetentionActionOn(facts, today);
        if (action == policy::RetentionAction::kNone) return Status::Ok();
        const bool erase = action == policy::RetentionAction::kErase;
        nlohmann::json details = {{"rule", "retention"},
                                  {"date", day},
                                  {"retention_date", subject.retention_date},
                                  {"state", erase ? "erased" : "restricted"}};
        if (erase) {
          if (auto erasure = policy::ErasureDate(facts))
            details["erasure_date"] = erasure->ToString();
        }
        access = Access{
            .action = erase ? policy::Action::kEraseSubject : policy::Action::kRestrictSubject,
            .subject_id = id,
            .details_json = DumpJson(details)};
        if (authorise) {
          refusal = policy::Authorize(caller.principal, access.action, &facts, caller.context);
          if (!refusal.allowed) {
            refused = true;
            return Status::Ok();
          }
        }
        if (erase) {
          ENTENTE_RETURN_IF_ERROR(txn.subjects().Erase(id));
        } else {
          ENTENTE_RETURN_IF_ERROR(txn.subjects().SetState(id, store::SubjectState::kRestricted));
        }
        ENTENTE_RETURN_IF_ERROR(txn.audit().Append(AuditRecordOf(caller, access, "allowed")));
        if (notices.keys != nullptr) {
          // Partners that received the record in full are told, in the same transaction.
          const RecordChange change{erase ? federation::RecordNoticeKind::kErasure
                                          : federation::RecordNoticeKind::kRestriction,
                                    id, subject.owner_agency, nullptr, nullptr};
          ENTENTE_RETURN_IF_ERROR(
              NotifyPastRecipients(
                  txn, *notices.keys, notices.now,
                  Sender::System(kSweepActor, subject.owner_agency, caller.context.justification),
                  change)
                  .status());
        }
        done = SweepAction{id, action, subject.retention_date};
        return Status::Ok();
      });
      if (!status.ok()) return status;
      if (refused) {
        ++report.refused;
        ENTENTE_RETURN_IF_ERROR(AuditOutcome(
            store, caller, access, "refused: " + std::string(policy::RuleName(refusal.rule))));
      }
      if (done) report.actions.push_back(std::move(*done));
    }
    if (static_cast<int>(ids.size()) < kPageSize) break;
    after = ids.back();
  }
  return report;
}

}  // namespace

Result<std::vector<ReviewItem>> ListOverdueReviews(store::Store& store, const Caller& caller,
                                                   const model::PartialDate& today) {
  const std::string details = nlohmann::json({{"review_list", today.ToString()}}).dump();
  Access access{.action = policy::Action::kReadSubject, .subject_id = {}, .details_json = details};
  const policy::Decision caller_decision =
      policy::AuthorizeCaller(caller.principal, policy::Action::kReadSubject, caller.context);
  if (!caller_decision.allowed) {
    ENTENTE_RETURN_IF_ERROR(AuditOutcome(
        store, caller, access, "refused: " + std::string(policy::RuleName(caller_decision.rule))));
    return caller_decision.ToStatus();
  }
  std::vector<ReviewItem> items;
  Status status = store.Write([&](store::WriteTxn& txn) -> Status {
    items.clear();
    std::vector<std::string> listed;
    std::string after;
    do {
      ENTENTE_ASSIGN_OR_RETURN(store::SubjectPage page, txn.subjects().List(after, kPageSize));
      for (const store::Subject& subject : page.subjects) {
        if (subject.state != store::SubjectState::kActive) continue;
        auto facts = FactsOfSubject(subject);
        if (!facts.ok()) continue;
        const policy::ReviewState state = policy::ReviewStateOn(*facts, today);
        if (state == policy::ReviewState::kNotDue) continue;
        if (!DecideOnSubject(caller, policy::Action::kReadSubject, subject).allowed) continue;
        const auto deadline = policy::ReviewDeadline(*facts, today);
        items.push_back(
            {subject.entity.id, subject.owner_agency, deadline ? deadline->ToString() : "", state});
        listed.push_back(subject.entity.id);
      }
      after = page.next_after;
    } while (!after.empty());
    return AuditEachSubject(txn, caller, policy::Action::kReadSubject, listed, details, "allowed");
  });
  if (!status.ok()) return status;
  std::stable_sort(items.begin(), items.end(), [](const ReviewItem& a, const ReviewItem& b) {
    const bool a_overdue = a.state == policy::ReviewState::kOverdue;
    const bool b_overdue = b.state == policy::ReviewState::kOverdue;
    if (a_overdue != b_overdue) return a_overdue;
    if (a.deadline != b.deadline) return a.deadline < b.deadline;
    return a.subject_id < b.subject_id;
  });
  return items;
}

Result<SweepReport> RunRetentionSweep(store::Store& store, const Caller& caller,
                                      const model::PartialDate& today) {
  return Sweep(store, caller, /*authorise=*/true, today);
}

Result<SweepReport> RunSystemRetentionSweep(store::Store& store, std::string_view node_country,
                                            const model::PartialDate& today,
                                            std::string_view on_behalf_of,
                                            const SweepNotices& notices) {
  Caller system;
  system.principal.user_id = std::string(kSweepActor);
  system.principal.agency.country = std::string(node_country);
  system.principal.agency.kind = policy::Agency::kAdministration;
  system.context.node_country = std::string(node_country);
  system.context.today = today;
  system.context.justification = "retention limit passed: restriction and erasure required by law";
  system.context.case_reference = std::string(on_behalf_of);
  ENTENTE_ASSIGN_OR_RETURN(SweepReport report,
                           Sweep(store, system, /*authorise=*/false, today, notices));
  // And the records received from partners, past the time this node may keep them.
  ENTENTE_ASSIGN_OR_RETURN(report.received_erased,
                           EraseReceivedPastRetention(store, today.ToString()));
  return report;
}

namespace {

// Only the node's administrators and supervisors start or plan the sweep (audited refusal).
Status AdmitSweep(store::Store& store, const Caller& caller, std::string_view operation) {
  const policy::Role role = caller.principal.role;
  const bool allowed = caller.principal.authenticated() &&
                       caller.principal.agency.country == caller.context.node_country &&
                       (role == policy::Role::kAdministrator || role == policy::Role::kSupervisor);
  if (allowed) return Status::Ok();
  const Access access{.action = policy::Action::kRestrictSubject,
                      .subject_id = {},
                      .details_json = DumpJson({{"operation", operation}})};
  ENTENTE_RETURN_IF_ERROR(AuditOutcome(store, caller, access, "refused: role"));
  return PermissionDenied(
      "role: the retention sweep is started by the node's administrators and supervisors (the "
      "node also runs it daily)");
}

}  // namespace

Result<SweepReport> PlanRetentionSweep(store::Store& store, const Caller& caller) {
  ENTENTE_RETURN_IF_ERROR(AdmitSweep(store, caller, "retention_sweep_plan"));
  const model::PartialDate today = caller.context.today;
  const std::string yesterday =
      model::PartialDate::FromEpochDays(today.ToEpochDays() - 1).ToString();
  SweepReport report;
  std::string after;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                             store.subjects().PastRetention(yesterday, after, kPageSize));
    for (const std::string& id : ids) {
      ENTENTE_ASSIGN_OR_RETURN(store::Subject subject, store.subjects().Get(id));
      ENTENTE_ASSIGN_OR_RETURN(policy::SubjectFacts facts, FactsOfSubject(subject));
      const policy::RetentionAction action = policy::RetentionActionOn(facts, today);
      if (action != policy::RetentionAction::kNone) {
        report.actions.push_back({id, action, subject.retention_date});
      }
    }
    if (static_cast<int>(ids.size()) < kPageSize) break;
    after = ids.back();
  }
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ReceivedRecord> received,
                           store.messages().ReceivedPastRetention(today.ToString(), 100000));
  report.received_erased = static_cast<int64_t>(received.size());
  int64_t restrict = 0;
  for (const SweepAction& a : report.actions) {
    restrict += a.action == policy::RetentionAction::kRestrict ? 1 : 0;
  }
  const Access access{.action = policy::Action::kRestrictSubject,
                      .subject_id = {},
                      .details_json = DumpJson(
                          {{"operation", "retention_sweep_plan"},
                           {"date", today.ToString()},
                           {"restrict", restrict},
                           {"erase_received", report.received_erased},
                           {"erase", static_cast<int64_t>(report.actions.size()) - restrict}})};
  ENTENTE_RETURN_IF_ERROR(AuditOutcome(store, caller, access, "allowed"));
  return report;
}

Result<SweepReport> StartRetentionSweep(store::Store& store, const Caller& caller,
                                        const SweepNotices& notices) {
  ENTENTE_RETURN_IF_ERROR(AdmitSweep(store, caller, "retention_sweep"));
  return RunSystemRetentionSweep(store, caller.context.node_country, caller.context.today,
                                 caller.principal.user_id, notices);
}

}  // namespace entente::service
