// entente export --dir D: writes the register's active subjects as FollowTheMoney NDJSON (the
// official model strictly, the register's own properties under "entente", links as
// relationship entities), under the handling codes (H2/H3 left out unless permitted, H1 marked).

#include <iostream>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "cli/session.h"
#include "common/clock.h"
#include "model/entity_format.h"
#include "model/ndjson_writer.h"
#include "service/import_export.h"

namespace entente::cli {
namespace {

struct ExportCommandOptions {
  NodeOptions node;
  std::string output;
  bool force = false;
  bool flat = false;
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
  // FollowTheMoney's official model, strictly, with the register's own properties beside it
  // (docs/formats.md); --flat: every property under "properties", as `convert` writes.
  auto writer = std::make_unique<model::NdjsonEntityWriter>(
      *out, options.flat ? model::NdjsonStyle::kFlat : model::NdjsonStyle::kFollowTheMoney);
  store::Store& store = *session->node->store;
  writer->set_schema_lookup([&store](const std::string& id) -> std::optional<model::Schema> {
    auto target = store.subjects().Get(id);
    if (!target.ok()) return std::nullopt;
    return target->entity.schema;
  });
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
  if (report.links_left_out > 0) {
    std::cerr << "; " << report.links_left_out << " links to them left out";
  }
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
  cmd->add_flag("--flat", options->flat,
                "all under \"properties\" (default: strict FtM, the register's own under "
                "\"entente\")");
  cmd->callback([options, exit_code] { *exit_code = RunExport(*options); });
}

}  // namespace entente::cli
