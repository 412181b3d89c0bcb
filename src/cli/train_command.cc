// entente train --watchlist W [--queries Q] --output M: fits the model to the data at hand.

#include <fstream>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "match/candidate_index.h"
#include "match/training.h"
#include "model/entity_format.h"
#include "service/batch_screening.h"

namespace entente::cli {
namespace {

struct TrainOptions {
  std::string watchlist;
  std::string queries;
  std::string output;
  size_t sample = 20000;
  int threads = 0;
  bool force = true;
};

Result<std::vector<match::Identity>> Load(const std::string& path, size_t limit) {
  ENTENTE_ASSIGN_OR_RETURN(auto format, model::FormatFromPath(path));
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  auto reader = model::MakeEntityReader(format, *in, path);
  int64_t bad = 0;
  ENTENTE_ASSIGN_OR_RETURN(
      auto identities,
      service::ReadIdentities(
          *reader, false, [](const model::Problem& p) { std::cerr << p.ToString() << "\n"; },
          &bad));
  if (identities.size() > limit) identities.resize(limit);
  return identities;
}

int RunTrain(const TrainOptions& options) {
  auto watchlist = Load(options.watchlist, SIZE_MAX);
  if (!watchlist.ok()) return ReportFailure(watchlist.status());
  const bool same_list = options.queries.empty();
  std::vector<match::Identity> queries;
  if (same_list) {
    queries.assign(watchlist->begin(),
                   watchlist->begin() +
                       static_cast<std::ptrdiff_t>(std::min(options.sample, watchlist->size())));
  } else {
    auto loaded = Load(options.queries, options.sample);
    if (!loaded.ok()) return ReportFailure(loaded.status());
    queries = std::move(*loaded);
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const auto index = match::CandidateIndex::Build(std::move(*watchlist), threads);
  const match::FsModel model = match::FitModel(match::DefaultModel(), index, queries, same_list);
  auto out = AtomicFile::Create(options.output, options.force);
  if (!out.ok()) return ReportFailure(out.status());
  (*out)->stream() << model.ToJson() << "\n";
  Status status = (*out)->Commit();
  if (!status.ok()) return ReportFailure(status);
  std::cerr << options.output << ": model fitted on " << index.size() << " listed records and "
            << queries.size() << (same_list ? " of them" : " queries")
            << "; u from random pairs, m from the pairs that share an identifier (when at least "
            << match::kMinAnchors << " do), query match rate " << model.query_match_rate << "\n";
  return 0;
}

}  // namespace

void AddTrainCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Fit the matching model to a watchlist (and queries), for screen --model");
  cmd->footer(
      "u from random pairs, m from the candidate pairs that share an identity number, a "
      "passport or a phone number, the share of listed queries by EM.");
  cmd->add_option("--watchlist", options->watchlist, "listed records (.csv or .ndjson)")
      ->required();
  cmd->add_option("--queries", options->queries, "records to be screened (default: the watchlist)");
  cmd->add_option("--output", options->output, "model JSON written")->required();
  cmd->add_option("--sample", options->sample, "queries used at most")->capture_default_str();
  cmd->add_option("--threads", options->threads, "threads (default: all cores)");
  cmd->callback([options, exit_code] { *exit_code = RunTrain(*options); });
}

}  // namespace entente::cli
