#include "match/screener.h"

#include <algorithm>
#include <cmath>

#include "match/blocking_keys.h"
#include "match/phone.h"

namespace entente::match {

Screener::Screener(const CandidateIndex& index, const FsModel& model)
    : Screener(index, model, static_cast<double>(index.size()),
               index.size() >= kMinListedForNameFrequency ? index.NameCollisionProbability() : 0) {}

Screener::Screener(const CandidateIndex& index, const FsModel& model, double listed_records,
                   double name_collision_probability)
    : index_(index), model_(model) {
  model_.listed_records = listed_records;
  const auto name = static_cast<size_t>(Field::kName);
  if (name_collision_probability > 0) model_.u[name][1] = name_collision_probability;
  // A closer name is never weaker evidence. u of the rare close levels is estimated from a few
  // random pairs (none at all, sometimes: half a count), that of the exact level from the
  // index's name frequencies, and the two can cross; each level's u is raised so that its
  // weight is at most the closer level's.
  for (int l = 2; l < LevelCount(Field::kName); ++l) {
    const auto at = static_cast<size_t>(l);
    if (model_.m[name][at - 1] > 0 && model_.u[name][at - 1] > 0) {
      model_.u[name][at] = std::max(
          model_.u[name][at], model_.m[name][at] * model_.u[name][at - 1] / model_.m[name][at - 1]);
    }
  }
  if (index.size() >= kMinListedForNameFrequency) {
    collision_log2_ = std::log2(index.NameCollisionProbability());
  }
  prior_bits_ = model_.PriorBits();
  best_frequency_name_weight_ = best_other_name_weight_ = -HUGE_VAL;
  for (int l = 1; l < LevelCount(Field::kName); ++l) {
    double& best = l <= model_.frequency_max_name_level ? best_frequency_name_weight_
                                                        : best_other_name_weight_;
    best = std::max(best, model_.LevelWeight(Field::kName, l));
  }
  for (int f = 0; f < kFieldCount; ++f) {
    for (int l = 1; l < LevelCount(static_cast<Field>(f)); ++l) {
      level_weight_[static_cast<size_t>(f)][static_cast<size_t>(l)] =
          model_.LevelWeight(static_cast<Field>(f), l);
      best_weight_[static_cast<size_t>(f)] = std::max(best_weight_[static_cast<size_t>(f)],
                                                      model_.LevelWeight(static_cast<Field>(f), l));
    }
  }
}

void Screener::Digest(const Identity& query, QueryDigest& digest) {
  digest.births.clear();
  for (const auto& birth : query.births) digest.births.push_back(PackBirth(birth));
  digest.document_ends.clear();
  digest.document_kinds = 0;
  for (const auto& document : query.documents) {
    digest.document_ends.push_back(DocumentEnds(document.number));
    digest.document_kinds |= document.kind == DocumentKind::kIdentity
                                 ? IdentitySummary::kHasIdentityNumber
                                 : IdentitySummary::kHasPassport;
  }
  digest.phone_digests.clear();
  for (const auto& phone : query.phones) {
    digest.phone_digests.push_back(PhoneDigest(PhoneKey(phone)));
  }
}

double Screener::MaxFrequencyBits(const IdentitySummary& summary) const {
  double frequency_bits = 0;
  if (index_.size() >= kMinListedForNameFrequency) {
    frequency_bits = collision_log2_ - summary.min_name_log2_frequency();
  }
  return std::clamp(frequency_bits, model_.frequency_min_bits, model_.frequency_max_bits);
}

double Screener::LeastNameSimilarity(double other_weight, double frequency_bits,
                                     double min_weight) const {
  const auto& name_weight = level_weight_[static_cast<size_t>(Field::kName)];
  auto reaches = [&](int level) {
    const bool adjusted = level >= 1 && level <= model_.frequency_max_name_level;
    return other_weight + name_weight[static_cast<size_t>(level)] +
               (adjusted ? frequency_bits : 0.0) >=
           min_weight;
  };
  // Level 0 (no similarity at all) and the last level take any similarity below the others.
  const int last = LevelCount(Field::kName) - 1;
  if (reaches(0) || reaches(last)) return 0;
  double least = HUGE_VAL;
  for (int level = 1; level < last; ++level) {
    if (reaches(level)) {
      least = std::min(least, kNameLevelThresholds[static_cast<size_t>(level - 1)]);
    }
  }
  return least;
}

double Screener::WeightBound(const Identity& query, uint32_t candidate) const {
  QueryDigest digest;
  Digest(query, digest);
  return WeightBound(query, digest, candidate);
}

double Screener::WeightBound(const Identity& query, const QueryDigest& digest,
                             uint32_t candidate) const {
  const IdentitySummary& s = index_.summary(candidate);
  auto best = [this](Field f) { return best_weight_[static_cast<size_t>(f)]; };
  auto weight = [this](Field f, int level) {
    return level_weight_[static_cast<size_t>(f)][static_cast<size_t>(level)];
  };
  double bound = prior_bits_;
  // Name: its best level, with the candidate's rarest name form for the frequency adjustment.
  bound +=
      std::max({0.0, best_frequency_name_weight_ + MaxFrequencyBits(s), best_other_name_weight_});
  // Birth date: as CompareIdentities finds it (the lowest level of all pairs).
  if (!query.births.empty() && (s.births[0] != 0 || (s.flags & IdentitySummary::kManyBirths))) {
    if (s.flags & IdentitySummary::kManyBirths) {
      bound += best(Field::kBirthDate);
    } else {
      int level = 0;
      for (uint32_t packed : s.births) {
        if (packed == 0) continue;
        for (uint32_t date : digest.births) {
          const int l = PackedBirthDateLevel(date, packed);
          if (level == 0 || l < level) level = l;
        }
      }
      bound += weight(Field::kBirthDate, level);
    }
  }
  if (query.gender != 0 && s.gender != 0) {
    bound += weight(Field::kGender, query.gender == s.gender ? 1 : 2);
  }
  if (!query.nationalities.empty() && s.nationalities[0] != 0) {
    if (s.flags & IdentitySummary::kManyNationalities) {
      bound += best(Field::kNationality);
    } else {
      int level = 2;
      for (uint16_t x : query.nationalities) {
        if (x == s.nationalities[0] || x == s.nationalities[1]) level = 1;
      }
      bound += weight(Field::kNationality, level);
    }
  }
  // Documents and phones: "different" unless the summary shows that they may agree. A listed
  // document in a query's is the strongest evidence there is, and the rarest.
  if (!query.documents.empty() && (s.flags & IdentitySummary::kHasDocument)) {
    bool may_agree = (s.flags & IdentitySummary::kManyDocuments) != 0;
    for (uint32_t ends : digest.document_ends) {
      may_agree |=
          ShareDocumentEnd(ends, s.document_ends[0]) || ShareDocumentEnd(ends, s.document_ends[1]);
    }
    // A number in common is a passport's when both are passports, else the document field's.
    constexpr uint16_t kIdentity = IdentitySummary::kHasIdentityNumber;
    constexpr uint16_t kPassport = IdentitySummary::kHasPassport;
    const bool identity_numbers = (digest.document_kinds & s.flags & kIdentity) != 0;
    const bool passports = (digest.document_kinds & s.flags & kPassport) != 0;
    const bool any_identity = ((digest.document_kinds | s.flags) & kIdentity) != 0;
    if (may_agree && any_identity) {
      bound += best(Field::kDocument);
    } else if (identity_numbers) {
      bound += weight(Field::kDocument, kDocumentDifferent);
    }
    if (may_agree && passports) {
      bound += best(Field::kPassport);
    } else if (passports) {
      bound += weight(Field::kPassport, kDocumentDifferent);
    }
  }
  if (!query.phones.empty() && (s.flags & IdentitySummary::kHasPhone)) {
    bool may_agree = (s.flags & IdentitySummary::kManyPhones) != 0;
    for (uint16_t phone : digest.phone_digests) {
      may_agree |= phone == s.phone_digests[0] || phone == s.phone_digests[1];
    }
    bound += may_agree ? best(Field::kPhone) : weight(Field::kPhone, 2);
  }
  if (!query.addresses.empty() && (s.flags & IdentitySummary::kHasAddress)) {
    bound += best(Field::kAddress);
  }
  if (!query.emails.empty() && (s.flags & IdentitySummary::kHasEmail)) bound += best(Field::kEmail);
  if (!query.weak_names.empty() && (s.flags & IdentitySummary::kHasWeakName)) {
    bound += best(Field::kWeakAlias) + model_.frequency_max_bits;
  }
  if (query.countries[0] != 0 && (s.flags & IdentitySummary::kHasCountry)) {
    if (s.flags & IdentitySummary::kManyCountries) {
      bound += best(Field::kCountry);
    } else {
      const bool agree = std::find(query.countries.begin(), query.countries.end(), s.country) !=
                         query.countries.end();
      bound += weight(Field::kCountry, agree ? 1 : 2);
    }
  }
  return bound;
}

const std::vector<uint32_t>& Screener::Candidates(const Identity& query,
                                                  const ScreenOptions& options,
                                                  Scratch& scratch) const {
  auto& marks = scratch.marks_;
  if (marks.size() != index_.size()) {
    marks.assign(index_.size(), {});
    scratch.generation_ = 0;
  }
  if (++scratch.generation_ == 0) {
    std::fill(marks.begin(), marks.end(), Scratch::Mark{});
    scratch.generation_ = 1;
  }
  scratch.candidates_.clear();
  const QueryKeys keys = LookupKeys(query);
  // Every key a candidate shares with the query is evidence, the more so the rarer the key:
  // -log2 of the share of the watchlist filed under it.
  const double log2_listed = std::log2(std::max<double>(2.0, static_cast<double>(index_.size())));
  auto gather = [&](const std::vector<uint64_t>& list, bool allow_long) {
    index_.Lookup(list, scratch.lists_);
    scratch.postings_.clear();
    for (size_t i = 0; i < list.size(); ++i) {
      scratch.postings_.push_back({scratch.lists_[i].size(), list[i], scratch.lists_[i]});
    }
    std::sort(scratch.postings_.begin(), scratch.postings_.end(),
              [](const Scratch::Posting& a, const Scratch::Posting& b) {
                return a.size < b.size || (a.size == b.size && a.key < b.key);
              });
    // The marks of all the postings are asked for before the first is read: most lists are
    // short, and each mark is a cache miss.
    for (const auto& [size, key, ids] : scratch.postings_) {
      if (size > options.max_posting && !allow_long) continue;
      for (uint32_t id : ids) __builtin_prefetch(&marks[id]);
    }
    for (const auto& [size, key, ids] : scratch.postings_) {
      if (size == 0) continue;
      if (size > options.max_posting && !allow_long) continue;
      const auto weight =
          static_cast<float>(log2_listed - std::log2(static_cast<double>(size)) + 1);
      for (uint32_t id : ids) {
        Scratch::Mark& mark = marks[id];
        if (mark.generation != scratch.generation_) {
          if (scratch.candidates_.size() >= options.max_gathered) continue;
          mark.generation = scratch.generation_;
          mark.evidence = 0;
          scratch.candidates_.push_back(id);
        }
        mark.evidence += weight;
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
                       return marks[a].evidence > marks[b].evidence ||
                              (marks[a].evidence == marks[b].evidence && a < b);
                     });
    scratch.candidates_.resize(options.max_candidates);
  }
  return scratch.candidates_;
}

ScreenMatch Screener::Score(const Identity& query, uint32_t candidate) const {
  ScreenMatch match;
  match.index = candidate;
  match.comparison = CompareIdentities(query, index_.identity(candidate));
  FinishScore(match);
  return match;
}

void Screener::FinishScore(ScreenMatch& match) const {
  if (match.comparison.name_form_b >= 0 && index_.size() >= kMinListedForNameFrequency) {
    match.comparison.name_frequency_bits =
        std::log2(index_.NameCollisionProbability()) -
        index_.NameLog2Frequency(match.index, match.comparison.name_form_b);
  }
  // A nom de guerre in common weighs by how many listed people bear it: the u of "same" against
  // this one's share of the register.
  const double weak_same_u = model_.u[static_cast<size_t>(Field::kWeakAlias)][1];
  if (match.comparison.weak_form_b >= 0 && weak_same_u > 0 &&
      index_.size() >= kMinListedForNameFrequency) {
    const NameForm& weak =
        index_.identity(match.index).weak_names[static_cast<size_t>(match.comparison.weak_form_b)];
    match.comparison.weak_frequency_bits =
        std::log2(weak_same_u) - index_.WeakNameLog2Frequency(weak);
  }
  match.probability = model_.MatchProbability(match.comparison);
}

void Screener::Compete(std::vector<ScreenMatch>& hits, double threshold) const {
  // The query is one person, so at most one listed person is it: the posterior of hit j is
  // o_j / (1 + sum of o_k) over the hits, the odds o of each pair as scored alone (the mixture
  // the query match rate is fitted with, training.h). Two hits that are records of one person
  // (a register holding someone twice, or a file screened against itself) do not compete: hit
  // k counts against j with the probability that j and k are different people, scored as a
  // pair with the same model.
  const size_t n = hits.size();
  std::vector<double> odds(n);
  for (size_t j = 0; j < n; ++j) odds[j] = std::exp2(model_.MatchWeight(hits[j].comparison));
  std::vector<double> others(n, 0.0);
  for (size_t j = 0; j < n; ++j) {
    for (size_t k = j + 1; k < n; ++k) {
      ScreenMatch pair;
      pair.index = hits[k].index;
      pair.comparison =
          CompareIdentities(index_.identity(hits[j].index), index_.identity(hits[k].index));
      FinishScore(pair);
      const double different = 1 - pair.probability;
      others[j] += different * odds[k];
      others[k] += different * odds[j];
    }
  }
  for (size_t j = 0; j < n; ++j) {
    hits[j].comparison.competition_bits = std::log2(1 + others[j]);
    hits[j].probability = model_.MatchProbability(hits[j].comparison);
  }
  std::erase_if(hits, [threshold](const ScreenMatch& m) { return m.probability < threshold; });
}

std::vector<ScreenMatch> Screener::Screen(const Identity& query, const ScreenOptions& options,
                                          Scratch& scratch) const {
  std::vector<ScreenMatch> out;
  // A candidate whose weight cannot reach the threshold's, whatever its name, is not compared
  // in full: with a birth date, most candidates that share a name key end here.
  double min_weight = -HUGE_VAL;
  double min_probability = options.threshold;
  if (options.ranked) {
    min_weight = prior_bits_ + 1e-9;  // evidence for, however little
    min_probability = 0;
  } else if (options.threshold > 0 && options.threshold < 1) {
    min_weight = std::log2(options.threshold / (1 - options.threshold)) - 1e-9;
  }
  Digest(query, scratch.digest_);
  const std::vector<uint32_t>& candidates = Candidates(query, options, scratch);
  // The summaries are read in an order that no cache predicts: ask for them ahead.
  constexpr size_t kPrefetchAhead = 8;
  for (size_t i = 0; i < std::min(kPrefetchAhead, candidates.size()); ++i) {
    __builtin_prefetch(&index_.summary(candidates[i]));
  }
  std::vector<uint32_t>& kept = scratch.kept_;
  kept.clear();
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i + kPrefetchAhead < candidates.size()) {
      __builtin_prefetch(&index_.summary(candidates[i + kPrefetchAhead]));
    }
    if (WeightBound(query, scratch.digest_, candidates[i]) >= min_weight) {
      kept.push_back(candidates[i]);
    }
  }
  // The identities kept are read in full: fetch them all, then the blocks they point to, so
  // that their cache misses overlap.
  for (uint32_t candidate : kept) {
    const auto* bytes = reinterpret_cast<const char*>(&index_.identity(candidate));
    for (size_t at = 0; at < sizeof(Identity); at += 64) __builtin_prefetch(bytes + at);
  }
  for (uint32_t candidate : kept) {
    const Identity& listed = index_.identity(candidate);
    __builtin_prefetch(listed.names.data());
    __builtin_prefetch(listed.births.data());
    __builtin_prefetch(listed.nationalities.data());
    __builtin_prefetch(listed.documents.data());
    __builtin_prefetch(listed.phones.data());
  }
  for (uint32_t candidate : kept) {
    for (const NameForm& form : index_.identity(candidate).names) form.Prefetch();
  }
  for (uint32_t candidate : kept) {
    const Identity& listed = index_.identity(candidate);
    if (options.skip_same_id && listed.id == query.id) continue;
    // The other fields first: they tell how close the names must be, and most candidates'
    // names are not, which the name comparison finds out early.
    ScreenMatch match;
    match.index = candidate;
    CompareOtherFields(query, listed, match.comparison);
    double other_weight = prior_bits_;
    for (size_t f = 0; f < kFieldCount; ++f) {
      if (f != static_cast<size_t>(Field::kName)) {
        other_weight += level_weight_[f][match.comparison.levels[f]];
      }
    }
    // A nom de guerre in common may weigh more for its rarity (FinishScore): at most this.
    if (match.comparison.level(Field::kWeakAlias) == 1) other_weight += model_.frequency_max_bits;
    const double at_least =
        LeastNameSimilarity(other_weight, MaxFrequencyBits(index_.summary(candidate)), min_weight);
    if (at_least > 1 || !CompareNames(query, listed, at_least, match.comparison)) continue;
    FinishScore(match);
    if (match.probability >= min_probability &&
        (!options.ranked || model_.MatchWeight(match.comparison) >= min_weight)) {
      MarkReadFromNumber(query, listed, match.comparison);
      out.push_back(match);
    }
  }
  if (options.one_person && !options.skip_same_id && out.size() > 1) {
    Compete(out, min_probability);
  }
  std::sort(out.begin(), out.end(), [](const ScreenMatch& a, const ScreenMatch& b) {
    return a.probability > b.probability;
  });
  return out;
}

}  // namespace entente::match
