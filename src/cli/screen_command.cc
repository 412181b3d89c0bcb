// entente screen --watchlist W --queries Q --output R: batch screening of records.

#include <algorithm>
#include <iostream>
#include <thread>

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/hit_commands.h"
#include "cli/progress.h"
#include "common/json.h"
#include "federation/crypto.h"
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
  bool pairwise = false;
  bool force = true;
  bool encoded = false;
  bool partners = false;
  std::string key_file;
  bool threshold_given = false;
};

// The federation's encoding key: a JSON file {"version": N, "secret": base64 of 32 bytes}, or,
// without one, a random key for this run (both sides are encoded here).
Result<pprl::EncodingKey> LoadEncodingKey(const std::string& path) {
  pprl::EncodingKey key;
  if (path.empty()) {
    key.version = 1;
    randombytes_buf(key.secret.data(), key.secret.size());
    return key;
  }
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  std::string text((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
  nlohmann::json j = ParseJsonOrDiscarded(text);
  if (j.is_discarded() || !j.is_object() || !j.contains("version") ||
      !j["version"].is_number_unsigned() || !j.contains("secret") || !j["secret"].is_string()) {
    return InvalidArgument(path + ": expected {\"version\": N, \"secret\": base64}");
  }
  ENTENTE_ASSIGN_OR_RETURN(
      std::string secret,
      federation::Base64Decode(j["secret"].get<std::string>(), path + ": secret"));
  if (secret.size() != key.secret.size()) {
    return InvalidArgument(path + ": secret: expected 32 bytes");
  }
  key.version = j["version"].get<uint32_t>();
  std::copy(secret.begin(), secret.end(), key.secret.begin());
  return key;
}

void WriteRow(std::ostream& os, const service::MatchRow& row, bool explain, std::string& line) {
  char score[32];
  line.clear();
  model::AppendCsvCell(line, row.query_id);
  line += ',';
  model::AppendCsvCell(line, row.match_id);
  std::snprintf(score, sizeof score, ",%.4f", row.score);
  line += score;
  if (explain) {
    line += ',';
    model::AppendCsvCell(line, row.explanation);
  }
  line += '\n';
  os << line;
}

// The files of one screening run: both inputs open with their readers (format by extension),
// the output created (written in full or not at all).
struct ScreenFiles {
  std::unique_ptr<std::ifstream> watchlist_in;
  std::unique_ptr<std::ifstream> queries_in;
  std::unique_ptr<model::EntityReader> watchlist;
  std::unique_ptr<model::EntityReader> queries;
  std::unique_ptr<AtomicFile> out;
};

Result<ScreenFiles> OpenScreenFiles(const ScreenCommandOptions& options) {
  ScreenFiles files;
  ENTENTE_ASSIGN_OR_RETURN(model::EntityFormat watchlist_format,
                           model::FormatFromPath(options.watchlist));
  ENTENTE_ASSIGN_OR_RETURN(model::EntityFormat query_format,
                           model::FormatFromPath(options.queries));
  ENTENTE_ASSIGN_OR_RETURN(files.watchlist_in, OpenInput(options.watchlist));
  ENTENTE_ASSIGN_OR_RETURN(files.queries_in, OpenInput(options.queries));
  ENTENTE_ASSIGN_OR_RETURN(files.out, AtomicFile::Create(options.output, options.force));
  files.watchlist =
      model::MakeEntityReader(watchlist_format, *files.watchlist_in, options.watchlist);
  files.queries = model::MakeEntityReader(query_format, *files.queries_in, options.queries);
  return files;
}

int RunScreenEncoded(const ScreenCommandOptions& options) {
  auto key = LoadEncodingKey(options.key_file);
  if (!key.ok()) return ReportFailure(key.status());
  auto files = OpenScreenFiles(options);
  if (!files.ok()) return ReportFailure(files.status());
  auto& watchlist = files->watchlist;
  auto& queries = files->queries;
  auto& out = files->out;
  service::EncodedScreenOptions encoded;
  encoded.key = *key;
  if (options.threshold_given) encoded.threshold = static_cast<float>(options.threshold);
  encoded.threads = options.threads > 0
                        ? options.threads
                        : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  encoded.strict = options.strict;
  encoded.skip_same_id = options.watchlist == options.queries;
  encoded.one_person = !options.pairwise;
  std::ostream& os = out->stream();
  os << "query_id,match_id,score\n";
  std::string line;
  ProgressLine progress("screening (encoded)");
  auto result = service::ScreenBatchEncoded(
      *watchlist, *queries, encoded,
      [&](const service::MatchRow& row) {
        WriteRow(os, row, false, line);
        return os ? Status::Ok() : IoError(options.output + ": write failed");
      },
      [](const model::Problem& p) { std::cerr << p.ToString() << "\n"; },
      [&](std::string_view phase, int64_t done) { progress.Report(phase, done); },
      MonotonicSeconds);
  progress.Finish();
  if (!result.ok()) return ReportFailure(result.status());
  Status status = out->Commit();
  if (!status.ok()) return ReportFailure(status);
  const auto& s = *result;
  std::fprintf(stderr,
               "screened %lld queries against %lld listed records on encodings only (key version "
               "%u%s): %lld pairs at or above %.2f; index %.2f s (%.0f MiB), screening %.2f s "
               "(%.0f records/s, %d threads); query match rate %.3f\n",
               static_cast<long long>(s.query_records), static_cast<long long>(s.watchlist_records),
               key->version, options.key_file.empty() ? ", random for this run" : "",
               static_cast<long long>(s.pairs), static_cast<double>(encoded.threshold),
               s.index_seconds, static_cast<double>(s.index_bytes) / (1 << 20), s.screen_seconds,
               s.screen_seconds > 0 ? static_cast<double>(s.query_records) / s.screen_seconds : 0,
               encoded.threads, s.query_match_rate);
  return 0;
}

Result<match::FsModel> LoadModel(const std::string& path) {
  if (path.empty()) return match::DefaultModel();
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  std::string text((std::istreambuf_iterator<char>(*in)), std::istreambuf_iterator<char>());
  auto model = match::FsModel::FromJson(text);
  if (!model.ok()) return model.status().WithContext(path);
  return model;
}

int RunScreen(const ScreenCommandOptions& options) {
  if (options.encoded) return RunScreenEncoded(options);
  auto model = LoadModel(options.model);
  if (!model.ok()) return ReportFailure(model.status());
  auto files = OpenScreenFiles(options);
  if (!files.ok()) return ReportFailure(files.status());
  auto& watchlist = files->watchlist;
  auto& queries = files->queries;
  auto& out = files->out;
  service::BatchScreenOptions batch;
  batch.screen.threshold = options.threshold;
  batch.threads = options.threads > 0
                      ? options.threads
                      : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  batch.explain = options.explain;
  batch.screen.one_person = !options.pairwise;
  batch.strict = options.strict;
  batch.fit_model = options.model.empty();
  // A file screened against itself looks for duplicates, not for itself.
  batch.screen.skip_same_id = options.watchlist == options.queries;

  std::ostream& os = out->stream();
  os << (options.explain ? "query_id,match_id,score,explanation\n" : "query_id,match_id,score\n");
  std::string line;
  ProgressLine progress("screening");
  auto result = service::ScreenBatch(
      *watchlist, *queries, *model, batch,
      [&](const service::MatchRow& row) {
        WriteRow(os, row, options.explain, line);
        return os ? Status::Ok() : IoError(options.output + ": write failed");
      },
      [](const model::Problem& p) { std::cerr << p.ToString() << "\n"; },
      [&](std::string_view phase, int64_t done) { progress.Report(phase, done); },
      MonotonicSeconds);
  progress.Finish();
  if (!result.ok()) return ReportFailure(result.status());
  Status status = out->Commit();
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
      "screen", "Screen records against a watchlist (or a node and its partners' indexes)");
  cmd->add_option("--watchlist", options->watchlist,
                  "listed records (.csv or .ndjson); not with --partners");
  cmd->add_option("--queries", options->queries, "records to screen (.csv or .ndjson)")->required();
  cmd->add_option("--output", options->output, "result CSV: query_id,match_id,score")->required();
  cmd->add_option("--threshold", options->threshold, "match probability reported, 0..1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--threads", options->threads, "worker threads (default: all cores)");
  cmd->add_flag("--explain", options->explain, "add an explanation column (per-field weights)");
  cmd->add_option("--model", options->model, "model JSON from `entente train` (default: built in)");
  cmd->add_flag("--strict", options->strict, "stop at the first bad row instead of skipping it");
  cmd->add_flag("--pairwise", options->pairwise,
                "score each pair alone: without it a query is one person, and listed people as "
                "close to it as each other share its odds (docs/matching.md)");
  cmd->add_flag("--encoded", options->encoded,
                "compare keyed Bloom-filter encodings only (privacy-preserving mode); the score "
                "is the encoded model's match probability (per-range Dice as Fellegi-Sunter "
                "levels), default threshold 0.5");
  cmd->add_option("--key", options->key_file,
                  "the federation's encoding key, {\"version\": N, \"secret\": base64} "
                  "(default: a random key for this run)");
  // On a node: its register in plaintext and partners' encoded indexes (hit/no-hit).
  auto partners = std::make_shared<PartnerScreenOptions>();
  cmd->add_flag("--partners", options->partners,
                "screen against a node's register and its partners' encoded indexes "
                "(hit/no-hit; needs --dir and --justification; docs/hit-no-hit.md)");
  cmd->add_option("--dir", partners->dir, "with --partners: the node's directory");
  cmd->add_option("--store", partners->store, "with --partners: a postgresql:// URL");
  cmd->add_option("--token-file", partners->token_file,
                  "with --partners: the bearer token to act as (default: $ENTENTE_TOKEN, then "
                  "the node's admin.token)");
  cmd->add_option("--justification", partners->justification,
                  "with --partners: why (recorded in the audit log)");
  cmd->add_option("--case", partners->case_reference,
                  "with --partners: the case reference this serves (audited)");
  cmd->add_option("--partner-threshold", partners->partner_threshold,
                  "with --partners: the encoded score reported, 0..1 (default: the encoded "
                  "default)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--chunk", partners->chunk,
                  "with --partners: queries screened and saved at a time; an interrupted run "
                  "started again with the same input and output resumes after the last chunk "
                  "saved (OUTPUT.progress)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->callback([options, partners, exit_code, cmd] {
    options->threshold_given = cmd->count("--threshold") > 0;
    if (options->partners) {
      if (partners->dir.empty()) {
        *exit_code = UsageError("--partners needs --dir (the node)");
        return;
      }
      if (!options->watchlist.empty() || options->encoded) {
        *exit_code =
            UsageError("--partners screens the node's register: no --watchlist or --encoded");
        return;
      }
      partners->queries = options->queries;
      partners->output = options->output;
      partners->threshold = options->threshold_given ? options->threshold : 0;
      partners->strict = options->strict;
      *exit_code = RunScreenPartners(*partners);
      return;
    }
    if (options->watchlist.empty()) {
      *exit_code = UsageError("--watchlist is required (or --partners)");
      return;
    }
    *exit_code = RunScreen(*options);
  });
}

}  // namespace entente::cli
