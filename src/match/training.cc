#include "match/training.h"

#include <algorithm>
#include <cmath>

#include "common/random.h"
#include "match/screener.h"

namespace entente::match {
namespace {

using Counts = std::array<std::array<double, kMaxLevels>, kFieldCount>;

void Normalise(const Counts& counts, FsModel::Table* out) {
  for (int f = 0; f < kFieldCount; ++f) {
    const auto fi = static_cast<size_t>(f);
    const int levels = LevelCount(static_cast<Field>(f));
    double total = 0;
    for (int l = 1; l < levels; ++l) total += counts[fi][static_cast<size_t>(l)] + 0.5;
    for (int l = 1; l < levels; ++l) {
      (*out)[fi][static_cast<size_t>(l)] = (counts[fi][static_cast<size_t>(l)] + 0.5) / total;
    }
  }
}

}  // namespace

FsModel EstimateU(const FsModel& base, const std::vector<Identity>& left,
                  const std::vector<Identity>& right, size_t samples, uint64_t seed) {
  FsModel model = base;
  if (left.empty() || right.empty()) return model;
  const bool same = &left == &right;
  if (same && left.size() < 2) return model;
  Rng rng(seed);
  Counts counts{};
  for (size_t s = 0; s < samples; ++s) {
    const size_t i = rng.Below(left.size());
    size_t j = rng.Below(right.size());
    if (same && i == j) j = (j + 1) % right.size();
    const Comparison c = CompareIdentities(left[i], right[j]);
    for (int f = 0; f < kFieldCount; ++f) {
      const auto fi = static_cast<size_t>(f);
      if (c.levels[fi] > 0) counts[fi][c.levels[fi]] += 1;
    }
  }
  Normalise(counts, &model.u);
  return model;
}

FsModel AdaptToWatchlist(const FsModel& base, const std::vector<Identity>& watchlist) {
  if (watchlist.size() < kMinListedToEstimate) return base;
  return EstimateU(base, watchlist, watchlist, kAdaptSamples, /*seed=*/1);
}

double EstimateQueryMatchRate(const FsModel& model, const CandidateIndex& index,
                              std::span<const Identity> queries, bool same_list) {
  if (queries.empty()) return model.query_match_rate;
  // The weight of every candidate pair without the prior, computed once.
  std::vector<double> weights;
  {
    Screener screener(index, model);
    Screener::Scratch scratch;
    const ScreenOptions options;
    const double prior_bits = screener.model().PriorBits();
    for (size_t q = 0; q < queries.size(); ++q) {
      for (uint32_t c : screener.Candidates(queries[q], options, scratch)) {
        if (same_list && c == q) continue;
        const ScreenMatch m = screener.Score(queries[q], c);
        weights.push_back(screener.model().MatchWeight(m.comparison) - prior_bits);
      }
    }
  }
  const double listed = std::max(1.0, static_cast<double>(index.size()));
  double rate = model.query_match_rate;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const double p = std::clamp(rate / listed, 1e-15, 1 - 1e-9);
    const double prior_bits = std::log2(p / (1 - p));
    double expected = 0;
    for (double w : weights) expected += 1 / (1 + std::exp2(-(w + prior_bits)));
    const double next = std::clamp(expected / static_cast<double>(queries.size()), 1e-3, 1.0);
    if (std::abs(next - rate) < 1e-5) {
      rate = next;
      break;
    }
    rate = next;
  }
  return rate;
}

FsModel FitModel(const FsModel& base, const CandidateIndex& index,
                 std::span<const Identity> queries, bool same_list) {
  FsModel model = AdaptToWatchlist(base, index.identities());
  if (queries.size() >= kMinQueriesToEstimate && index.size() >= kMinListedToEstimate) {
    model.query_match_rate = EstimateQueryMatchRate(model, index, queries, same_list);
  }
  return model;
}

}  // namespace entente::match
