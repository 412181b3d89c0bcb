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

FsModel EstimateU(const FsModel& base, std::span<const Identity> left,
                  std::span<const Identity> right, size_t samples, uint64_t seed) {
  FsModel model = base;
  if (left.empty() || right.empty()) return model;
  const bool same = left.data() == right.data() && left.size() == right.size();
  if (same && left.size() < 2) return model;
  Rng rng(seed);
  Counts counts{};
  // A random pair is now and then one person (a query file of people who are mostly listed, a
  // register holding someone twice), once in right.size() pairs at most; on small lists that is
  // enough to make the u of the strongest levels (a document in common) a hundred times too
  // large. A field of a pair is not counted when the pair's other fields alone make it more
  // likely one person than two (by `base`, with that prior): the judgement leaves out the field
  // judged, so that two different people whose names agree still count for the name's u.
  FsModel judge = base;
  judge.query_match_rate = 1;
  judge.listed_records = static_cast<double>(right.size());
  std::array<double, kFieldCount> weights{};
  for (size_t s = 0; s < samples; ++s) {
    const size_t i = rng.Below(left.size());
    size_t j = rng.Below(right.size());
    if (same && i == j) j = (j + 1) % right.size();
    const Comparison c = CompareIdentities(left[i], right[j]);
    double total = judge.PriorBits();
    for (int f = 0; f < kFieldCount; ++f) {
      const auto fi = static_cast<size_t>(f);
      weights[fi] = judge.LevelWeight(static_cast<Field>(f), c.levels[fi]);
      total += weights[fi];
    }
    for (int f = 0; f < kFieldCount; ++f) {
      const auto fi = static_cast<size_t>(f);
      if (c.levels[fi] > 0 && total - weights[fi] <= 0) counts[fi][c.levels[fi]] += 1;
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
  // For each query, log2 of the sum of its candidates' likelihood ratios (m/u of the pair, the
  // prior left out), computed once. A query is a mixture: with probability `rate` one listed
  // record (any of the N, a priori) is the same person, else none is. Given the candidates, it
  // is listed with probability rate S / N / (rate S / N + 1 - rate), where S sums the ratios:
  // several plausible candidates are evidence that the query is listed, but once, not once per
  // candidate (summing the pairs' posteriors counted a query with three namesakes as up to
  // three matches, and overestimated the rate on large watchlists).
  std::vector<double> log2_sums;
  log2_sums.reserve(queries.size());
  {
    Screener screener(index, model);
    Screener::Scratch scratch;
    const ScreenOptions options;
    const double prior_bits = screener.model().PriorBits();
    std::vector<double> weights;
    for (size_t q = 0; q < queries.size(); ++q) {
      weights.clear();
      for (uint32_t c : screener.Candidates(queries[q], options, scratch)) {
        if (same_list && c == q) continue;
        const ScreenMatch m = screener.Score(queries[q], c);
        weights.push_back(screener.model().MatchWeight(m.comparison) - prior_bits);
      }
      if (weights.empty()) {
        log2_sums.push_back(-HUGE_VAL);
        continue;
      }
      const double top = *std::max_element(weights.begin(), weights.end());
      double sum = 0;
      for (double w : weights) sum += std::exp2(w - top);
      log2_sums.push_back(top + std::log2(sum));
    }
  }
  const double log2_listed = std::log2(std::max(1.0, static_cast<double>(index.size())));
  double rate = model.query_match_rate;
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double r = std::clamp(rate, 1e-3, 1 - 1e-9);
    const double odds_bits = std::log2(r / (1 - r)) - log2_listed;
    double expected = 0;
    for (double s : log2_sums) {
      if (s != -HUGE_VAL) expected += 1 / (1 + std::exp2(-(s + odds_bits)));
    }
    const double next = std::clamp(expected / static_cast<double>(queries.size()), 1e-3, 1.0);
    if (std::abs(next - rate) < 1e-6) {
      rate = next;
      break;
    }
    rate = next;
  }
  return rate;
}

FsModel FitModel(const FsModel& base, const CandidateIndex& index,
                 std::span<const Identity> queries, bool same_list) {
  const bool enough_queries = queries.size() >= kMinQueriesToEstimate;
  FsModel model = enough_queries && !same_list && index.size() >= kMinListedToEstimate
                      ? EstimateU(base, queries, index.identities(), kAdaptSamples, /*seed=*/1)
                      : AdaptToWatchlist(base, index.identities());
  if (enough_queries && index.size() >= kMinListedToEstimate) {
    model.query_match_rate = EstimateQueryMatchRate(model, index, queries, same_list);
  }
  return model;
}

}  // namespace entente::match
