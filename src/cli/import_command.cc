// entente import --dir D FILE: loads a CSV or NDJSON file of subjects into the node's register,
// all or nothing, and lists every bad row.

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "common/clock.h"
#include "service/import_export.h"

namespace entente::cli {
namespace {

struct ImportCommandOptions {
  NodeOptions node;
  std::string file;
  bool no_replace = false;
  size_t max_problems = 1000;
};

int RunImport(const ImportCommandOptions& options) {
  const Clock& clock = SystemClock();
  const int64_t start = clock.MonotonicMicros();
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());
  auto in = OpenInput(options.file);
  if (!in.ok()) return ReportFailure(in.status());

  service::ImportReport report;
  ProgressLine progress("checking " + options.file);
  service::ImportOptions import;
  import.replace = !options.no_replace;
  import.max_problems = options.max_problems;
  import.progress = [&](std::string_view phase, int64_t done) {
    progress.Phase(std::string(phase) + " " + options.file);
  progress.Update(done, 0);
};
const Status status = service::ImportSubjects(*session->node->store, session->caller, **in,
                                              options.file, import, &report);
progress.Finish();
for (const auto& problem : report.problems) std::cout << problem.ToString() << "\n";
if (report.problem_count > static_cast<int64_t>(report.problems.size())) {
  std::cout << options.file << ": ... and "
            << report.problem_count - static_cast<int64_t>(report.problems.size())
            << " more problems\n";
}
std::cout.flush();
if (!status.ok()) return ReportFailure(status);
const double seconds = static_cast<double>(clock.MonotonicMicros() - start) / 1e6;
std::cout << options.file << ": " << report.records << " rows, " << report.created + report.replaced
          << " subjects written (" << report.created << " new, " << report.replaced
          << " replaced) in " << seconds << " s; checksum " << report.checksum << "\n";
return 0;
}  // namespace

}  // namespace entente::cli

void AddImportCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Load subjects from CSV or NDJSON, all or nothing (every bad row listed)");
  cmd->add_option("file", options->file, "CSV (.csv) or NDJSON (.ndjson, .jsonl) file")->required();
  AddNodeOptions(cmd, &options->node, kJustified);
  cmd->add_flag("--no-replace", options->no_replace,
                "refuse rows whose subject is already in the register");
  cmd->add_option("--max-problems", options->max_problems, "problems listed (all are counted)")
      ->capture_default_str();
  cmd->callback([options, exit_code] { *exit_code = RunImport(*options); });
}

}  // namespace entente::cli
