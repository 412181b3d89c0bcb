#include "match/training.h"

#include <algorithm>
#include <cmath>

#include "common/random.h"
#include "match/screener.h"

namespace entente::match {
namespace {

using Counts = std::array<std::array<double, kMaxLevels>, kFieldCount>;

void Normalise(const Counts& counts, FsModel::Table* out, bool skip_name) {
  for (int f = 0; f < kFieldCount; ++f) {
    if (skip_name && static_cast<Field>(f) == Field::kName) continue;
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
  Normalise(counts, &model.u, false);
  return model;
}

FsModel AdaptToWatchlist(const FsModel& base, const std::vector<Identity>& watchlist) {
  return EstimateU(base, watchlist, watchlist, kAdaptSamples, /*seed=*/1);
}

FsModel TrainEm(const FsModel& start, const CandidateIndex& index,
                const std::vector<Identity>& queries, bool same_list, int max_iterations,
                EmReport* report) {
  // The comparison vectors of all candidate pairs, computed once.
  std::vector<std::array<uint8_t, kFieldCount>> pairs;
  {
    Screener screener(index, start);
    Screener::Scratch scratch;
    ScreenOptions options;
    for (size_t q = 0; q < queries.size(); ++q) {
      for (uint32_t c : screener.Candidates(queries[q], options, scratch)) {
        if (same_list && c == q) continue;
        pairs.push_back(CompareIdentities(queries[q], index.identity(c)).levels);
      }
    }
  }
  FsModel model = start;
  double lambda = 0.1;  // share of matches among candidate pairs
  int iteration = 0;
  for (; iteration < max_iterations && !pairs.empty(); ++iteration) {
    Counts m_counts{};
    double matches = 0;
    for (const auto& levels : pairs) {
      double log_m = 0, log_u = 0;
      for (int f = 0; f < kFieldCount; ++f) {
        const auto fi = static_cast<size_t>(f);
        if (levels[fi] == 0 || static_cast<Field>(f) == Field::kName) continue;
        log_m += std::log(std::max(model.m[fi][levels[fi]], 1e-12));
        log_u += std::log(std::max(model.u[fi][levels[fi]], 1e-12));
      }
      // The name's own evidence is left out of the E-step: see the header.
      const double odds = lambda / (1 - lambda) * std::exp(log_m - log_u);
      const double p = odds / (1 + odds);
      matches += p;
      for (int f = 0; f < kFieldCount; ++f) {
        const auto fi = static_cast<size_t>(f);
        if (levels[fi] > 0) m_counts[fi][levels[fi]] += p;
      }
    }
    const double new_lambda = std::clamp(matches / static_cast<double>(pairs.size()), 1e-6, 0.999);
    Normalise(m_counts, &model.m, true);
    const bool converged = std::abs(new_lambda - lambda) < 1e-5;
    lambda = new_lambda;
    if (report) report->expected_matches = matches;
    if (converged) {
      ++iteration;
      break;
    }
  }
  if (!queries.empty() && report) {
    model.query_match_rate =
        std::clamp(report->expected_matches / static_cast<double>(queries.size()), 1e-4, 1.0);
  }
  if (report) {
    report->iterations = iteration;
    report->pairs = pairs.size();
  }
  return model;
}

}  // namespace entente::match
