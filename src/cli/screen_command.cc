// entente screen --watchlist W --queries Q --output R: batch screening of records.

#include <algorithm>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/progress.h"
#include "match/fs_model.h"
#include "model/csv_writer.h"
#include "model/entity_format.h"
#include "service/batch_screening.h"

namespace entente::cli {
namespace {

struct ScreenCommandOptions {
  std::string watchlist;
  std::string queries;
  std::string output;
  std::string model;
  double threshold = match::kDefaultThreshold;
  int threads = 0;
  bool explain = false;
  bool strict = false;
  bool force = true;
};

Result<match::FsModel> LoadModel(const std::string& path) {
  if (path.empty()) return match::DefaultModel();
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  std::string text((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
  auto model = match::FsModel::FromJson(text);
  if (!model.ok()) return model.status().WithContext(path);
  return model;
}

int RunScreen(const ScreenCommandOptions& options) {
  auto model = LoadModel(options.model);
  if (!model.ok()) return ReportFailure(model.status());
  auto watchlist_format = model::FormatFromPath(options.watchlist);
  if (!watchlist_format.ok()) return ReportFailure(watchlist_format.status());
  auto query_format = model::FormatFromPath(options.queries);
  if (!query_format.ok()) return ReportFailure(query_format.status());
  auto watchlist_in = OpenInput(options.watchlist);
  if (!watchlist_in.ok()) return ReportFailure(watchlist_in.status());
  auto queries_in = OpenInput(options.queries);
  if (!queries_in.ok()) return ReportFailure(queries_in.status());
  auto out = AtomicFile::Create(options.output, options.force);
  if (!out.ok()) return ReportFailure(out.status());

  auto watchlist = model::MakeEntityReader(*watchlist_format, **watchlist_in, options.watchlist);
  auto queries = model::MakeEntityReader(*query_format, **queries_in, options.queries);
  service::BatchScreenOptions batch;
  batch.screen.threshold = options.threshold;
  batch.threads = options.threads > 0
                      ? options.threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  batch.explain = options.explain;
  batch.strict = options.strict;
  batch.fit_model = options.model.empty();
  // A file screened against itself looks for duplicates, not for itself.
  batch.screen.skip_same_id = options.watchlist == options.queries;

  std::ostream& os = (*out)->stream();
  os << (options.explain ? "query_id,match_id,score,explanation\n" : "query_id,match_id,score\n");
  std::string line;
  char score[32];
  ProgressLine progress("screening");
  auto result = service::ScreenBatch(
      *watchlist, *queries, *model, batch,
      [&](const service::MatchRow& row) {
        line.clear();
        model::AppendCsvCell(line, row.query_id);
        line += ',';
        model::AppendCsvCell(line, row.match_id);
        std::snprintf(score, sizeof score, ",%.4f", row.score);
        line += score;
        if (options.explain) {
          line += ',';
          model::AppendCsvCell(line, row.explanation);
        }
        line += '\n';
        os << line;
        return os ? Status::Ok() : IoError(options.output + ": write failed");
      },
      [](const model::Problem& p) { std::cerr << p.ToString() << "\n"; },
      [&](int64_t done) { progress.Update(done, 0); }, MonotonicSeconds);
  progress.Finish();
  if (!result.ok()) return ReportFailure(result.status());
  Status status = (*out)->Commit();
  if (!status.ok()) return ReportFailure(status);
  const auto& s = *result;
  const double rate =
      s.screen_seconds > 0 ? static_cast<double>(s.query_records) / s.screen_seconds : 0;
  std::fprintf(
      stderr,
      "screened %lld queries against %lld listed records: %lld pairs at or above %.2f; "
      "index %.2f s (%.0f MiB), screening %.2f s (%.0f records/s, %d threads); model: %s, query "
      "match rate "
      "%.3f%s\n",
      static_cast<long long>(s.query_records), static_cast<long long>(s.watchlist_records),
      static_cast<long long>(s.pairs), options.threshold, s.index_seconds,
      static_cast<double>(s.index_bytes) / (1 << 20), s.screen_seconds, rate, batch.threads,
      options.model.empty() ? "built in, fitted to this data" : options.model.c_str(),
      s.query_match_rate,
      s.bad_rows > 0 ? (", " + std::to_string(s.bad_rows) + " bad rows skipped").c_str() : "");
  return 0;
}

}  // namespace

void AddScreenCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ScreenCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "screen",
      "Screen query records against a watchlist: every pair whose match probability "
      "is at or above the threshold, with its score");
  cmd->add_option("--watchlist", options->watchlist, "listed records (.csv or .ndjson)")
      ->required();
  cmd->add_option("--queries", options->queries, "records to screen (.csv or .ndjson)")->required();
  cmd->add_option("--output", options->output, "result CSV: query_id,match_id,score")->required();
  cmd->add_option("--threshold", options->threshold, "match probability reported, 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "worker threads (default: all cores)");
  cmd->add_flag("--explain", options->explain, "add an explanation column (per-field weights)");
  cmd->add_option("--model", options->model, "model JSON from `entente train` (default: built in)");
  cmd->add_flag("--strict", options->strict, "stop at the first bad row instead of skipping it");
  cmd->callback([options, exit_code] { *exit_code = RunScreen(*options); });
}

}  // namespace entente::cli
