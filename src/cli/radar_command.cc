// The release radar and its checklists from the command line:
//   entente radar --dir D [--days N | --from DATE --to DATE] --justification TEXT
//       releases and leaves in the window, one row per event (--format table|csv|json);
//   entente checklist prepare --dir D --subject ID --event-date DATE --justification TEXT
//       the standard release-preparation checklist of one event (created once), its tasks;
//   entente checklist set TASK STATUS --dir D --justification TEXT
//       a task's status: open, in_progress, done or cancelled.

#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/listing.h"
#include "cli/session.h"
#include "model/date.h"
#include "service/radar.h"

namespace entente::cli {
namespace {

struct RadarCommandOptions {
  NodeOptions node;
  int days = 90;
  std::string from;
  std::string to;
};

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : "|") + value;
  return out;
}

nlohmann::json TextOrNull(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

int RunRadar(const RadarCommandOptions& options) {
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const model::PartialDate today = session->caller.context.today;
  std::string from = options.from.empty() ? today.ToString() : options.from;
  std::string to = options.to;
  if (to.empty()) {
    auto start = model::PartialDate::Parse(from);
    if (!start.ok() || start->precision() != model::PartialDate::Precision::kDay) {
      return ReportFailure(InvalidArgument("--from " + from + ": expected YYYY-MM-DD"));
    }
    to = model::PartialDate::FromEpochDays(start->ToEpochDays() + options.days).ToString();
  }
  auto radar = service::ReadRadar(*session->node->store, session->caller, from, to);
  if (!radar.ok()) return ReportFailure(radar.status());
  Listing listing({{"date"},
                   {"end"},
                   {"kind"},
                   {"subject_id"},
                   {"name", 32},
                   {"owner"},
                   {"threat"},
                   {"categories", 40},
                   {"tasks"},
                   {"overdue"},
                   {"note", 40}});
  for (const service::RadarEntry& e : radar->entries) {
    if (e.withheld) {
      // A hit/no-hit answer: the event and the subject id only.
      listing.Add({e.event.start_date, TextOrNull(e.event.end_date), e.event.kind,
                   e.event.subject_id, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                   "withheld (" + e.withheld_rule + "): ask its owner"});
      continue;
    }
    std::string note;
    if (e.not_for_judicial_use) note = "H1: not for judicial use";
    if (!e.restriction.empty()) note += (note.empty() ? "" : "; ") + ("H3: " + e.restriction);
    listing.Add({e.event.start_date, TextOrNull(e.event.end_date), e.event.kind, e.event.subject_id,
                 e.name, e.owner_agency, TextOrNull(e.threat_level), Join(e.categories),
                 static_cast<int64_t>(e.checklist.size()), e.overdue_tasks, TextOrNull(note)});
  }
  listing.Print(std::cout, session->format);
  std::cerr << "entente: radar " << radar->from << " to " << radar->to << ": "
            << radar->entries.size() << " events, " << radar->overdue_tasks << " overdue tasks";
  if (radar->left_out > 0) std::cerr << ", " << radar->left_out << " restricted left out";
  std::cerr << " (entente checklist prepare|set for the tasks)\n";
  return 0;
}

void PrintTasks(const std::vector<store::ChecklistTask>& tasks, const std::string& today,
                OutputFormat format) {
  Listing listing({{"task_id"},
                   {"due"},
                   {"task"},
                   {"owner"},
                   {"status"},
                   {"overdue"},
                   {"subject_id"},
                   {"event_date"},
                   {"updated"}});
  for (const store::ChecklistTask& t : tasks) {
    const bool open =
        t.status == store::TaskStatus::kOpen || t.status == store::TaskStatus::kInProgress;
    listing.Add({t.id, t.due_date, t.task, t.owner_agency,
                 std::string(store::TaskStatusCode(t.status)), open && t.due_date < today,
                 t.subject_id, t.event_date, TimeCell(t.updated_at)});
  }
  listing.Print(std::cout, format);
}

struct PrepareOptions {
  NodeOptions node;
  std::string subject;
  std::string event_date;
};

int RunPrepare(const PrepareOptions& o) {
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto tasks =
      service::PrepareChecklist(*session->node->store, session->caller, o.subject, o.event_date);
  if (!tasks.ok()) return ReportFailure(tasks.status());
  PrintTasks(*tasks, session->caller.context.today.ToString(), session->format);
  return 0;
}

struct SetOptions {
  NodeOptions node;
  int64_t task = 0;
  std::string status;
};

int RunSet(const SetOptions& o) {
  auto session = OpenSession(o.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  const auto status = store::ParseTaskStatus(o.status);
  if (!status) {
    return UsageError("STATUS " + o.status + ": expected open, in_progress, done or cancelled");
  }
  auto task = service::UpdateTask(*session->node->store, session->caller, o.task, *status);
  if (!task.ok()) return ReportFailure(task.status());
  PrintTasks({*task}, session->caller.context.today.ToString(), session->format);
  return 0;
}

}  // namespace

void AddRadarCommand(CLI::App& app, int* exit_code) {
  {
    auto options = std::make_shared<RadarCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "radar", "Releases and leaves from prison in a window, with their checklists");
    AddNodeOptions(cmd, &options->node, kJustified | kListing);
    CLI::Option* days = cmd->add_option("--days", options->days,
                                        "the window: from --from (default today) and N days on")
                            ->check(CLI::Range(0, 3660))
                            ->capture_default_str();
    cmd->add_option("--from", options->from, "first day of the window, YYYY-MM-DD (default today)");
    cmd->add_option("--to", options->to, "last day of the window, YYYY-MM-DD")->excludes(days);
    cmd->callback([options, exit_code] { *exit_code = RunRadar(*options); });
  }
  CLI::App* checklist = app.add_subcommand(
      "checklist", "Release-preparation checklists: prepare one, set a task's status");
  checklist->require_subcommand(1);
  {
    auto o = std::make_shared<PrepareOptions>();
    CLI::App* cmd = checklist->add_subcommand(
        "prepare", "The standard checklist of one release or leave (created once) and its tasks");
    AddNodeOptions(cmd, &o->node, kJustified | kListing);
    cmd->add_option("--subject", o->subject, "the subject (S-...)")->required();
    cmd->add_option("--event-date", o->event_date, "the release or leave's start, YYYY-MM-DD")
        ->required();
    cmd->callback([o, exit_code] { *exit_code = RunPrepare(*o); });
  }
  {
    auto o = std::make_shared<SetOptions>();
    CLI::App* cmd = checklist->add_subcommand("set", "Set a checklist task's status");
    AddNodeOptions(cmd, &o->node, kJustified | kListing);
    cmd->add_option("task", o->task, "the task's number (task_id)")->required();
    cmd->add_option("status", o->status, "open, in_progress, done or cancelled")->required();
    cmd->callback([o, exit_code] { *exit_code = RunSet(*o); });
  }
}

}  // namespace entente::cli
