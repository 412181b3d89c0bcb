// Privacy-preserving matching (src/pprl): Dice comparisons/s per kernel on 1024-bit codes (in
// cache and from memory), encoding records/s, and a query against an encoded index of 1M
// synthetic persons (mean, p50 and p99 latency, candidates, and the same by brute force), and
// a check against four such indexes on two threads.
// The index is built once from `entente synth` data (seed 1), streamed: the entities are
// encoded as they are generated and never held.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/check.h"
#include "common/random.h"
#include "model/entity_io.h"
#include "pprl/dice.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "pprl/pprl_testing.h"
#include "synth/population.h"

namespace entente::pprl {
namespace {

constexpr uint64_t kIndexPersons = 1'000'000;
constexpr uint64_t kQueries = 2000;

// Encodes entities as synth writes them.
class EncodingWriter final : public model::EntityWriter {
 public:
  EncodingWriter(const Encoder& encoder, std::vector<EncodedIndex::Entry>* out)
      : encoder_(encoder), out_(out) {}
  Status Write(const model::Entity& entity) override {
    out_->push_back({entity.id, encoder_.Encode(entity)});
    return Status::Ok();
  }
  Status Finish() override { return Status::Ok(); }

 private:
  const Encoder& encoder_;
  std::vector<EncodedIndex::Entry>* out_;
};

// Encodes queries as synth writes them, with their birth readings (Encoder::EncodeQuery).
class QueryWriter final : public model::EntityWriter {
 public:
  QueryWriter(const Encoder& encoder, std::vector<QueryCode>* out) : encoder_(encoder), out_(out) {}
  Status Write(const model::Entity& entity) override {
    out_->push_back(encoder_.EncodeQuery(entity));
    return Status::Ok();
  }
  Status Finish() override { return Status::Ok(); }

 private:
  const Encoder& encoder_;
  std::vector<QueryCode>* out_;
};

struct Population {
  std::vector<EncodedIndex::Entry> watchlist;
  std::vector<QueryCode> queries;
};

Population Synthesize(uint64_t persons, uint64_t queries) {
  const Encoder encoder(testing::TestKey(1));
  Population population;
  population.watchlist.reserve(persons);
  EncodingWriter watchlist(encoder, &population.watchlist);
  QueryWriter query_writer(encoder, &population.queries);
  synth::SynthOptions options;
  options.persons = persons;
  options.queries = queries;
  options.seed = 1;
  synth::SynthSinks sinks;
  sinks.watchlist = &watchlist;
  sinks.queries = &query_writer;
  ENTENTE_CHECK(synth::WritePopulation(options, sinks).ok());
  return population;
}

const EncodedIndex& MillionIndex() {
  static const EncodedIndex* index = [] {
    const auto start = std::chrono::steady_clock::now();
    Population population = Synthesize(kIndexPersons, kQueries);
    const auto encoded = std::chrono::steady_clock::now();
    auto* built =
        new EncodedIndex(EncodedIndex::Build(testing::TestKey(1), std::move(population.watchlist)));
    const auto done = std::chrono::steady_clock::now();
    std::fprintf(stderr, "index of %zu codes: synth + encode %.1f s, build %.1f s, %.0f MiB\n",
                 built->size(), std::chrono::duration<double>(encoded - start).count(),
                 std::chrono::duration<double>(done - encoded).count(),
                 static_cast<double>(built->MemoryBytes()) / (1 << 20));
    return built;
  }();
  return *index;
}

const std::vector<QueryCode>& QueryCodes() {
  static const std::vector<QueryCode> kCodes = Synthesize(2000, kQueries).queries;
  return kCodes;
}

// Random codes of the density real encodings have (about 20%).
void RandomCodes(size_t n, std::vector<BloomCode>& codes, std::vector<uint16_t>& popcounts) {
  Rng rng(5);
  codes.resize(n);
  popcounts.resize(n);
  for (size_t i = 0; i < n; ++i) {
    for (auto& w : codes[i].words) w = rng.Next() & rng.Next() & (rng.Next() | rng.Next());
    popcounts[i] = static_cast<uint16_t>(Popcount(codes[i]));
  }
}

void BM_Dice(benchmark::State& state) {
  const auto kernel = static_cast<Kernel>(state.range(0));
  const auto n = static_cast<size_t>(state.range(1));
  if (!KernelAvailable(kernel)) {
    state.SkipWithError("kernel not supported by this processor");
    return;
  }
  std::vector<BloomCode> codes;
  std::vector<uint16_t> popcounts;
  RandomCodes(n, codes, popcounts);
  std::vector<float> out(n);
  const BloomCode query = codes[n / 2];
  for (auto _ : state) {
    ENTENTE_CHECK(DiceManyWith(kernel, query, codes, popcounts, out.data()).ok());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(KernelName(kernel)));
  state.counters["comparisons/s"] =
      benchmark::Counter(static_cast<double>(n) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
// 2048 codes (256 KiB) stay in L2; 1M codes (128 MiB) come from memory.
BENCHMARK(BM_Dice)->ArgsProduct({{0, 1, 2, 3}, {2048, 1 << 20}});

void BM_Encode(benchmark::State& state) {
  std::vector<model::Entity> entities;
  model::VectorEntityWriter writer(&entities);
  synth::SynthOptions options;
  options.persons = 2000;
  options.queries = 1;
  synth::SynthSinks sinks;
  sinks.watchlist = &writer;
  ENTENTE_CHECK(synth::WritePopulation(options, sinks).ok());
  const Encoder encoder(testing::TestKey(1));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(encoder.Encode(entities[i]));
    i = (i + 1) % entities.size();
  }
  state.counters["records/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Encode);

// One query against the 1M index through the LSH bands (Query) or every code (Scan); the
// latency percentiles are of single queries, cycling through 2000 synthetic queries.
void QueryBenchmark(benchmark::State& state, bool scan) {
  const EncodedIndex& index = MillionIndex();
  const auto& queries = QueryCodes();
  std::vector<double> latencies;
  size_t hits = 0;
  size_t candidates = 0;
  size_t i = 0;
  for (auto _ : state) {
    const QueryCode& query = queries[i % queries.size()];
    const auto start = std::chrono::steady_clock::now();
    const auto found = scan ? index.Scan(query) : index.Query(query);
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    hits += found.size();
    ++i;
  }
  if (!scan) {
    // What the bands find of what comparing everything finds, on the first 200 queries.
    size_t lsh_pairs = 0;
    size_t scan_pairs = 0;
    for (size_t q = 0; q < 200; ++q) {
      candidates += index.CandidateCount(queries[q].code);
      lsh_pairs += index.Query(queries[q]).size();
      scan_pairs += index.Scan(queries[q]).size();
    }
    state.counters["candidates"] = static_cast<double>(candidates) / 200;
    state.counters["recall_vs_scan"] =
        static_cast<double>(lsh_pairs) / static_cast<double>(std::max<size_t>(scan_pairs, 1));
  }
  std::sort(latencies.begin(), latencies.end());
  state.counters["p50_ms"] = latencies[latencies.size() / 2];
  state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100];
  state.counters["hits"] = static_cast<double>(hits) / static_cast<double>(latencies.size());
}
void BM_IndexQuery1M(benchmark::State& state) { QueryBenchmark(state, false); }
void BM_IndexScan1M(benchmark::State& state) { QueryBenchmark(state, true); }
BENCHMARK(BM_IndexQuery1M)->Unit(benchmark::kMillisecond)->Iterations(2000);

// The hit/no-hit check of one record against four partner indexes of 1M identities, on two
// threads (two indexes each). A proxy: the four "partners" are four different queries against
// the one 1M index (each touches its own buckets and codes, so caches do not help; the memory
// of four indexes is not held). Latency of the whole check, a thread started per check.
void BM_FourPartnerCheck(benchmark::State& state) {
  const EncodedIndex& index = MillionIndex();
  const auto& queries = QueryCodes();
  std::vector<double> latencies;
  size_t i = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    size_t hits_a = 0;
    size_t hits_b = 0;
    std::thread other([&] {
      hits_b += index.Query(queries[(i + 2) % queries.size()]).size();
      hits_b += index.Query(queries[(i + 3) % queries.size()]).size();
    });
    hits_a += index.Query(queries[i % queries.size()]).size();
    hits_a += index.Query(queries[(i + 1) % queries.size()]).size();
    other.join();
    benchmark::DoNotOptimize(hits_a + hits_b);
    latencies.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    i += 4;
  }
  std::sort(latencies.begin(), latencies.end());
  state.counters["p50_ms"] = latencies[latencies.size() / 2];
  state.counters["p99_ms"] = latencies[latencies.size() * 99 / 100];
}
BENCHMARK(BM_FourPartnerCheck)->Unit(benchmark::kMillisecond)->Iterations(1000)->UseRealTime();
BENCHMARK(BM_IndexScan1M)->Unit(benchmark::kMillisecond)->Iterations(200);

}  // namespace
}  // namespace entente::pprl

BENCHMARK_MAIN();
