#include "cli/commands.h"

#include "cli/hit_commands.h"

#include <iostream>

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
  AddDemoCommand(app, exit_code);
}

int ReportFailure(const Status& status) {
  std::cerr << "entente: " << status.message() << "\n";
  return StatusToExitCode(status);
}

}  // namespace entente::cli
