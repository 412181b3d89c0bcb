// entente convert IN OUT: converts entity files between CSV and NDJSON without loss.

#include <iostream>
#include <set>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "model/entity_format.h"
#include "model/stream_check.h"

namespace entente::cli {
namespace {

struct ConvertOptions {
  std::string input;
  std::string output;
  bool force = false;
  size_t max_problems = 1000;
};

// Reads the whole input once to check it, and to learn the columns a CSV output needs.
Result<model::StreamReport> CheckInput(const ConvertOptions& options, model::EntityFormat format,
                                       std::set<std::string>* used) {
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(options.input));
  auto reader = model::MakeEntityReader(format, *in, options.input);
  return model::CheckEntityStream(*reader, options.input, options.max_problems,
                                  [used](const model::Record& record) {
                                    for (const auto& [name, values] : record.entity.properties) {
                                      used->insert(name);
                                    }
                                    return Status::Ok();
                                  });
}

int RunConvert(const ConvertOptions& options) {
  auto in_format = model::FormatFromPath(options.input);
  if (!in_format.ok()) return ReportFailure(in_format.status());
  auto out_format = model::FormatFromPath(options.output);
  if (!out_format.ok()) return ReportFailure(out_format.status());

  std::set<std::string> used;
  auto report = CheckInput(options, *in_format, &used);
  if (!report.ok()) return ReportFailure(report.status());
  if (report->problem_count > 0 || report->fatal) {
    for (const auto& problem : report->problems) std::cerr << problem.ToString() << "\n";
    std::cerr << "entente: " << options.input << ": " << report->problem_count
              << " problems; nothing written to " << options.output << "\n";
    return 1;
  }

  auto out = AtomicFile::Create(options.output, options.force);
  if (!out.ok()) return ReportFailure(out.status());
  auto writer = model::MakeEntityWriter(*out_format, (*out)->stream(),
                                        model::ColumnsFor({used.begin(), used.end()}));
  auto in = OpenInput(options.input);
  if (!in.ok()) return ReportFailure(in.status());
  auto reader = model::MakeEntityReader(*in_format, **in, options.input);
  // The file was checked above; it is read again rather than held in memory.
  auto written = model::CheckEntityStream(
      *reader, options.input, options.max_problems,
      [&writer](const model::Record& record) { return writer->Write(record.entity); });
  if (!written.ok()) return ReportFailure(written.status());
  if (written->problem_count > 0) {
    return ReportFailure(FailedPrecondition(options.input + " changed while it was converted"));
  }
  Status status = writer->Finish();
  if (status.ok()) status = (*out)->Commit();
  if (!status.ok()) return ReportFailure(status);
  std::cerr << options.output << ": " << written->valid_records << " entities written\n";
  return 0;
}

}  // namespace

void AddConvertCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "CSV <-> NDJSON by extension, lossless; nothing written if the input is bad");
  cmd->add_option("input", options->input, "input file (.csv, .ndjson, .jsonl)")->required();
  cmd->add_option("output", options->output, "output file (.csv, .ndjson, .jsonl)")->required();
  cmd->add_flag("--force", options->force, "replace the output file if it exists");
  cmd->callback([options, exit_code] { *exit_code = RunConvert(*options); });
}

}  // namespace entente::cli
