// entente import --dir D FILE: loads a CSV or NDJSON file of subjects into the node's register,
// all or nothing, and lists every bad row.

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/node_access.h"
#include "common/clock.h"
#include "service/import_export.h"

namespace entente::cli {
namespace {

struct ImportCommandOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string file;
  std::string justification;
  std::string case_reference;
  bool no_replace = false;
  size_t max_problems = 1000;
};

int RunImport(const ImportCommandOptions& options) {
  const Clock& clock = SystemClock();
  const int64_t start = clock.MonotonicMicros();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  caller->context.justification = options.justification;
  caller->context.case_reference = options.case_reference;
  auto in = OpenInput(options.file);
  if (!in.ok()) return ReportFailure(in.status());

  service::ImportReport report;
  const Status status = service::ImportSubjects(
      *(*node)->store, *caller, **in, options.file,
      {.replace = !options.no_replace, .max_problems = options.max_problems}, &report);
  for (const auto& problem : report.problems) std::cout << problem.ToString() << "\n";
  if (report.problem_count > static_cast<int64_t>(report.problems.size())) {
    std::cout << options.file << ": ... and "
              << report.problem_count - static_cast<int64_t>(report.problems.size())
              << " more problems\n";
  }
  std::cout.flush();
  if (!status.ok()) return ReportFailure(status);
  const double seconds = static_cast<double>(clock.MonotonicMicros() - start) / 1e6;
  std::cout << options.file << ": " << report.records << " rows, "
            << report.created + report.replaced << " subjects written (" << report.created
            << " new, " << report.replaced << " replaced) in " << seconds << " s; checksum "
            << report.checksum << "\n";
  return 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ImportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Load a CSV or NDJSON file of subjects into the node's register, all or nothing: every bad "
      "row is listed by file:line:column: field and nothing is written (supervisors, "
      "administrators)");
  cmd->add_option("file", options->file, "CSV (.csv) or NDJSON (.ndjson, .jsonl) file")->required();
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", options->token_file,
                  "the acting user's token (default: $ENTENTE_TOKEN, else DIR/admin.token)");
  cmd->add_option("--justification", options->justification, "why (at least 10 characters)")
      ->required();
  cmd->add_option("--case", options->case_reference, "case reference");
  cmd->add_flag("--no-replace", options->no_replace,
                "refuse rows whose subject is already in the register");
  cmd->add_option("--max-problems", options->max_problems, "problems listed (all are counted)")
      ->capture_default_str();
  cmd->callback([options, exit_code] { *exit_code = RunImport(*options); });
}

}  // namespace entente::cli
