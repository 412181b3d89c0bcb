#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "match/candidate_index.h"
#include "match/fs_model.h"

namespace entente::match {

// Estimates u, the probability of each comparison level for two different people, from
// `samples` random pairs of identities (a from `left`, b from `right`, never the same
// position when they are the same list). A field of a pair is not counted when the pair's
// other fields alone make it more likely one person than two (by `base`, a match being one pair
// in right.size()): random pairs of small lists are now and then one person. m and the prior
// are copied from `base`. Levels never seen get half a count, so that no weight is infinite.
// Deterministic for a seed; pure.
FsModel EstimateU(const FsModel& base, std::span<const Identity> left,
                  std::span<const Identity> right, size_t samples, uint64_t seed);

// Below these sizes the data say too little: u stays the model's under kMinListedToEstimate
// listed records, the query match rate under kMinQueriesToEstimate queries.
inline constexpr size_t kMinListedToEstimate = 1000;
inline constexpr size_t kMinQueriesToEstimate = 200;

// The built-in model with u estimated on the watchlist itself (kAdaptSamples random pairs):
// what screening uses when it is given no trained model.
inline constexpr size_t kAdaptSamples = 200000;
FsModel AdaptToWatchlist(const FsModel& base, const std::vector<Identity>& watchlist);

// Estimates the share of queries that have a match in the watchlist (the prior), m and u
// held: EM for the one mixing weight of a mixture in which a query is listed (one listed record,
// any of them a priori, is the same person) or not; the evidence of a query is the sum of its
// candidates' likelihood ratios, and records that blocking does not find count as non-matches.
double EstimateQueryMatchRate(const FsModel& model, const CandidateIndex& index,
                              std::span<const Identity> queries, bool same_list);

// The query match rate (share of queries that are listed at all) that best explains
// `log2_ratio_sums`: per query, log2 of the sum over its candidates of the likelihood ratio m/u
// of the pair (the prior left out; -infinity without candidates), for `listed` listed records.
// Fixed-point iteration of the mixture of EstimateQueryMatchRate, from `start`.
double QueryMatchRateOf(std::span<const double> log2_ratio_sums, double listed, double start);

// The maximum a posteriori probabilities of one field's levels from the anchors' `counts` and
// kAnchorPriorPairs pairs spread as `prior` (normalised): a level the anchors never show keeps
// some probability (real records are messier than any sample), and a field they seldom show
// stays near `prior`. Writes `out` (the size of `counts`); leaves it when `prior` sums to 0.
inline constexpr double kAnchorPriorPairs = 50;
void AnchoredEstimate(std::span<const double> counts, std::span<const double> prior,
                      std::span<double> out);

// m re-estimated from the candidate pairs of `queries` that agree on an identifier (an identity
// number, a passport number or a phone number; the anchors): those are one person with near
// certainty whatever their names and dates, so the levels of their other fields are a sample of
// m (of a field that is itself an identifier, the anchors that agree on another one). Each
// anchor counts with its posterior under `model` (one person per query, at the query match rate
// that `model` explains the queries with). Each field's m is AnchoredEstimate's with `model`'s m
// as the prior; with anchors weighing less than kMinAnchors in all, m stays `model`'s. u and
// the prior are copied from `model`. Fitting m by EM on all candidate pairs instead converged
// to namesakes as matches (docs/matching.md).
inline constexpr double kMinAnchors = 100;
FsModel EstimateAnchoredM(const FsModel& model, const CandidateIndex& index,
                          std::span<const Identity> queries, bool same_list);

// What screening does when it is given no trained model: u estimated on random pairs of a query
// and a listed record, the pairs that screening scores (on pairs of listed records,
// AdaptToWatchlist, when there are too few queries or they are the watchlist itself: query files
// are often less complete than a register, and a year-only birth date that agrees is more
// common between a query and a listed record than between two listed records); then m from the
// pairs that agree on an identifier (EstimateAnchoredM) and the query match rate, both on
// `queries` (a sample of the records to screen: a few thousand are enough).
FsModel FitModel(const FsModel& base, const CandidateIndex& index,
                 std::span<const Identity> queries, bool same_list);

}  // namespace entente::match
