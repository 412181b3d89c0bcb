#include "match/training.h"

#include <algorithm>
#include <array>
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
  judge.query_match_rate = 0.5;  // prior odds 1 / right.size()
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

namespace {

// A pair agrees on an identifier: an identity number, a passport number or a phone number.
bool AgreesOn(const Comparison& c, Field f) {
  switch (f) {
    case Field::kDocument:
    case Field::kPassport:
      return c.level(f) == kDocumentExact;
    case Field::kPhone:
      return c.level(f) == 1;  // agree
    default:
      return false;
  }
}

constexpr std::array<Field, 3> kAnchorFields = {Field::kDocument, Field::kPassport, Field::kPhone};

// Whether a pair is a sample of m for field f: it agrees on an identifier other than f.
bool AnchoredFor(const Comparison& c, Field f) {
  return std::any_of(kAnchorFields.begin(), kAnchorFields.end(),
                     [&](Field a) { return a != f && AgreesOn(c, a); });
}

struct Anchor {
  Comparison comparison;
  double log2_ratio;  // m/u of the pair, the prior left out
  size_t query;
};

// Pairs whose posterior, scored alone, is below this weigh nothing in the estimates below: the
// screener's bounds leave them out early (most candidates of a query), as screening does.
constexpr double kEvidenceFloor = 1e-6;

// One pass over the candidates of `queries`, scored as the screener scores them: per query, log2
// of the sum of its candidates' likelihood ratios (-infinity without candidates that reach
// kEvidenceFloor); and, when `anchors` is not null, the candidate pairs that agree on an
// identifier.
std::vector<double> GatherEvidence(const FsModel& model, const CandidateIndex& index,
                                   std::span<const Identity> queries, bool same_list,
                                   std::vector<Anchor>* anchors) {
  std::vector<double> log2_sums;
  log2_sums.reserve(queries.size());
  const Screener screener(index, model);
  Screener::Scratch scratch;
  ScreenOptions options;
  options.threshold = kEvidenceFloor;
  options.one_person = false;
  options.skip_same_id = same_list;
  const double prior_bits = screener.model().PriorBits();
  std::vector<double> weights;
  for (size_t q = 0; q < queries.size(); ++q) {
    weights.clear();
    for (const ScreenMatch& m : screener.Screen(queries[q], options, scratch)) {
      weights.push_back(screener.model().MatchWeight(m.comparison) - prior_bits);
      if (anchors != nullptr && AnchoredFor(m.comparison, Field::kName)) {
        anchors->push_back({m.comparison, weights.back(), q});
      }
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
  return log2_sums;
}

}  // namespace

double QueryMatchRateOf(std::span<const double> log2_ratio_sums, double listed, double start) {
  if (log2_ratio_sums.empty()) return start;
  const double log2_listed = std::log2(std::max(1.0, listed));
  double rate = start;
  for (int iteration = 0; iteration < 200; ++iteration) {
    const double r = std::clamp(rate, 1e-3, 1 - 1e-9);
    const double odds_bits = std::log2(r / (1 - r)) - log2_listed;
    double expected = 0;
    for (double s : log2_ratio_sums) {
      if (s != -HUGE_VAL) expected += 1 / (1 + std::exp2(-(s + odds_bits)));
    }
    const double next =
        std::clamp(expected / static_cast<double>(log2_ratio_sums.size()), 1e-3, 1.0);
    if (std::abs(next - rate) < 1e-6) return next;
    rate = next;
  }
  return rate;
}

double EstimateQueryMatchRate(const FsModel& model, const CandidateIndex& index,
                              std::span<const Identity> queries, bool same_list) {
  // A query is a mixture: with probability `rate` one listed record (any of the N, a priori)
  // is the same person, else none is. Given the candidates, it is listed with probability
  // rate S / N / (rate S / N + 1 - rate), where S sums the candidates' likelihood ratios:
  // several plausible candidates are evidence that the query is listed, but once, not once per
  // candidate (summing the pairs' posteriors counted a query with three namesakes as up to
  // three matches, and overestimated the rate on large watchlists).
  const std::vector<double> log2_sums = GatherEvidence(model, index, queries, same_list, nullptr);
  return QueryMatchRateOf(log2_sums, static_cast<double>(index.size()), model.query_match_rate);
}

void AnchoredEstimate(std::span<const double> counts, std::span<const double> prior,
                      std::span<double> out) {
  double seen = 0, base = 0;
  for (size_t l = 0; l < counts.size(); ++l) {
    seen += counts[l];
    base += prior[l];
  }
  if (base <= 0) return;
  for (size_t l = 0; l < counts.size(); ++l) {
    out[l] = (counts[l] + kAnchorPriorPairs * prior[l] / base) / (seen + kAnchorPriorPairs);
  }
}

FsModel EstimateAnchoredM(const FsModel& model, const CandidateIndex& index,
                          std::span<const Identity> queries, bool same_list) {
  FsModel fitted = model;
  std::vector<Anchor> anchors;
  const std::vector<double> log2_sums = GatherEvidence(model, index, queries, same_list, &anchors);
  // Each anchor counts with its posterior under `model` and the query match rate that `model`
  // explains the queries with (one person per query: a query's candidates share one), which
  // leaves out the few pairs of different people who share a phone or whose identifier is
  // someone else's.
  FsModel judge = model;
  judge.listed_records = static_cast<double>(index.size());
  judge.query_match_rate =
      QueryMatchRateOf(log2_sums, judge.listed_records, model.query_match_rate);
  const double odds_bits = judge.PriorBits();
  Counts counts{};
  double total = 0;
  for (const Anchor& a : anchors) {
    const double p =
        std::exp2(a.log2_ratio + odds_bits) / (1 + std::exp2(log2_sums[a.query] + odds_bits));
    total += p;
    for (int f = 0; f < kFieldCount; ++f) {
      const auto fi = static_cast<size_t>(f);
      if (AnchoredFor(a.comparison, static_cast<Field>(f))) {
        counts[fi][a.comparison.levels[fi]] += p;
      }
    }
  }
  if (total < kMinAnchors) return fitted;
  for (int f = 0; f < kFieldCount; ++f) {
    const auto fi = static_cast<size_t>(f);
    const auto levels = static_cast<size_t>(LevelCount(static_cast<Field>(f)));
    AnchoredEstimate(std::span(counts[fi]).subspan(1, levels - 1),
                     std::span(model.m[fi]).subspan(1, levels - 1),
                     std::span(fitted.m[fi]).subspan(1, levels - 1));
  }
  return fitted;
}

FsModel FitModel(const FsModel& base, const CandidateIndex& index,
                 std::span<const Identity> queries, bool same_list) {
  const bool enough_queries = queries.size() >= kMinQueriesToEstimate;
  FsModel model = enough_queries && !same_list && index.size() >= kMinListedToEstimate
                      ? EstimateU(base, queries, index.identities(), kAdaptSamples, /*seed=*/1)
                      : AdaptToWatchlist(base, index.identities());
  if (enough_queries && index.size() >= kMinListedToEstimate) {
    model = EstimateAnchoredM(model, index, queries, same_list);
    model.query_match_rate = EstimateQueryMatchRate(model, index, queries, same_list);
  }
  return model;
}

}  // namespace entente::match
