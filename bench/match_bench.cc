// Throughput of the token comparators (pairs/s) on name tokens of 3 to 12 symbols, built from
// syllables of the names the register holds, with the query prepared once (the hot path) and
// without (one-off calls).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/random.h"
#include "match/jaro_winkler.h"
#include "match/levenshtein.h"

namespace entente::match {
namespace {

constexpr int kCandidates = 4096;
constexpr int kQueries = 64;

const std::string_view kSyllables[] = {
    "mo", "ha",  "med", "el", "am",  "ra", "ni",  "ben", "ab", "del", "ka", "der", "fa",
    "ti", "ma",  "you", "se", "f",   "ou", "ss",  "ah",  "la", "ri",  "ch", "id",  "sa",
    "ir", "bou", "zi",  "an", "ne",  "mi", "kh",  "al",  "dj", "ber", "ta", "her", "ja",
    "an", "van", "de",  "ve", "lde", "jo", "sep", "hi",  "er", "ic",  "ya", "si",  "ne"};

// A token of 3..12 letters from 1..4 syllables, lowercase ASCII as normalisation leaves it.
std::string RandomToken(Rng& rng) {
  std::string token;
  const int syllables = static_cast<int>(rng.Between(1, 4));
  for (int i = 0; i < syllables; ++i) token += kSyllables[rng.Below(std::size(kSyllables))];
  while (token.size() < 3) token += kSyllables[rng.Below(std::size(kSyllables))];
  if (token.size() > 12) token.resize(12);
  return token;
}

// A near copy of `token` (one typo) about half the time, so that the Winkler boost and the
// transposition loop run as often as they do on real candidate lists.
std::string RandomQuery(Rng& rng, const std::vector<std::string>& candidates) {
  std::string query = candidates[rng.Below(candidates.size())];
  if (rng.Chance(0.5)) return RandomToken(rng);
  const size_t at = rng.Below(query.size());
  if (rng.Chance(0.5) && at + 1 < query.size()) {
    std::swap(query[at], query[at + 1]);
  } else {
    query[at] = static_cast<char>('a' + rng.Below(26));
  }
  return query;
}

struct Tokens {
  std::vector<std::string> candidates;
  std::vector<std::string> queries;
  std::vector<std::u32string> candidates32;
  std::vector<std::u32string> queries32;
  // Views into one buffer, as a candidate index would hand them out.
  std::string arena;
  std::vector<std::string_view> candidate_views;
};

std::u32string Widen(std::string_view s) { return std::u32string(s.begin(), s.end()); }

const Tokens& SharedTokens() {
  static const Tokens* tokens = [] {
    auto* t = new Tokens;
    Rng rng(1234);
    for (int i = 0; i < kCandidates; ++i) t->candidates.push_back(RandomToken(rng));
    for (int i = 0; i < kQueries; ++i) t->queries.push_back(RandomQuery(rng, t->candidates));
    for (const auto& c : t->candidates) t->candidates32.push_back(Widen(c));
    for (const auto& q : t->queries) t->queries32.push_back(Widen(q));
    for (const auto& c : t->candidates) t->arena += c;
    size_t offset = 0;
    for (const auto& c : t->candidates) {
      t->candidate_views.emplace_back(t->arena.data() + offset, c.size());
      offset += c.size();
    }
    return t;
  }();
  return *tokens;
}

void BM_JaroWinklerPattern(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  std::vector<JaroPattern> patterns;
  for (const auto& q : tokens.queries) patterns.emplace_back(q);
  size_t q = 0;
  for (auto _ : state) {
    const JaroPattern& pattern = patterns[q++ % patterns.size()];
    double sum = 0;
    for (std::string_view candidate : tokens.candidate_views) sum += pattern.JaroWinkler(candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_JaroWinklerPattern);

// Candidates as a blocking step returns them: variants of the query with 0 to 3 edits, so most
// pairs score above the Winkler threshold and have transpositions to count.
std::string Edit(Rng& rng, std::string token) {
  const int edits = static_cast<int>(rng.Between(0, 3));
  for (int e = 0; e < edits && token.size() > 1; ++e) {
    const size_t at = rng.Below(token.size());
    const char letter = static_cast<char>('a' + rng.Below(26));
    switch (rng.Below(4)) {
      case 0:
        token[at] = letter;
        break;
      case 1:
        token.erase(at, 1);
        break;
      case 2:
        token.insert(token.begin() + static_cast<std::ptrdiff_t>(at), letter);
        break;
      default:
        if (at + 1 < token.size()) std::swap(token[at], token[at + 1]);
        break;
    }
  }
  return token;
}

constexpr int kBlockSize = 256;

void BM_JaroWinklerPatternBlocked(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  Rng rng(99);
  std::vector<JaroPattern> patterns;
  std::vector<std::vector<std::string>> blocks;
  for (const auto& q : tokens.queries) {
    patterns.emplace_back(q);
    blocks.emplace_back();
    for (int i = 0; i < kBlockSize; ++i) blocks.back().push_back(Edit(rng, q));
  }
  size_t q = 0;
  for (auto _ : state) {
    const size_t which = q++ % patterns.size();
    double sum = 0;
    for (std::string_view candidate : blocks[which]) sum += patterns[which].JaroWinkler(candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kBlockSize);
}
BENCHMARK(BM_JaroWinklerPatternBlocked);

void BM_JaroWinklerPattern32(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  std::vector<JaroPattern32> patterns;
  for (const auto& q : tokens.queries32) patterns.emplace_back(q);
  size_t q = 0;
  for (auto _ : state) {
    const JaroPattern32& pattern = patterns[q++ % patterns.size()];
    double sum = 0;
    for (const auto& candidate : tokens.candidates32) sum += pattern.JaroWinkler(candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_JaroWinklerPattern32);

void BM_JaroWinklerOneOff(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    const std::string_view query = tokens.queries[q++ % tokens.queries.size()];
    double sum = 0;
    for (std::string_view candidate : tokens.candidate_views) sum += JaroWinkler(query, candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_JaroWinklerOneOff);

void BM_JaroWinklerOneOff32(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    const std::u32string_view query = tokens.queries32[q++ % tokens.queries32.size()];
    double sum = 0;
    for (const auto& candidate : tokens.candidates32) sum += JaroWinkler(query, candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_JaroWinklerOneOff32);

// The scalar transcription of jellyfish, for scale.
void BM_JaroWinklerScalar(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    const std::u32string_view query = tokens.queries32[q++ % tokens.queries32.size()];
    double sum = 0;
    for (const auto& candidate : tokens.candidates32) {
      sum += internal::JaroWinklerScalar(query, candidate, false);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_JaroWinklerScalar);

void BM_LevenshteinPattern(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  std::vector<LevenshteinPattern> patterns;
  for (const auto& q : tokens.queries) patterns.emplace_back(q);
  size_t q = 0;
  for (auto _ : state) {
    const LevenshteinPattern& pattern = patterns[q++ % patterns.size()];
    int sum = 0;
    for (std::string_view candidate : tokens.candidate_views) sum += pattern.Distance(candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_LevenshteinPattern);

void BM_LevenshteinPatternAtMost2(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  std::vector<LevenshteinPattern> patterns;
  for (const auto& q : tokens.queries) patterns.emplace_back(q);
  size_t q = 0;
  for (auto _ : state) {
    const LevenshteinPattern& pattern = patterns[q++ % patterns.size()];
    int sum = 0;
    for (std::string_view candidate : tokens.candidate_views) {
      sum += pattern.DistanceAtMost(candidate, 2);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_LevenshteinPatternAtMost2);

void BM_LevenshteinOneOff(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    const std::string_view query = tokens.queries[q++ % tokens.queries.size()];
    int sum = 0;
    for (std::string_view candidate : tokens.candidate_views) sum += Levenshtein(query, candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_LevenshteinOneOff);

void BM_LevenshteinOneOff32(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    const std::u32string_view query = tokens.queries32[q++ % tokens.queries32.size()];
    int sum = 0;
    for (const auto& candidate : tokens.candidates32) sum += Levenshtein(query, candidate);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kCandidates);
}
BENCHMARK(BM_LevenshteinOneOff32);

void BM_JaroPatternBuild(benchmark::State& state) {
  const Tokens& tokens = SharedTokens();
  size_t q = 0;
  for (auto _ : state) {
    JaroPattern pattern(tokens.queries[q++ % tokens.queries.size()]);
    benchmark::DoNotOptimize(pattern);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JaroPatternBuild);

}  // namespace
}  // namespace entente::match

BENCHMARK_MAIN();
