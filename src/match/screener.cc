#include "match/screener.h"

#include <algorithm>
#include <cmath>

#include "match/blocking_keys.h"

namespace entente::match {

const std::vector<uint32_t>& Screener::Candidates(const Identity& query,
                                                  const ScreenOptions& options,
                                                  Scratch& scratch) const {
  if (scratch.stamp_.size() != index_.size()) {
    scratch.stamp_.assign(index_.size(), 0);
    scratch.evidence_.assign(index_.size(), 0.0F);
    scratch.generation_ = 0;
  }
  if (++scratch.generation_ == 0) {
    std::fill(scratch.stamp_.begin(), scratch.stamp_.end(), 0);
    scratch.generation_ = 1;
  }
  scratch.candidates_.clear();
  const QueryKeys keys = LookupKeys(query);
  // Every key a candidate shares with the query is evidence, the more so the rarer the key:
  // -log2 of the share of the watchlist filed under it.
  const double log2_listed = std::log2(std::max<double>(2.0, static_cast<double>(index_.size())));
  auto gather = [&](const std::vector<uint64_t>& list, bool allow_long) {
    scratch.postings_.clear();
    for (uint64_t key : list) scratch.postings_.emplace_back(index_.Lookup(key).size(), key);
    std::sort(scratch.postings_.begin(), scratch.postings_.end());
    for (const auto& [size, key] : scratch.postings_) {
      if (size == 0) continue;
      if (size > options.max_posting && !allow_long) continue;
      const auto weight =
          static_cast<float>(log2_listed - std::log2(static_cast<double>(size)) + 1);
      for (uint32_t id : index_.Lookup(key)) {
        if (scratch.stamp_[id] != scratch.generation_) {
          if (scratch.candidates_.size() >= options.max_gathered) continue;
          scratch.stamp_[id] = scratch.generation_;
          scratch.evidence_[id] = 0;
          scratch.candidates_.push_back(id);
        }
        scratch.evidence_[id] += weight;
      }
    }
  };
  gather(keys.narrow, false);
  if (scratch.candidates_.size() < options.broad_below) gather(keys.broad, false);
  if (scratch.candidates_.empty()) gather(keys.narrow, true);
  // Only the candidates with the most evidence are compared in full.
  if (scratch.candidates_.size() > options.max_candidates) {
    const auto keep = static_cast<std::ptrdiff_t>(options.max_candidates);
    std::nth_element(scratch.candidates_.begin(), scratch.candidates_.begin() + keep,
                     scratch.candidates_.end(), [&](uint32_t a, uint32_t b) {
                       return scratch.evidence_[a] > scratch.evidence_[b] ||
                              (scratch.evidence_[a] == scratch.evidence_[b] && a < b);
                     });
    scratch.candidates_.resize(options.max_candidates);
  }
  return scratch.candidates_;
}

ScreenMatch Screener::Score(const Identity& query, uint32_t candidate) const {
  ScreenMatch match;
  match.index = candidate;
  match.comparison = CompareIdentities(query, index_.identity(candidate));
  if (match.comparison.name_form_b >= 0 && index_.size() >= kMinListedForNameFrequency) {
    match.comparison.name_frequency_bits =
        std::log2(index_.NameCollisionProbability()) -
        index_.NameLog2Frequency(candidate, match.comparison.name_form_b);
  }
  match.probability = model_.MatchProbability(match.comparison);
  return match;
}

std::vector<ScreenMatch> Screener::Screen(const Identity& query, const ScreenOptions& options,
                                          Scratch& scratch) const {
  std::vector<ScreenMatch> out;
  for (uint32_t candidate : Candidates(query, options, scratch)) {
    const Identity& listed = index_.identity(candidate);
    if (options.skip_same_id && listed.id == query.id) continue;
    const ScreenMatch match = Score(query, candidate);
    if (match.probability >= options.threshold) out.push_back(match);
  }
  std::sort(out.begin(), out.end(), [](const ScreenMatch& a, const ScreenMatch& b) {
    return a.probability > b.probability;
  });
  return out;
}

}  // namespace entente::match
