#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "match/candidate_index.h"
#include "match/comparison.h"
#include "match/fs_model.h"

namespace entente::match {

// The default probability at or above which a pair is reported.
inline constexpr double kDefaultThreshold = 0.5;

struct ScreenOptions {
  double threshold = kDefaultThreshold;
  // Candidates gathered per query at most (the rarest keys first), and compared in full at
  // most: those that share the most and the rarest keys with the query.
  size_t max_gathered = 20000;
  size_t max_candidates = 300;
  // Posting lists longer than this are skipped unless nothing else was found.
  size_t max_posting = 5000;
  // When the narrow keys find fewer candidates than this, the broad keys are looked up too.
  size_t broad_below = 50;
  // Identity ids that are never reported for a query with the same id (deduplication of a
  // file against itself).
  bool skip_same_id = false;
  // A query is one person: when several listed people reach the threshold, each hit's odds are
  // divided by 1 + the odds of the others that are not the same person as it (Screener::Screen).
  // Not with skip_same_id: a file screened against itself holds a person as often as it has
  // records of them, and those records may compare with each other no better than with the query.
  bool one_person = true;
  // An interactive search (one record typed by a user) rather than a screening: every candidate
  // whose evidence weighs for a match (its match weight above the prior's alone) is kept, best
  // first, whatever `threshold`; the probabilities are the same calibrated ones, and the caller
  // marks which reach its threshold. A name alone finds its bearers this way, where screening
  // needs more (an exact rare name weighs less than the prior of one query against a register).
  bool ranked = false;
};

struct ScreenMatch {
  uint32_t index = 0;  // in the CandidateIndex
  double probability = 0;
  Comparison comparison;
};

// Screening of one identity against an index (ARCHITECTURE.md, matching steps 3-5): gathers
// candidates by blocking keys, compares each, scores it with the Fellegi-Sunter model and keeps
// those at or above the threshold, best first. The screener is immutable and shared by threads;
// each thread brings its own Scratch.
class Screener {
  // What WeightBound compares with a candidate's summary, computed once per query.
  struct QueryDigest {
    std::vector<uint32_t> births;  // PackBirth
    std::vector<uint32_t> document_ends;
    uint16_t document_kinds = 0;  // IdentitySummary::kHasIdentityNumber, kHasPassport
    std::vector<uint16_t> phone_digests;
  };

 public:
  // Per-thread working memory, reused between queries.
  class Scratch {
   public:
    Scratch() = default;

   private:
    friend class Screener;
    QueryDigest digest_;
    // Per listed identity: the query that last gathered it, and its evidence for that query
    // (side by side: one cache miss a posting).
    struct Mark {
      uint32_t generation = 0;
      float evidence = 0;
    };
    std::vector<Mark> marks_;
    uint32_t generation_ = 0;
    std::vector<uint32_t> candidates_;
    std::vector<uint32_t> kept_;  // candidates that the weight bound keeps
    std::vector<std::span<const uint32_t>> lists_;
    struct Posting {
      size_t size;
      uint64_t key;
      std::span<const uint32_t> ids;
    };
    std::vector<Posting> postings_;
  };

  // `index` must outlive the screener; the model is copied, its prior spread over the index.
  // The u of an exact name match is the index's name collision probability, when the index is
  // large enough to say (kMinListedForNameFrequency).
  static constexpr size_t kMinListedForNameFrequency = 1000;
  Screener(const CandidateIndex& index, const FsModel& model);
  // For an index that holds part of a larger watchlist (the recent writes of a live register):
  // the prior is spread over `listed_records`, and the u of an exact name match is
  // `name_collision_probability` (the larger part's), unless 0.
  Screener(const CandidateIndex& index, const FsModel& model, double listed_records,
           double name_collision_probability);

  std::vector<ScreenMatch> Screen(const Identity& query, const ScreenOptions& options,
                                  Scratch& scratch) const;

  // The candidates the blocking keys find for `query` (for measuring candidate recall).
  const std::vector<uint32_t>& Candidates(const Identity& query, const ScreenOptions& options,
                                          Scratch& scratch) const;

  // Scores one pair as Screen does (the term-frequency adjustment included).
  ScreenMatch Score(const Identity& query, uint32_t candidate) const;

  // The model as the screener applies it (its prior spread over the index).
  const FsModel& model() const { return model_; }

  // An upper bound of the match weight of `query` and `candidate`, read from the candidate's
  // summary alone: the name at its best level, every other field as it compares or at its best.
  double WeightBound(const Identity& query, uint32_t candidate) const;

 private:
  static void Digest(const Identity& query, QueryDigest& digest);
  // The name-frequency adjustment at its largest for the candidate (its rarest name form).
  double MaxFrequencyBits(const IdentitySummary& summary) const;
  // The least name similarity with which a pair whose other fields weigh `other_weight` (the
  // prior included) may weigh `min_weight`; infinite when no name could make it.
  double LeastNameSimilarity(double other_weight, double frequency_bits, double min_weight) const;
  // Sets the frequency adjustment and the probability of a compared pair.
  void FinishScore(ScreenMatch& match) const;
  // ScreenOptions::one_person: sets the competition of each hit and drops those it takes below
  // `threshold`.
  void Compete(std::vector<ScreenMatch>& hits, double threshold) const;
  double WeightBound(const Identity& query, const QueryDigest& digest, uint32_t candidate) const;

  const CandidateIndex& index_;
  FsModel model_;
  // The best weight of a name level that the frequency adjustment applies to, and of the others.
  double best_frequency_name_weight_ = 0;
  double best_other_name_weight_ = 0;
  double collision_log2_ = 0;
  std::array<double, kFieldCount> best_weight_{};  // of each field, at least 0
  double prior_bits_ = 0;
  FsModel::Table level_weight_{};  // model_.LevelWeight of each field and level
};

}  // namespace entente::match
