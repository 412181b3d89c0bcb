// Hit/no-hit checks answered by the owner (service/owner_answers.h), the whole path: MA encodes
// a record and sends a signed check to BE's federation endpoint over mutual TLS on loopback
// (federation::HttpsTransport); BE verifies it, limits it, matches it against the encoded index
// of the N subjects MA may be told of (OwnerIndexes), records the hits, audits the check in one
// SQLite transaction and signs its answer; MA verifies the answer. BE's register is N synthetic
// persons (default 1M) in a SQLite store, published (the bookkeeping of references) as its
// publication job does.
//
//   owner_check_bench [--persons N] [--checks C] [--batch Q]
//
// Prints the set-up times, the latency percentiles of one check (the round trip alone:
// AskOwners; and as an analyst's screening runs it: CheckPartnerIndexes, with MA's hits
// recorded and audited), and a batch of Q queries (default 10,000) in requests of BE's size.

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "api/federation_server.h"
#include "federation/crypto.h"
#include "federation/https_transport.h"
#include "federation/inbox.h"
#include "federation/index_update.h"
#include "federation/partner.h"
#include "model/entity_io.h"
#include "pprl/encoder.h"
#include "service/index_publish.h"
#include "service/node.h"
#include "service/node_setup.h"
#include "service/owner_answers.h"
#include "service/partner_screening.h"
#include "synth/population.h"

using namespace entente;

namespace {

void Check(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "owner_check_bench: %s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(q * (values.size() - 1) + 0.5))];
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double PeakRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

struct BenchNode {
  std::string country;
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<federation::NodeKeys> keys;
};

}  // namespace

int main(int argc, char** argv) {
  uint64_t persons = 1'000'000;
  size_t checks = 2000;
  size_t batch = 10'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--persons") == 0) persons = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--checks") == 0) checks = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--batch") == 0) batch = std::stoul(argv[i + 1]);
  }
  const Clock& clock = SystemClock();
  char root_template[] = "/tmp/entente-ownerbench-XXXXXX";
  const std::string root = mkdtemp(root_template);
  BenchNode be{"BE", root + "/BE", nullptr, nullptr};
  BenchNode ma{"MA", root + "/MA", nullptr, nullptr};
  for (BenchNode* n : {&be, &ma}) {
    const service::NodePaths paths(n->dir);
    auto summary = service::InitNode(paths, n->country, service::InitOptions(), clock);
    Check(summary.status(), "node init");
    auto store = service::OpenNodeStore(paths, summary->config, clock);
    Check(store.status(), "open store");
    n->store = std::move(store).value();
    auto keys = service::LoadNodeKeys(paths, summary->config);
    Check(keys.status(), "keys");
    n->keys = std::make_unique<federation::NodeKeys>(std::move(keys).value());
  }

  // BE's register: the synthetic population, as terrorism convicts of BE/intelligence.
  auto start = std::chrono::steady_clock::now();
  std::vector<model::Entity> queries;
  {
    std::vector<model::Entity> listed;
    model::VectorEntityWriter listed_writer(&listed);
    model::VectorEntityWriter query_writer(&queries);
    std::ostringstream truth;
    synth::SynthOptions options;
    options.persons = persons;
    options.queries = std::min<uint64_t>(persons, 5000);
    options.seed = 1;
    synth::SynthSinks sinks;
    sinks.watchlist = &listed_writer;
    sinks.queries = &query_writer;
    sinks.truth = &truth;
    Check(synth::WritePopulation(options, sinks), "synthetic population");
    constexpr size_t kPerTxn = 5000;
    for (size_t from = 0; from < listed.size(); from += kPerTxn) {
      Check(be.store->Write([&](store::WriteTxn& txn) -> Status {
        for (size_t i = from; i < std::min(listed.size(), from + kPerTxn); ++i) {
          model::Entity& e = listed[i];
          e.Set("category", {"terrorism_convict"});
          e.Set("ownerAgency", {"BE/intelligence"});
          ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(e).status());
        }
        return Status::Ok();
      }),
            "register");
    }
    std::printf("register of %zu subjects written: %.1f s\n", listed.size(), Seconds(start));
  }

  // BE and MA agree on checks answered by the owner.
  api::FederationServer::Options endpoint;
  endpoint.port = 0;
  endpoint.tls_cert = be.keys->tls_cert_path;
  endpoint.tls_key = be.keys->tls_key_path;
  const pprl::EncodingKey key = federation::NewEncodingKey(1);
  const pprl::Encoder encoder(key);
  service::HitNoHitContext be_hnh{{be.keys.get(), &clock, {}}, &encoder, nullptr};
  service::OwnerIndexes owner_indexes(key, encoder, "BE");
  service::CheckResponder responder(*be.store, be_hnh, owner_indexes);
  endpoint.checks = &responder;
  federation::Inbox inbox(*be.store, *be.keys, clock);
  auto server = api::FederationServer::Create(*be.store, inbox, endpoint);
  Check(server.status(), "federation endpoint");
  Check((*server)->Start(), "federation endpoint start");
  for (auto [self, other, port] :
       {std::tuple{&be, &ma, 1}, std::tuple{&ma, &be, (*server)->port()}}) {
    federation::PublicKeys pub;
    pub.country = other->country;
    pub.url = "https://127.0.0.1:" + std::to_string(port);
    pub.sign_public_key = federation::Base64Encode(other->keys->sign_public);
    pub.box_public_key = federation::Base64Encode(other->keys->box_public);
    pub.tls_certificate = other->keys->tls_certificate;
    pub.tls_fingerprint = *federation::CertificateFingerprint(other->keys->tls_certificate);
    policy::SharingRules rules;
    rules.categories = {model::Category::kTerrorismConvict};
    rules.mode = policy::SharingMode::kHitNoHitOnly;
    rules.legal_basis = policy::LegalBasis::kAppropriateSafeguards;
    rules.legal_basis_reference = "bench agreement (synthetic)";
    rules.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers;
    rules.checks_per_day = policy::kMaxChecksPerDay;
    rules.checks_per_minute = policy::kMaxChecksPerMinute;
    rules.check_batch_size = policy::kMaxCheckBatch;
    auto record = federation::PartnerRecord(pub, "", rules);
    Check(record.status(), "partner");
    Check(self->store->Write([&](store::WriteTxn& t) { return t.partners().Put(*record); }),
          "partner");
  }
  start = std::chrono::steady_clock::now();
  auto published = service::PublishIndexes(*be.store, be_hnh);
  Check(published.status(), "publication");
  std::printf("references kept for MA (nothing sent): %lld entries, %.1f s\n",
              static_cast<long long>(published->front().entries), Seconds(start));
  start = std::chrono::steady_clock::now();
  Check(owner_indexes.Refresh(*be.store), "owner index");
  std::printf("owner index loaded (encoded, LSH): %.1f s; peak RSS %.0f MiB\n", Seconds(start),
              PeakRssMiB());

  // MA's side.
  federation::HttpsTransport transport(*ma.keys);
  service::HitNoHitContext ma_hnh{{ma.keys.get(), &clock, {}}, &encoder, &transport};
  const service::PartnerIndexes none(key);
  service::Caller caller;
  caller.principal.user_id = "bench-analyst";
  caller.principal.agency = {"MA", policy::Agency::kPolice};
  caller.principal.role = policy::Role::kAnalyst;
  caller.principal.tier = policy::AccessTier::kConsultAndFeed;
  caller.context.node_country = "MA";
  caller.context.today = policy::DayOfMicros(clock.NowMicros());
  caller.context.justification = "owner-answered checks benchmark (synthetic data)";
  std::vector<pprl::QueryCode> codes;
  for (const model::Entity& q : queries) codes.push_back(encoder.EncodeQuery(q));

  // One check at a time: the round trip alone, then as an analyst's screening.
  std::vector<double> round_trip, screening;
  size_t hits = 0;
  for (size_t i = 0; i < checks; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto answered = service::AskOwners(*ma.store, ma_hnh, "MA/police", caller.context,
                                       {codes[i % codes.size()]});
    round_trip.push_back(Seconds(t0) * 1000);
    Check(answered.status(), "check");
    if (!answered->front().problem.empty()) {
      std::fprintf(stderr, "check refused: %s\n", answered->front().problem.c_str());
      return 1;
    }
    hits += answered->front().results.front().empty() ? 0 : 1;
  }
  for (size_t i = 0; i < checks; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto check = service::CheckPartnerIndexes(*ma.store, ma_hnh, none, caller,
                                              queries[(i + checks) % queries.size()]);
    screening.push_back(Seconds(t0) * 1000);
    Check(check.status(), "screening");
  }
  std::printf(
      "one check, round trip (%zu, %.0f%% hits): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max "
      "%.2f ms\n",
      checks, 100.0 * static_cast<double>(hits) / static_cast<double>(checks),
      Percentile(round_trip, 0.5), Percentile(round_trip, 0.9), Percentile(round_trip, 0.99),
      Percentile(round_trip, 1.0));
  std::printf(
      "one check, as a screening (encode, ask, record and audit at MA): p50 %.2f ms, p90 %.2f "
      "ms, p99 %.2f ms, max %.2f ms\n",
      Percentile(screening, 0.5), Percentile(screening, 0.9), Percentile(screening, 0.99),
      Percentile(screening, 1.0));

  // A batch.
  std::vector<pprl::QueryCode> many;
  for (size_t i = 0; i < batch; ++i) many.push_back(codes[i % codes.size()]);
  auto t0 = std::chrono::steady_clock::now();
  auto answered = service::AskOwners(*ma.store, ma_hnh, "MA/police", caller.context, many);
  const double seconds = Seconds(t0);
  Check(answered.status(), "batch");
  if (!answered->front().problem.empty()) {
    std::fprintf(stderr, "batch refused: %s\n", answered->front().problem.c_str());
    return 1;
  }
  std::printf("batch of %zu queries in requests of %d: %.2f s, %.0f queries/s; peak RSS %.0f MiB\n",
              batch, policy::kMaxCheckBatch, seconds, static_cast<double>(batch) / seconds,
              PeakRssMiB());
  (*server)->Stop();
  std::filesystem::remove_all(root);
  return 0;
}
