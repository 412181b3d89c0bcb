// entente radar --dir D: releases and leaves of the coming days with their checklists.

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/node_access.h"
#include "common/clock.h"
#include "model/date.h"
#include "service/radar.h"

namespace entente::cli {
namespace {

struct RadarCommandOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  int days = 90;
  std::string justification;
  std::string case_reference;
  bool json = false;
};

std::string Join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& value : values) out += (out.empty() ? "" : "|") + value;
  return out;
}

nlohmann::json RadarJson(const service::Radar& radar) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& entry : radar.entries) {
    nlohmann::json tasks = nlohmann::json::array();
    for (const auto& item : entry.checklist) {
      tasks.push_back({{"id", item.task.id},
                       {"task", item.task.task},
                       {"owner_agency", item.task.owner_agency},
                       {"status", store::TaskStatusCode(item.task.status)},
                       {"due_date", item.task.due_date},
                       {"overdue", item.overdue}});
    }
    nlohmann::json out = {{"subject_id", entry.event.subject_id},
                          {"kind", entry.event.kind},
                          {"start_date", entry.event.start_date},
                          {"end_date", entry.event.end_date},
                          {"withheld", entry.withheld}};
    if (entry.withheld) {
      out["withheld_rule"] = entry.withheld_rule;
    } else {
      out["establishment"] = entry.event.establishment;
      out["name"] = entry.name;
      out["owner_agency"] = entry.owner_agency;
      out["threat_level"] = entry.threat_level;
      out["categories"] = entry.categories;
      out["not_for_judicial_use"] = entry.not_for_judicial_use;
      if (!entry.restriction.empty()) out["restriction"] = entry.restriction;
      out["checklist"] = tasks;
      out["overdue_tasks"] = entry.overdue_tasks;
    }
    entries.push_back(out);
  }
  return {{"from", radar.from},
          {"to", radar.to},
          {"entries", entries},
          {"left_out", radar.left_out},
          {"overdue_tasks", radar.overdue_tasks}};
}

void PrintTable(const service::Radar& radar) {
  std::cout << "Release radar " << radar.from << " to " << radar.to << ": " << radar.entries.size()
            << " events, " << radar.overdue_tasks << " overdue tasks";
  if (radar.left_out > 0) std::cout << ", " << radar.left_out << " restricted left out";
  std::cout << "\n";
  std::cout << std::left << std::setw(12) << "date" << std::setw(16) << "kind" << std::setw(14)
            << "subject" << std::setw(28) << "name" << std::setw(20) << "owner" << std::setw(7)
            << "threat"
            << "categories\n";
  for (const auto& entry : radar.entries) {
    std::cout << std::setw(12) << entry.event.start_date << std::setw(16) << entry.event.kind
              << std::setw(14) << entry.event.subject_id;
    if (entry.withheld) {
      std::cout << "(withheld: " << entry.withheld_rule << "; hit only)\n";
      continue;
    }
    std::cout << std::setw(28) << entry.name.substr(0, 27) << std::setw(20) << entry.owner_agency
              << std::setw(7) << entry.threat_level << Join(entry.categories)
              << (entry.not_for_judicial_use ? "  [H1: not for judicial use]" : "") << "\n";
    if (!entry.restriction.empty()) std::cout << "    restriction: " << entry.restriction << "\n";
    for (const auto& item : entry.checklist) {
      std::cout << "    " << (item.overdue ? "OVERDUE " : "        ") << item.task.due_date << "  "
                << std::setw(34) << item.task.task << std::setw(24) << item.task.owner_agency
                << store::TaskStatusCode(item.task.status) << "  (task " << item.task.id << ")\n";
    }
  }
}

int RunRadar(const RadarCommandOptions& options) {
  const Clock& clock = SystemClock();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  caller->context.justification = options.justification;
  caller->context.case_reference = options.case_reference;
  const model::PartialDate today = caller->context.today;
  const std::string to =
      model::PartialDate::FromEpochDays(today.ToEpochDays() + options.days).ToString();
  auto radar = service::ReadRadar(*(*node)->store, *caller, today.ToString(), to);
  if (!radar.ok()) return ReportFailure(radar.status());
  if (options.json) {
    std::cout << RadarJson(*radar).dump(2) << "\n";
  } else {
    PrintTable(*radar);
  }
  return 0;
}

}  // namespace

void AddRadarCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RadarCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "radar",
      "Releases and leaves from prison in the coming days, with their release-preparation "
      "checklists and overdue tasks (analysts, supervisors)");
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", options->token_file,
                  "the acting user's token (default: $ENTENTE_TOKEN, else DIR/admin.token)");
  cmd->add_option("--days", options->days, "the window: today and the next N days")
      ->check(CLI::Range(0, 3660))
      ->capture_default_str();
  cmd->add_option("--justification", options->justification, "why (at least 10 characters)")
      ->required();
  cmd->add_option("--case", options->case_reference, "case reference");
  cmd->add_flag("--json", options->json, "print JSON instead of a table");
  cmd->callback([options, exit_code] { *exit_code = RunRadar(*options); });
}

}  // namespace entente::cli
