#include "service/radar.h"

#include <nlohmann/json.hpp>

#include "common/utf8.h"
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

// A text a user typed for a task: valid UTF-8, no control characters but newlines and tabs
// (`multiline`), at most `max_bytes`.
Status CheckTaskText(std::string_view text, std::string_view field, size_t max_bytes,
                     bool multiline) {
  if (text.size() > max_bytes) {
    return InvalidArgument(std::string(field) + ": longer than " + std::to_string(max_bytes) +
                           " bytes");
  }
  if (FindInvalidUtf8(text).has_value()) {
    return InvalidArgument(std::string(field) + ": not valid UTF-8");
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(multiline && (c == '\n' || c == '\t'))) || u == 0x7F) {
      return InvalidArgument(std::string(field) + ": a control character");
    }
  }
  return Status::Ok();
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
            ENTENTE_ASSIGN_OR_RETURN(std::vector<store::TaskComment> comments,
                                     txn.tasks().Comments(task.id));
            entry.checklist.push_back({std::move(task), overdue, std::move(comments)});
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

Result<RadarTask> ChangeTask(store::Store& store, const Caller& caller, int64_t task_id,
                             const TaskChange& change) {
  if (!change.status && !change.assignee && change.comment.empty()) {
    return InvalidArgument("body: nothing to change (status, assignee or comment)");
  }
  if (change.assignee) {
    ENTENTE_RETURN_IF_ERROR(CheckTaskText(*change.assignee, "assignee", kMaxAssigneeBytes, false));
  }
  if (!change.comment.empty()) {
    ENTENTE_RETURN_IF_ERROR(CheckTaskText(change.comment, "comment", kMaxCommentBytes, true));
    if (change.comment.find_first_not_of(" \t\n") == std::string::npos) {
      return InvalidArgument("comment: blank");
    }
  }
  ENTENTE_ASSIGN_OR_RETURN(const store::ChecklistTask before, store.tasks().Get(task_id));
  nlohmann::json details = {{"task", task_id}};
  if (change.status) {
    details["from"] = store::TaskStatusCode(before.status);
    details["to"] = store::TaskStatusCode(*change.status);
  }
  if (change.assignee) {
    details["assignee_from"] = before.assignee;
    details["assignee_to"] = *change.assignee;
  }
  if (!change.comment.empty()) details["comment_added"] = true;
  Access access{.action = policy::Action::kManageChecklistTask,
                .subject_id = before.subject_id,
                .details_json = details.dump()};
  RadarTask out;
  Status outcome =
      RunAudited(store, caller, access, [&](store::WriteTxn& txn, const policy::Decision&) {
        ENTENTE_ASSIGN_OR_RETURN(store::ChecklistTask after, txn.tasks().Get(task_id));
        if (change.status) after.status = *change.status;
        if (change.assignee) after.assignee = *change.assignee;
        ENTENTE_RETURN_IF_ERROR(txn.tasks().Update(after));
        if (!change.comment.empty()) {
          ENTENTE_RETURN_IF_ERROR(
              txn.tasks().AddComment({task_id, 0, caller.principal.user_id,
                                      caller.principal.agency.ToString(), change.comment}));
        }
        ENTENTE_ASSIGN_OR_RETURN(out.task, txn.tasks().Get(task_id));
        ENTENTE_ASSIGN_OR_RETURN(out.comments, txn.tasks().Comments(task_id));
        return Status::Ok();
      });
  if (!outcome.ok()) return outcome;
  out.overdue = IsOverdue(out.task, caller.context.today.ToString());
  return out;
}

Result<store::ChecklistTask> UpdateTask(store::Store& store, const Caller& caller, int64_t task_id,
                                        store::TaskStatus status) {
  ENTENTE_ASSIGN_OR_RETURN(RadarTask changed,
                           ChangeTask(store, caller, task_id, TaskChange{.status = status}));
  return std::move(changed.task);
}

}  // namespace entente::service
