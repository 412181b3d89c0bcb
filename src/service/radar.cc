#include "service/radar.h"

#include <nlohmann/json.hpp>

#include "model/date.h"
#include "service/subject_access.h"

namespace entente::service {
namespace {

Result<model::PartialDate> ParseDay(std::string_view text, std::string_view what) {
  auto date = model::PartialDate::Parse(text);
  if (!date.ok() || date->precision() != model::PartialDate::Precision::kDay) {
    return InvalidArgument(std::string(what) + ": expected a full date YYYY-MM-DD, got \"" +
                           std::string(text) + "\"");
  }
  return *date;
}

}  // namespace

bool IsOverdue(const store::ChecklistTask& task, std::string_view today) {
  return task.due_date < today && task.status != store::TaskStatus::kDone &&
         task.status != store::TaskStatus::kCancelled;
}

Result<Radar> ReadRadar(store::Store& store, const Caller& caller, std::string_view from,
                        std::string_view to) {
  ENTENTE_ASSIGN_OR_RETURN(const model::PartialDate from_day, ParseDay(from, "from"));
  ENTENTE_ASSIGN_OR_RETURN(const model::PartialDate to_day, ParseDay(to, "to"));
  if (to_day.ToEpochDays() < from_day.ToEpochDays()) {
    return InvalidArgument("the window ends (" + std::string(to) + ") before it starts (" +
                           std::string(from) + ")");
  }
  const std::string today = caller.context.today.ToString();
  const std::string window = nlohmann::json({{"from", from}, {"to", to}}).dump();
  Radar radar;
  Access access{.action = policy::Action::kReadRadar, .subject_id = {}, .details_json = window};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        radar = Radar{};
        radar.from = std::string(from);
        radar.to = std::string(to);
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::CustodyEvent> events,
                                 txn.subjects().CustodyBetween(from, to));
        std::vector<std::string> shown, withheld, left_out;
        for (store::CustodyEvent& event : events) {
          auto subject = txn.subjects().Get(event.subject_id);
          if (!subject.ok()) return subject.status();
          const policy::Decision decision =
              DecideOnSubject(caller, policy::Action::kReadRadar, *subject);
          RadarEntry entry;
          entry.event = std::move(event);
          if (!decision.allowed) {
            if (decision.rule != policy::Rule::kMinorDesignation) {
              ++radar.left_out;
              left_out.push_back(subject->entity.id);
              continue;
            }
            entry.withheld = true;
            entry.withheld_rule = std::string(policy::RuleName(decision.rule));
            entry.event.establishment.clear();
            withheld.push_back(subject->entity.id);
            radar.entries.push_back(std::move(entry));
            continue;
          }
          const model::Entity& entity = subject->entity;
          entry.name = std::string(entity.First("name"));
          entry.owner_agency = subject->owner_agency;
          entry.threat_level = std::string(entity.First("threatLevel"));
          entry.categories = entity.Values("category");
          entry.not_for_judicial_use = decision.not_for_judicial_use;
          entry.restriction = decision.restriction_to_show;
          ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ChecklistTask> tasks,
                                   txn.tasks().Of(entity.id));
          for (store::ChecklistTask& task : tasks) {
            if (task.event_date != entry.event.start_date) continue;
            const bool overdue = IsOverdue(task, today);
            entry.overdue_tasks += overdue ? 1 : 0;
            entry.checklist.push_back({std::move(task), overdue});
          }
          radar.overdue_tasks += entry.overdue_tasks;
          shown.push_back(entity.id);
          radar.entries.push_back(std::move(entry));
        }
        ENTENTE_RETURN_IF_ERROR(
            AuditEachSubject(txn, caller, policy::Action::kReadRadar, shown, window, "allowed"));
        ENTENTE_RETURN_IF_ERROR(AuditEachSubject(txn, caller, policy::Action::kReadRadar, withheld,
                                                 window,
                                                 "refused: minor_designation; hit/no-hit only"));
        return AuditEachSubject(txn, caller, policy::Action::kReadRadar, left_out, window,
                                "refused: left out");
      });
  if (!status.ok()) return status;
  return radar;
}

Result<std::vector<store::ChecklistTask>> PrepareChecklist(store::Store& store,
                                                           const Caller& caller,
                                                           std::string_view subject_id,
                                                           std::string_view event_date) {
  ENTENTE_ASSIGN_OR_RETURN(const model::PartialDate event_day, ParseDay(event_date, "event date"));
  std::vector<store::ChecklistTask> tasks;
  Access access{.action = policy::Action::kManageChecklistTask,
                .subject_id = std::string(subject_id),
                .details_json = nlohmann::json({{"prepare_checklist", event_date}}).dump()};
  Status status =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        tasks.clear();
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::CustodyEvent> events,
                                 txn.subjects().CustodyOf(subject_id));
        bool found = false;
        for (const auto& event : events) found |= event.start_date == event_date;
        if (!found) {
          return NotFound("subject " + std::string(subject_id) + " has no release or leave on " +
                          std::string(event_date));
        }
        ENTENTE_ASSIGN_OR_RETURN(std::vector<store::ChecklistTask> existing,
                                 txn.tasks().Of(subject_id));
        for (auto& task : existing) {
          if (task.event_date == event_date) tasks.push_back(std::move(task));
        }
        if (!tasks.empty()) return Status::Ok();
        for (const StandardTask& standard : kStandardChecklist) {
          store::ChecklistTask task;
          task.subject_id = std::string(subject_id);
          task.event_date = std::string(event_date);
          task.task = std::string(standard.task);
          task.owner_agency = caller.context.node_country + "/" +
                              std::string(model::AgencyKindCode(standard.agency));
          task.due_date =
              model::PartialDate::FromEpochDays(event_day.ToEpochDays() - standard.days_before)
                  .ToString();
          ENTENTE_ASSIGN_OR_RETURN(task.id, txn.tasks().Add(task));
          tasks.push_back(std::move(task));
        }
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return tasks;
}

Result<store::ChecklistTask> UpdateTask(store::Store& store, const Caller& caller, int64_t task_id,
                                        store::TaskStatus status) {
  ENTENTE_ASSIGN_OR_RETURN(const store::ChecklistTask before, store.tasks().Get(task_id));
  store::ChecklistTask after;
  Access access{.action = policy::Action::kManageChecklistTask,
                .subject_id = before.subject_id,
                .details_json = nlohmann::json({{"task", task_id},
                                                {"from", store::TaskStatusCode(before.status)},
                                                {"to", store::TaskStatusCode(status)}})
                                    .dump()};
  Status outcome =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        ENTENTE_ASSIGN_OR_RETURN(after, txn.tasks().Get(task_id));
        after.status = status;
        return txn.tasks().Update(after);
      });
  if (!outcome.ok()) return outcome;
  return store.tasks().Get(task_id);
}

}  // namespace entente::service
