// entente validate FILE...: reports every problem in entity files and exits non-zero if any.

#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "model/entity_format.h"
#include "model/stream_check.h"

namespace entente::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  size_t max_problems = 1000;
};

int RunValidate(const ValidateOptions& options) {
  bool any_problem = false;
  for (const auto& path : options.files) {
    auto format = model::FormatFromPath(path);
    if (!format.ok()) return ReportFailure(format.status());
    auto in = OpenInput(path);
    if (!in.ok()) return ReportFailure(in.status());
    auto reader = model::MakeEntityReader(*format, **in, path);
    auto report = model::CheckEntityStream(*reader, path, options.max_problems, {});
    if (!report.ok()) return ReportFailure(report.status());
    for (const auto& problem : report->problems) std::cout << problem.ToString() << "\n";
    if (report->problem_count > static_cast<int64_t>(report->problems.size())) {
      std::cout << path << ": ... and "
                << report->problem_count - static_cast<int64_t>(report->problems.size())
                << " more problems\n";
    }
    std::cout << path << ": " << report->records << " records, " << report->valid_records
              << " valid, " << report->problem_count << " problems"
              << (report->fatal ? " (reading stopped at a fatal error)" : "") << "\n";
    any_problem |= report->problem_count > 0 || report->fatal;
  }
  return any_problem ? 1 : 0;
}

}  // namespace

void AddValidateCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ValidateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "validate", "Check entity files: every problem by file:line:column: field; exit 1 if any");
  cmd->add_option("files", options->files, "CSV (.csv) or NDJSON (.ndjson, .jsonl) files")
      ->required();
  cmd->add_option("--max-problems", options->max_problems,
                  "Problems listed per file (all are counted)")
      ->capture_default_str();
  cmd->callback([options, exit_code] { *exit_code = RunValidate(*options); });
}

}  // namespace entente::cli
