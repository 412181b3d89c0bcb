#pragma once

#include "pprl/encoded_index.h"
#include "pprl/encoder.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "match/fs_model.h"
#include "match/screener.h"
#include "model/entity_io.h"

namespace entente::service {

// Screening of a file of query records against a watchlist file (issue "matching": `entente
// screen`). Both come as readers; results go to `on_match` in query order.
struct BatchScreenOptions {
  match::ScreenOptions screen;
  int threads = 1;
  bool explain = false;
  bool strict = false;  // a bad row is fatal instead of reported and skipped
  // Fit the model to the data before screening (match::FitModel: u on the watchlist, the query
  // match rate on the first batch of queries): for the built-in model; a trained model is used
  // as it is.
  bool fit_model = true;
  size_t fit_sample = 5000;
  size_t batch_size = 4096;
};

struct BatchScreenSummary {
  int64_t watchlist_records = 0;
  int64_t query_records = 0;
  int64_t pairs = 0;
  int64_t bad_rows = 0;
  double index_seconds = 0;
  double screen_seconds = 0;
  size_t index_bytes = 0;
  double query_match_rate = 0;  // of the model used
};

struct MatchRow {
  std::string query_id;
  std::string match_id;
  double score = 0;
  std::string explanation;  // empty unless options.explain
};

// Progress: the phase ("reading the watchlist", "building the index", "screening") and the
// records done in it so far (0 for the index, which is one step).
using ProgressFn = std::function<void(std::string_view phase, int64_t done)>;
// Bad rows are reported here with their location (and skipped unless strict).
using ProblemFn = std::function<void(const model::Problem&)>;

// Reads the whole watchlist, builds the candidate index, fits the model if asked, then screens
// the queries in batches on `threads` threads. Fails on a fatal read error, on a bad row in strict
// mode, or with the first failure of on_match. Timing comes from `now_seconds` (a monotonic clock).
Result<BatchScreenSummary> ScreenBatch(model::EntityReader& watchlist, model::EntityReader& queries,
                                       const match::FsModel& model,
                                       const BatchScreenOptions& options,
                                       const std::function<Status(const MatchRow&)>& on_match,
                                       const ProblemFn& on_problem, const ProgressFn& on_progress,
                                       const std::function<double()>& now_seconds);

// Screening on encodings only (issue "hit/no-hit": `entente screen --encoded`): every record is
// encoded into a keyed Bloom filter (pprl::Encoder) and the whole comparison runs on the codes
// (pprl::EncodedIndex: LSH candidates, a Dice coefficient per range of the code weighed as
// Fellegi-Sunter levels), so its quality can be set against plaintext screening. A row's score
// is the match probability of the encoded model, its query match rate fitted on the first
// `fit_sample` queries as plaintext screening fits its own.
struct EncodedScreenOptions {
  pprl::EncodingKey key;
  float threshold = pprl::kDefaultScoreThreshold;
  bool fit_model = true;
  size_t fit_sample = 5000;
  int threads = 1;
  bool strict = false;
  bool skip_same_id = false;  // a file screened against itself
  // A query is one person (pprl::EncodedIndex::Query); never with skip_same_id.
  bool one_person = true;
  size_t batch_size = 4096;
};
Result<BatchScreenSummary> ScreenBatchEncoded(
    model::EntityReader& watchlist, model::EntityReader& queries,
    const EncodedScreenOptions& options, const std::function<Status(const MatchRow&)>& on_match,
    const ProblemFn& on_problem, const ProgressFn& on_progress,
    const std::function<double()>& now_seconds);

// Reads every valid entity of `reader` and compiles it; bad rows go to on_problem (fatal in
// strict mode).
Result<std::vector<match::Identity>> ReadIdentities(model::EntityReader& reader, bool strict,
                                                    const ProblemFn& on_problem, int64_t* bad_rows);

}  // namespace entente::service
