#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "model/vocabulary.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// One task of the standard release-preparation checklist: what, which service, and how many
// days before the release or leave it is due.
struct StandardTask {
  std::string_view task;
  model::AgencyKind agency;
  int days_before;
};

// The standard checklist, one task a line, prepared once per custody event (PrepareChecklist),
// in the order of the store's TasksOf (due date, then creation).
// The lead times follow the order in which the services depend on each other: the prison file
// and risk assessment first, then the judge's conditions, then the intelligence assessment,
// then the police and administration on the ground.
inline constexpr std::array<StandardTask, 8> kStandardChecklist = {{
    {"release file", model::AgencyKind::kPenitentiary, 60},
    {"risk assessment", model::AgencyKind::kPenitentiary, 60},
    {"release conditions", model::AgencyKind::kJudicial, 45},
    {"supervision measures", model::AgencyKind::kJudicial, 30},
    {"threat assessment update", model::AgencyKind::kIntelligence, 30},
    {"residence and identity documents", model::AgencyKind::kAdministration, 30},
    {"local follow-up", model::AgencyKind::kPolice, 14},
    {"address check", model::AgencyKind::kPolice, 14},
}};

// A checklist task as the radar shows it.
struct RadarTask {
  store::ChecklistTask task;
  bool overdue = false;  // due before the caller's today and neither done nor cancelled
  std::vector<store::TaskComment> comments = {};  // oldest first
};

// One release or leave on the radar. When `withheld` the caller may not read the subject (a
// minor without the minors' designation): only the event and the subject id are given, as a
// hit/no-hit answer, and `withheld_rule` names the rule.
struct RadarEntry {
  store::CustodyEvent event;
  bool withheld = false;
  std::string withheld_rule;
  std::string name;
  std::string owner_agency;
  std::string threat_level;
  std::vector<std::string> categories;
  bool not_for_judicial_use = false;  // H1
  std::string restriction;            // H3, in words
  std::vector<RadarTask> checklist;   // the tasks of this event (by event date)
  int overdue_tasks = 0;
};

// The releases and leaves in [from, to], by start date then subject. Restricted and erased
// subjects are left out (counted in left_out).
struct Radar {
  std::string from;
  std::string to;
  std::vector<RadarEntry> entries;
  int64_t left_out = 0;
  int64_t overdue_tasks = 0;
};

// Reads the radar of [from, to] (YYYY-MM-DD, inclusive) for `caller` (policy::kReadRadar, then
// each subject decided on its own). Audited in the transaction that reads it: one entry per
// subject shown, withheld or left out (outcome says which). InvalidArgument for bad dates; the
// caller's refusal (audited) if it may not read the radar at all.
Result<Radar> ReadRadar(store::Store& store, const Caller& caller, std::string_view from,
                        std::string_view to);

// Creates the standard checklist (kStandardChecklist) of the custody event of `subject_id` that
// starts on `event_date`, once: when the event already has tasks they are returned unchanged.
// Whether `task` is overdue on `today` (YYYY-MM-DD): due before it and neither done nor cancelled.
// The radar and every answer that shows a task use this one rule.
bool IsOverdue(const store::ChecklistTask& task, std::string_view today);

// Tasks are owned by the agencies of the node's country and due `days_before` the event; both
// calls return them in the store's order (due date, then id).
// NotFound if the subject has no such event; the caller's refusal (kManageChecklistTask on the
// subject, audited) otherwise. Audited with the ids of the tasks created.
Result<std::vector<store::ChecklistTask>> PrepareChecklist(store::Store& store,
                                                           const Caller& caller,
                                                           std::string_view subject_id,
                                                           std::string_view event_date);

// A change of one checklist task: any of its status, its assignee (who does it, in words; ""
// for nobody) and a comment to add.
struct TaskChange {
  std::optional<store::TaskStatus> status = {};
  std::optional<std::string> assignee = {};
  std::string comment = {};  // "" adds none
};

inline constexpr size_t kMaxAssigneeBytes = 120;
inline constexpr size_t kMaxCommentBytes = 2000;

// Applies `change` to task `task_id` (kManageChecklistTask on its subject), audited with the old
// and new status and assignee and whether a comment was added (not its text, kept with the task
// and erased with the subject). InvalidArgument names the field (status, assignee, comment: too
// long, not UTF-8, control characters; nothing to change); NotFound if there is no such task.
// Returns the task as it is now, with its comments, overdue on the caller's today.
Result<RadarTask> ChangeTask(store::Store& store, const Caller& caller, int64_t task_id,
                             const TaskChange& change);

// Sets the status of task `task_id`: ChangeTask with a status only.
Result<store::ChecklistTask> UpdateTask(store::Store& store, const Caller& caller, int64_t task_id,
                                        store::TaskStatus status);

}  // namespace entente::service
