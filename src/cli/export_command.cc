// entente export --dir D: writes the register's active subjects as FollowTheMoney NDJSON, under
// the handling codes (H2/H3 left out unless permitted, H1 marked).

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/node_access.h"
#include "common/clock.h"
#include "model/entity_format.h"
#include "service/import_export.h"

namespace entente::cli {
namespace {

struct ExportCommandOptions {
  std::string dir;
  std::string store;
  std::string token_file;
  std::string output;
  std::string justification;
  std::string case_reference;
  bool force = false;
};

int RunExport(const ExportCommandOptions& options) {
  const Clock& clock = SystemClock();
  const int64_t start = clock.MonotonicMicros();
  auto node = OpenNode(options.dir, options.store, clock);
  if (!node.ok()) return ReportFailure(node.status());
  auto caller = CommandCaller(**node, options.token_file, clock);
  if (!caller.ok()) return ReportFailure(caller.status());
  caller->context.justification = options.justification;
  caller->context.case_reference = options.case_reference;

  std::unique_ptr<AtomicFile> file;
  std::ostream* out = &std::cout;
  if (!options.output.empty()) {
    auto created = AtomicFile::Create(options.output, options.force);
    if (!created.ok()) return ReportFailure(created.status());
    file = std::move(created).value();
    out = &file->stream();
  }
  auto writer = model::MakeEntityWriter(model::EntityFormat::kNdjson, *out, {});
  service::ExportReport report;
  Status status = service::ExportSubjects(*(*node)->store, *caller, *writer,
                                          policy::Destination::kFile, &report);
  if (status.ok()) status = writer->Finish();
  if (status.ok() && file) status = file->Commit();
  if (!status.ok()) return ReportFailure(status);
  const double seconds = static_cast<double>(clock.MonotonicMicros() - start) / 1e6;
  std::cerr << (options.output.empty() ? "stdout" : options.output) << ": " << report.exported
            << " subjects exported (" << report.not_for_judicial_use
            << " marked not for judicial use), " << report.left_out << " left out by policy";
  for (const auto& [rule, count] : report.left_out_by_rule)
    std::cerr << "; " << rule << " " << count;
  std::cerr << "; " << seconds << " s\n";
  return 0;
}

}  // namespace

void AddExportCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ExportCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write the register's active subjects as FollowTheMoney NDJSON; handling codes apply (H2/H3 "
      "left out unless the provider allows, H1 marked); every subject exported is audited");
  cmd->add_option("--dir", options->dir, "the node's directory")->required();
  cmd->add_option("--store", options->store, "a postgresql:// URL instead of node.json's store");
  cmd->add_option("--token-file", options->token_file,
                  "the acting user's token (default: $ENTENTE_TOKEN, else DIR/admin.token)");
  cmd->add_option("--output,-o", options->output, "NDJSON file (default: stdout)");
  cmd->add_flag("--force", options->force, "replace an existing output file");
  cmd->add_option("--justification", options->justification, "why (at least 10 characters)")
      ->required();
  cmd->add_option("--case", options->case_reference, "case reference");
  cmd->callback([options, exit_code] { *exit_code = RunExport(*options); });
}

}  // namespace entente::cli
