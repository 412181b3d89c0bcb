// entente synth --out DIR --persons N [--queries M] [--seed S]: a synthetic population.

#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "model/csv_writer.h"
#include "synth/population.h"

namespace entente::cli {
namespace {

struct SynthCommandOptions {
  std::string out;
  uint64_t persons = 10000;
  uint64_t queries = 0;
  uint64_t seed = 1;
  std::string reference_date = "2026-12-01";
  bool force = false;
};

int RunSynth(const SynthCommandOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(options.out) / "registers", ec);
  if (ec) return ReportFailure(IoError(options.out + ": cannot create: " + ec.message()));

  auto open = [&](const std::string& relative) {
    return AtomicFile::Create((fs::path(options.out) / relative).string(), options.force);
  };
  auto watchlist = open("watchlist.csv");
  auto queries = open("queries.csv");
  auto truth = open("truth.csv");
  auto register_truth = open("register_truth.csv");
  for (auto* file : {&watchlist, &queries, &truth, &register_truth}) {
    if (!file->ok()) return ReportFailure(file->status());
  }
  static constexpr const char* kCountries[4] = {"BE", "FR", "ES", "MA"};
  std::vector<std::unique_ptr<AtomicFile>> register_files;
  for (const char* country : kCountries) {
    auto file = open(std::string("registers/") + country + ".csv");
    if (!file.ok()) return ReportFailure(file.status());
    register_files.push_back(std::move(*file));
  }

  model::CsvEntityWriter watchlist_writer((*watchlist)->stream(), synth::WatchlistColumns());
  model::CsvEntityWriter queries_writer((*queries)->stream(), synth::QueryColumns());
  std::vector<std::unique_ptr<model::CsvEntityWriter>> register_writers;
  synth::SynthSinks sinks;
  sinks.watchlist = &watchlist_writer;
  sinks.queries = &queries_writer;
  sinks.truth = &(*truth)->stream();
  sinks.register_truth = &(*register_truth)->stream();
  for (size_t i = 0; i < register_files.size(); ++i) {
    register_writers.push_back(std::make_unique<model::CsvEntityWriter>(register_files[i]->stream(),
                                                                        synth::WatchlistColumns()));
    sinks.registers[i] = register_writers.back().get();
  }

  synth::SynthOptions synth_options;
  synth_options.persons = options.persons;
  synth_options.queries = options.queries;
  synth_options.seed = options.seed;
  synth_options.reference_date = options.reference_date;
  Status status = synth::WritePopulation(synth_options, sinks);
  // Nothing is renamed into place unless everything was written.
  for (auto* file : {&watchlist, &queries, &truth, &register_truth}) {
    if (status.ok()) status = (**file)->Commit();
  }
  for (auto& file : register_files) {
    if (status.ok()) status = file->Commit();
  }
  if (!status.ok()) return ReportFailure(status);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const uint64_t query_count = options.queries == 0 ? options.persons : options.queries;
  std::cerr << options.out << ": " << options.persons << " listed persons, " << query_count
            << " queries, registers of BE, FR, ES, MA written in " << seconds << " s (seed "
            << options.seed << ")\n";
  return 0;
}

}  // namespace

void AddSynthCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<SynthCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "synth", "A deterministic synthetic population of four countries (no real persons)");
  cmd->footer(
      "Writes watchlist.csv, queries.csv, truth.csv, registers/{BE,FR,ES,MA}.csv and "
      "register_truth.csv.");
  cmd->add_option("--out", options->out, "output directory")->required();
  cmd->add_option("--persons", options->persons, "listed persons")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000000}))
      ->capture_default_str();
  cmd->add_option("--queries", options->queries, "query records (default: as many as persons)");
  cmd->add_option("--seed", options->seed, "random seed")->capture_default_str();
  cmd->add_option("--reference-date", options->reference_date,
                  "'today' for ages, custody and review dates (YYYY-MM-DD)")
      ->capture_default_str();
  cmd->add_flag("--force", options->force, "replace existing files");
  cmd->callback([options, exit_code] { *exit_code = RunSynth(*options); });
}

}  // namespace entente::cli
