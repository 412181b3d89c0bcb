// Authentication cost: a cached bearer token (the API's steady state) against a full Argon2id
// verification (the first request of a token, or a wrong one), on SQLite.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "common/clock.h"
#include "policy/subject_facts.h"
#include "service/auth.h"
#include "store/test_backends.h"

namespace entente {
namespace {

struct Fixture {
  Fixture() {
    auto opened = store::OpenTestStore(store::TestBackend::kSqlite, SystemClock(), &dir);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
      std::abort();
    }
    store = std::move(opened).value();
    auto admin = service::AddFirstAdministrator(*store, "BE/administration");
    if (!admin.ok()) std::abort();
    service::Caller caller;
    caller.principal = admin->principal;
    caller.context.node_country = "BE";
    caller.context.today = policy::DayOfMicros(SystemClock().NowMicros());
    auto analyst = service::AddUser(*store, caller, {"BE/police", "analyst", "", ""});
    if (!analyst.ok()) std::abort();
    token = analyst->token;
  }
  ~Fixture() {
    store.reset();
    if (!dir.empty()) std::filesystem::remove_all(dir);
  }
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::string token;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();  // lives until exit; benchmarks share it
  return *fixture;
}

void BM_AuthenticateCached(benchmark::State& state) {
  Fixture& f = Shared();
  service::Authenticator authenticator(*f.store, SystemClock());
  if (!authenticator.Authenticate(f.token).ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(authenticator.Authenticate(f.token).ok());
}
BENCHMARK(BM_AuthenticateCached)->ThreadRange(1, 2);

// Past the TTL: the user is read again from the store, the secret is not hashed again.
void BM_AuthenticateRecheck(benchmark::State& state) {
  Fixture& f = Shared();
  service::Authenticator authenticator(*f.store, SystemClock(), 0);
  if (!authenticator.Authenticate(f.token).ok()) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(authenticator.Authenticate(f.token).ok());
}
BENCHMARK(BM_AuthenticateRecheck)->Unit(benchmark::kMicrosecond);

// A token never seen: Argon2id verification (interactive limits: 2 passes, 64 MiB).
void BM_AuthenticateArgon2(benchmark::State& state) {
  Fixture& f = Shared();
  for (auto _ : state) {
    service::Authenticator authenticator(*f.store, SystemClock());
    benchmark::DoNotOptimize(authenticator.Authenticate(f.token).ok());
  }
}
BENCHMARK(BM_AuthenticateArgon2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace entente

BENCHMARK_MAIN();
