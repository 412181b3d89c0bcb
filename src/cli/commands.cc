#include "cli/commands.h"

#include "cli/hit_commands.h"

#include <algorithm>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace entente::cli {

void AddCommands(CLI::App& app, int* exit_code) {
  AddValidateCommand(app, exit_code);
  AddConvertCommand(app, exit_code);
  AddSynthCommand(app, exit_code);
  AddScreenCommand(app, exit_code);
  AddEvalCommand(app, exit_code);
  AddCompareCommand(app, exit_code);
  AddTrainCommand(app, exit_code);
  AddNodeCommand(app, exit_code);
  AddUserCommand(app, exit_code);
  AddAuditCommand(app, exit_code);
  AddImportCommand(app, exit_code);
  AddExportCommand(app, exit_code);
  AddRadarCommand(app, exit_code);
  AddReviewCommand(app, exit_code);
  AddServeCommand(app, exit_code);
  AddExchangeCommands(app, exit_code);
  AddHitCommands(app, exit_code);
  AddSubjectCommands(app, exit_code);
  AddDemoCommand(app, exit_code);
  AddBackupCommands(app, exit_code);
  // `entente --help` lists the commands by who uses them.
  const std::pair<const char*, std::vector<std::string>> groups[] = {
      {"The register (analysts, supervisors)",
       {"subject", "search", "network", "import", "export", "radar", "checklist", "review"}},
      {"Exchange with partners",
       {"send", "message", "cases", "ack", "notices", "stats", "hits", "followup", "followups",
        "decide"}},
      {"Oversight (auditors, data-protection officers)", {"audit"}},
      {"The node (administrators)",
       {"node", "user", "partner", "index", "outbox", "deliver", "serve", "backup", "restore"}},
      {"Files, matching and demonstration (no node needed)",
       {"validate", "convert", "synth", "screen", "eval", "compare", "train", "demo"}},
  };
  for (CLI::App* cmd : app.get_subcommands([](CLI::App*) { return true; })) {
    for (const auto& [group, names] : groups) {
      if (std::find(names.begin(), names.end(), cmd->get_name()) != names.end()) cmd->group(group);
    }
  }
}

int ReportParseError(CLI::App& app, const CLI::ParseError& error) {
  if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
  // The command reached: the deepest one parsed.
  CLI::App* deepest = &app;
  std::string path = "entente";
  while (!deepest->get_subcommands().empty()) {
    deepest = deepest->get_subcommands().front();
    path += " " + deepest->get_name();
  }
  const std::vector<std::string> rest = deepest->remaining();
  const std::vector<CLI::App*> choices =
      deepest->get_subcommands([](CLI::App* c) { return !c->get_name().empty(); });
  if (!rest.empty() && !choices.empty() && !rest.front().empty() && rest.front()[0] != '-') {
    std::string names;
    for (const CLI::App* c : choices) names += (names.empty() ? "" : ", ") + c->get_name();
    std::cerr << "entente: unknown command '" << rest.front() << "' for '" << path
              << "'; the commands are: " << names << " (" << path << " --help)\n";
    return 2;
  }
  if (!rest.empty() && rest.front().size() > 1 && rest.front()[0] == '-') {
    std::cerr << "entente: unknown option '" << rest.front() << "' for '" << path << "' (" << path
              << " --help lists its options)\n";
    return 2;
  }
  std::cerr << "entente: " << error.what() << " (" << path << " --help)\n";
  return 2;
}

int ReportFailure(const Status& status) {
  std::cerr << "entente: " << status.message() << "\n";
  return StatusToExitCode(status);
}

int UsageError(const std::string& message) {
  std::cerr << "entente: " << message << "\n";
  return 2;
}

}  // namespace entente::cli
