// The node under load (issue 4's targets): imports `--subjects` synthetic subjects into a fresh
// store (SQLite file, or a throwaway PostgreSQL with --backend postgres), builds the live index,
// starts the API on loopback and has `--clients` concurrent clients screen one record per
// request through POST /api/v1/screen for `--seconds`. Prints import time, index time and the
// latency percentiles and throughput of the screening requests.
//
// Usage: api_load [--subjects 100000] [--clients 64] [--seconds 10] [--backend sqlite|postgres]
//                 [--rate R] [--search names|filtered]
// --search names: each request is what the console's search page sends, a name alone (the
// query's first name, another spelling of a listed person's) in search mode: the best
// candidates, ranked. --search filtered adds the filters {"owner_agency": "BE",
// "custody": "not_held"}.
// --rate 0 (the default) is a closed loop: each client sends its next request as soon as the
// last is answered, so the figures are those of a saturated server. --rate R paces each client
// to R requests per second (an open loop, like analysts at their consoles); a request's latency
// is then counted from when it was due, so a server that falls behind is not flattered.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "http/client.h"
#include "model/entity_json.h"
#include "service/auth.h"
#include "store/test_backends.h"
#include "synth/population.h"

namespace {

using namespace entente;  // NOLINT(google-build-using-namespace): a benchmark's main file

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "api_load: %s\n", status.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  size_t subjects = 100000;
  int clients = 64;
  double seconds = 10;
  std::string backend = "sqlite";
  double rate = 0;
  std::string search;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--search") == 0) search = argv[i + 1];
    if (std::strcmp(argv[i], "--subjects") == 0) subjects = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--clients") == 0) clients = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--seconds") == 0) seconds = std::stod(argv[i + 1]);
    if (std::strcmp(argv[i], "--backend") == 0) backend = argv[i + 1];
    if (std::strcmp(argv[i], "--rate") == 0) rate = std::stod(argv[i + 1]);
  }
  std::vector<model::Entity> listed, queries;
  {
    model::VectorEntityWriter watchlist(&listed), query_writer(&queries);
    synth::SynthOptions options;
    options.persons = subjects;
    options.queries = std::min<size_t>(subjects, 20000);
    options.seed = 1;
    synth::SynthSinks sinks;
    sinks.watchlist = &watchlist;
    sinks.queries = &query_writer;
    const Status status = synth::WritePopulation(options, sinks);
    if (!status.ok()) return Fail(status);
  }
  const store::TestBackend which =
      backend == "postgres" ? store::TestBackend::kPostgres : store::TestBackend::kSqlite;
  std::string dir;
  const Clock& clock = SystemClock();
  auto opened = store::OpenTestStore(which, clock, &dir);
  if (!opened.ok()) return Fail(opened.status());
  std::unique_ptr<store::Store> store = std::move(opened).value();

  auto start = std::chrono::steady_clock::now();
  constexpr size_t kBatch = 1000;
  for (size_t i = 0; i < listed.size(); i += kBatch) {
    const Status status = store->Write([&](store::WriteTxn& txn) -> Status {
      for (size_t j = i; j < std::min(listed.size(), i + kBatch); ++j) {
        ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(listed[j]).status());
      }
      return Status::Ok();
    });
    if (!status.ok()) return Fail(status);
  }
  const double import_seconds = Seconds(start);

  start = std::chrono::steady_clock::now();
  service::LiveIndexOptions index_options;
  index_options.threads = 2;
  index_options.clock = &clock;
  auto index = service::LiveIndex::Open(*store, index_options);
  if (!index.ok()) return Fail(index.status());
  const double index_seconds = Seconds(start);

  auto admin = service::AddFirstAdministrator(*store, "BE/administration");
  if (!admin.ok()) return Fail(admin.status());
  service::Caller caller{admin->principal, {}};
  caller.context.node_country = "BE";
  caller.context.today = policy::DayOfMicros(clock.NowMicros());
  auto analyst = service::AddUser(*store, caller, {"BE/police", "analyst", "consult", ""});
  if (!analyst.ok()) return Fail(analyst.status());
  service::Register subjects_service(*store, **index, clock);
  service::Authenticator authenticator(*store, clock);
  api::ApiDeps deps;
  deps.subjects = &subjects_service;
  deps.index = index->get();
  deps.store = store.get();
  deps.clock = &clock;
  deps.node_country = "BE";
  deps.authenticate = [&](std::string_view token) { return authenticator.Authenticate(token); };
  api::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 16;
  auto server = api::ApiServer::Create(deps, server_options);
  if (!server.ok()) return Fail(server.status());
  if (Status s = (*server)->Start(); !s.ok()) return Fail(s);

  std::vector<std::string> bodies;
  for (const auto& q : queries) {
    if (search.empty()) {
      bodies.push_back(nlohmann::json({{"query", model::EntityToJson(q)}}).dump());
      continue;
    }
    const std::string_view name = q.First("name");
    if (name.empty()) continue;
    nlohmann::json body = {
        {"query", {{"schema", "Person"}, {"properties", {{"name", {std::string(name)}}}}}},
        {"mode", "search"}};
    if (search == "filtered") body["filters"] = {{"owner_agency", "BE"}, {"custody", "not_held"}};
    bodies.push_back(body.dump());
  }
  if (bodies.empty()) return Fail(InvalidArgument("no query to send"));
  // One request first: the token's Argon2id check (tens of ms, once per token and process) and
  // the first catch-up are start-up costs, not the steady state measured below.
  {
    http::Client warm(http::ClientOptions::Plain("127.0.0.1", (*server)->port()));
    auto res = warm.Post("/api/v1/screen", bodies.front(),
                         {{"Authorization", "Bearer " + analyst->token},
                          {"X-Justification", "load test of the screening API (synthetic data)"}});
    if (!res.ok() || res->status != 200) return Fail(Internal("the warm-up request failed"));
  }
  std::atomic<bool> stop{false};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  const std::vector<http::Header> headers = {
      {"Authorization", "Bearer " + analyst->token},
      {"X-Justification", "load test of the screening API (synthetic data)"}};
  start = std::chrono::steady_clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      http::Client client(http::ClientOptions::Plain("127.0.0.1", (*server)->port()));
      size_t next = static_cast<size_t>(c) * 7919 % bodies.size();
      // Paced clients start spread over one period, so that they do not arrive together.
      const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(rate > 0 ? 1 / rate : 0));
      auto due = std::chrono::steady_clock::now() + period * c / clients;
      while (!stop.load()) {
        if (rate > 0) {
          std::this_thread::sleep_until(due);
          if (stop.load()) break;
        }
        const auto t0 = rate > 0 ? due : std::chrono::steady_clock::now();
        due += period;
        auto res = client.Post("/api/v1/screen", bodies[next], headers);
        latencies[static_cast<size_t>(c)].push_back(Seconds(t0));
        if (!res.ok() || res->status != 200) {
          if (errors++ == 0) {
            std::fprintf(stderr, "first error: %s\n",
                         res.ok() ? (std::to_string(res->status) + " " + res->body).c_str()
                                  : res.status().ToString().c_str());
          }
        }
        next = (next + 1) % bodies.size();
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = Seconds(start);
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    return all.empty() ? 0.0 : all[std::min(all.size() - 1, static_cast<size_t>(p * all.size()))];
  };
  const std::string what = search.empty() ? "screening" : "searching by name (" + search + ")";
  const std::string load =
      rate > 0 ? "each paced to " + std::to_string(static_cast<int>(rate)) + " requests/s"
               : "closed loop";
  std::printf(
      "backend %s: %zu subjects imported in %.2f s (%.0f/s); live index built in %.2f s\n"
      "%s through the API, %d clients (%s), %.1f s: %zu requests (%.0f/s), %lld errors\n"
      "latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      backend.c_str(), listed.size(), import_seconds, listed.size() / import_seconds, index_seconds,
      what.c_str(), clients, load.c_str(), elapsed, all.size(), all.size() / elapsed,
      static_cast<long long>(errors.load()), pct(0.5) * 1e3, pct(0.9) * 1e3, pct(0.99) * 1e3,
      all.empty() ? 0.0 : all.back() * 1e3);
  (*server)->Stop();
  server->reset();
  store.reset();
  if (!dir.empty()) std::filesystem::remove_all(dir);
  return errors.load() == 0 ? 0 : 1;
}
