// The store on both backends: importing a synthetic register of 100,000 subjects (links and
// custody derived) in transactions of 1,000, and reading subjects back by id. PostgreSQL is a
// throwaway server (TestPostgresServer) with durable commits (fsync on); SQLite runs in WAL
// mode with synchronous=NORMAL, in a temporary file.

#include <stdlib.h>

#include <benchmark/benchmark.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "common/check.h"
#include "store/store.h"
#include "store/test_postgres_server.h"
#include "synth/population.h"

namespace entente::store {
namespace {

constexpr uint64_t kSubjects = 100'000;
constexpr size_t kBatch = 1'000;

enum class Backend { kSqlite, kPostgres };

const std::vector<model::Entity>& Population() {
  static const std::vector<model::Entity> population = [] {
    std::vector<model::Entity> out;
    out.reserve(kSubjects);
    model::VectorEntityWriter writer(&out);
    synth::SynthOptions options;
    options.persons = kSubjects;
    synth::SynthSinks sinks;
    sinks.watchlist = &writer;
    ENTENTE_CHECK(synth::WritePopulation(options, sinks).ok());
    return out;
  }();
  return population;
}

TestPostgresServer& Postgres() {
  static const std::unique_ptr<TestPostgresServer> server = [] {
    auto started = TestPostgresServer::Start({.fsync = true});
    if (!started.ok()) {
      fprintf(stderr, "store_bench: %s\n", started.status().ToString().c_str());
      abort();
    }
    return std::move(started).value();
  }();
  return *server;
}

// A fresh, empty database of `backend`.
std::string NewLocation(Backend backend) {
  if (backend == Backend::kPostgres) {
    auto url = Postgres().CreateDatabase();
    ENTENTE_CHECK(url.ok());
    return *url;
  }
  // Removed at exit.
  struct TempDir {
    std::string path;
    TempDir() {
      char name[] = "/tmp/entente-store-bench-XXXXXX";
      ENTENTE_CHECK(mkdtemp(name) != nullptr);
      path = name;
    }
    ~TempDir() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const TempDir dir;
  static int next = 0;
  return dir.path + "/bench-" + std::to_string(++next) + ".db";
}

std::unique_ptr<Store> OpenFresh(Backend backend) {
  auto store = OpenStore(NewLocation(backend));
  ENTENTE_CHECK(store.ok());
  return std::move(store).value();
}

void Import(Store& store, const std::vector<model::Entity>& population) {
  for (size_t begin = 0; begin < population.size(); begin += kBatch) {
    const size_t end = std::min(population.size(), begin + kBatch);
    Status status = store.Write([&](WriteTxn& txn) -> Status {
      for (size_t i = begin; i < end; ++i) {
        ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(population[i]).status());
      }
      return txn.audit().Append({"bench", "BE/intelligence", "import", "", "benchmark", "",
                                 "{\"rows\":" + std::to_string(end - begin) + "}"});
    });
    ENTENTE_CHECK(status.ok());
  }
}

void BM_Import(benchmark::State& state, Backend backend) {
  const auto& population = Population();
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Store> store = OpenFresh(backend);
    state.ResumeTiming();
    Import(*store, population);
    state.PauseTiming();
    ENTENTE_CHECK(*store->subjects().Count() == static_cast<int64_t>(population.size()));
    store.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * population.size()));
}

// One store per backend with the population imported, shared by the read benchmarks.
Store& Loaded(Backend backend) {
  static std::unique_ptr<Store> stores[2];
  auto& store = stores[static_cast<int>(backend)];
  if (store == nullptr) {
    store = OpenFresh(backend);
    Import(*store, Population());
  }
  return *store;
}

void BM_GetById(benchmark::State& state, Backend backend) {
  static std::once_flag loaded[2];
  std::call_once(loaded[static_cast<int>(backend)], [&] { Loaded(backend); });
  Store& store = Loaded(backend);
  std::mt19937_64 rng(static_cast<uint64_t>(state.thread_index()) + 1);
  std::uniform_int_distribution<uint64_t> pick(0, kSubjects - 1);
  for (auto _ : state) {
    auto subject = store.subjects().Get(synth::WatchlistId(pick(rng)));
    ENTENTE_CHECK(subject.ok());
    benchmark::DoNotOptimize(subject);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK_CAPTURE(BM_Import, sqlite, Backend::kSqlite)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Import, postgres, Backend::kPostgres)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_GetById, sqlite, Backend::kSqlite)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(2);
BENCHMARK_CAPTURE(BM_GetById, postgres, Backend::kPostgres)
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(2);

}  // namespace
}  // namespace entente::store

BENCHMARK_MAIN();
