// entente export --dir D: writes the register's active subjects as FollowTheMoney NDJSON, under
// the handling codes (H2/H3 left out unless permitted, H1 marked).

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "common/clock.h"
#include "model/entity_format.h"
#include "service/import_export.h"

namespace entente::cli {
namespace {

struct ExportCommandOptions {
  NodeOptions node;
  std::string output;
  bool force = false;
};

int RunExport(const ExportCommandOptions& options) {
  const Clock& clock = SystemClock();
  const int64_t start = clock.MonotonicMicros();
  auto session = OpenSession(options.node, false);
  if (!session.ok()) return ReportFailure(session.status());

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
  ProgressLine progress("exporting the register");
  Status status = service::ExportSubjects(*session->node->store, session->caller, *writer,
                                          policy::Destination::kFile, &report,
                                          [&](int64_t done) { progress.Update(done, 0); });
  progress.Finish();
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
      "export", "The register as FollowTheMoney NDJSON, under the handling codes");
  AddNodeOptions(cmd, &options->node, kJustified);
  cmd->add_option("--output,-o", options->output, "NDJSON file (default: stdout)");
  cmd->add_flag("--force", options->force, "replace an existing output file");
  cmd->callback([options, exit_code] { *exit_code = RunExport(*options); });
}

}  // namespace entente::cli
