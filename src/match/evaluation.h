#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/entity.h"

namespace entente::match {

// Quality of a screening result against the truth: precision, recall and F1 over
// (query_id, match_id) pairs, overall and per slice of the queries.
struct Prf {
  int64_t true_positives = 0;
  int64_t predicted = 0;
  int64_t truth = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

// Slices of the queries, as ../shared/tools/score.py cuts them.
enum class Slice { kAll, kArabicScript, kNoBirthDate, kPartialDate, kSurnameFirst };
inline constexpr int kSliceCount = 5;
std::string_view SliceName(Slice slice);

// Which slices a query record falls into (kAll always).
std::array<bool, kSliceCount> SlicesOf(const model::Entity& query);

// A set of (query, match) pairs.
class PairSet {
 public:
  void Add(std::string_view query_id, std::string_view match_id);
  bool Contains(std::string_view query_id, std::string_view match_id) const;
  size_t size() const { return pairs_.size(); }
  // Visits every pair as (query_id, match_id).
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const auto& key : pairs_) {
      const size_t sep = key.find('\x1f');
      fn(std::string_view(key).substr(0, sep), std::string_view(key).substr(sep + 1));
    }
  }

 private:
  std::unordered_set<std::string> pairs_;
};

// Scores `predicted` against `truth`. With `slices` (query id -> its slices; may be empty),
// also per slice; pairs whose query is not in `slices` count only in kAll.
std::array<Prf, kSliceCount> Evaluate(
    const PairSet& truth, const PairSet& predicted,
    const std::unordered_map<std::string, std::array<bool, kSliceCount>>& slices);

// Deduplication scored by clusters (records of one person grouped): the clusters are the
// connected components of the pairs over `ids` (a pair in either direction links both), so a
// chain of links groups a person whose first and last records share little. `exact`: true
// clusters whose records form one predicted cluster and nothing more (singletons included);
// `pairs`: precision, recall and F1 over the unordered pairs within clusters, after closure.
struct ClusterScores {
  int64_t true_clusters = 0;
  int64_t predicted_clusters = 0;
  int64_t exact = 0;
  Prf pairs;
};
ClusterScores EvaluateClusters(const PairSet& truth, const PairSet& predicted,
                               const std::vector<std::string>& ids);

}  // namespace entente::match
