// End-to-end messages between two nodes over mutual TLS on loopback, with the durable outbox
// (SQLite files, or PostgreSQL) and signed receipts: BE posts messages to FR (each in its own
// transaction, as a user's send), its Deliverer carries them in batches to FR's federation
// endpoint, FR's Inbox stores each once and answers with receipts, BE records them.
//
//   federation_bench [--backend sqlite|postgres] [--messages N] [--rate R] [--body BYTES]
//
// Without --rate the messages are posted as fast as one producer can (throughput); with --rate R
// they are posted R per second (latency under that load). Latency is per message, from the
// outbox entry's creation to the recorded receipt (the same clock). Prints one line of figures.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "api/federation_server.h"
#include "federation/crypto.h"
#include "federation/delivery.h"
#include "federation/https_transport.h"
#include "federation/inbox.h"
#include "federation/outbox.h"
#include "federation/partner.h"
#include "policy/sharing.h"
#include "service/node.h"
#include "service/node_setup.h"
#include "store/test_backends.h"

using namespace entente;

namespace {

struct BenchNode {
  std::string country;
  std::string dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<federation::NodeKeys> keys;
};

void Check(const Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "federation_bench: %s: %s\n", what, status.ToString().c_str());
    std::exit(1);
  }
}

double Percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(q * (values.size() - 1) + 0.5))];
}

}  // namespace

int main(int argc, char** argv) {
  std::string backend = "sqlite";
  int messages = 20000;
  double rate = 0;
  size_t body_bytes = 1000;
  int batch = federation::DeliveryOptions().batch;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--backend") == 0) backend = argv[i + 1];
    if (std::strcmp(argv[i], "--messages") == 0) messages = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--rate") == 0) rate = std::stod(argv[i + 1]);
    if (std::strcmp(argv[i], "--body") == 0) body_bytes = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--batch") == 0) batch = std::stoi(argv[i + 1]);
  }
  const Clock& clock = SystemClock();
  char root_template[] = "/tmp/entente-fedbench-XXXXXX";
  const std::string root = mkdtemp(root_template);
  BenchNode be{"BE", root + "/BE", nullptr, nullptr};
  BenchNode fr{"FR", root + "/FR", nullptr, nullptr};
  std::vector<std::string> temp_dirs;
  for (BenchNode* n : {&be, &fr}) {
    const service::NodePaths paths(n->dir);
    service::InitOptions init;
    if (backend == "postgres") {
      std::string temp;
      auto location = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &temp);
      Check(location.status(), "PostgreSQL");
      init.store = *location;
    }
    auto summary = service::InitNode(paths, n->country, init, clock);
    Check(summary.status(), "node init");
    auto store = service::OpenNodeStore(paths, summary->config, clock);
    Check(store.status(), "open store");
    n->store = std::move(store).value();
    auto keys = service::LoadNodeKeys(paths, summary->config);
    Check(keys.status(), "keys");
    n->keys = std::make_unique<federation::NodeKeys>(std::move(keys).value());
  }
  // FR's endpoint.
  federation::Inbox inbox(*fr.store, *fr.keys, clock);
  api::FederationServer::Options endpoint;
  endpoint.port = 0;
  endpoint.tls_cert = fr.keys->tls_cert_path;
  endpoint.tls_key = fr.keys->tls_key_path;
  auto server = api::FederationServer::Create(*fr.store, inbox, endpoint);
  Check(server.status(), "federation endpoint");
  Check((*server)->Start(), "federation endpoint start");
  // Each registers the other.
  for (auto [self, other, port] :
       {std::tuple{&be, &fr, (*server)->port()}, std::tuple{&fr, &be, 1}}) {
    federation::PublicKeys pub;
    pub.country = other->country;
    pub.url = "https://127.0.0.1:" + std::to_string(port);
    pub.sign_public_key = federation::Base64Encode(other->keys->sign_public);
    pub.box_public_key = federation::Base64Encode(other->keys->box_public);
    pub.tls_certificate = other->keys->tls_certificate;
    pub.tls_fingerprint = *federation::CertificateFingerprint(other->keys->tls_certificate);
    policy::SharingRules rules;
    rules.mode = policy::SharingMode::kPlaintext;
    auto record = federation::PartnerRecord(pub, "", rules);
    Check(record.status(), "partner");
    Check(self->store->Write([&](store::WriteTxn& t) { return t.partners().Put(*record); }),
          "partner");
  }
  federation::HttpsTransport transport(*be.keys);
  federation::DeliveryOptions delivery;
  delivery.poll_micros = 20'000;
  delivery.batch = batch;
  federation::Deliverer deliverer(*be.store, *be.keys, transport, clock, delivery);
  deliverer.Start();

  const std::string body(body_bytes, 'x');
  const std::string case_id = federation::NewCaseId();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < messages; ++i) {
    if (rate > 0) {
      std::this_thread::sleep_until(start + std::chrono::duration<double>(i / rate));
    }
    federation::Message m;
    m.id = federation::NewMessageId();
    m.type = federation::MessageType::kSpontaneous;
    m.case_id = case_id;
    m.sender = "BE/police";
    m.recipients = {"FR/police"};
    m.created_at = clock.NowMicros();
    m.body = body;
    m.legal_basis = {"eu_partner", "Directive (EU) 2016/680"};
    Check(be.store->Write([&](store::WriteTxn& t) {
      return federation::PostMessage(t, m, *be.keys, clock.NowMicros()).status();
    }),
          "post");
    deliverer.Wake();
  }
  const double posted_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Until every receipt is in.
  int64_t delivered = 0;
  while (true) {
    auto counts = be.store->outbox().Count();
    Check(counts.status(), "count");
    delivered = 0;
    int64_t other = 0;
    for (const auto& c : *counts) {
      (c.state == store::OutboxState::kDelivered ? delivered : other) += c.count;
    }
    if (other == 0 && delivered == messages) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double total_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  deliverer.Stop();
  (*server)->Stop();

  std::vector<double> latency_ms;
  store::OutboxQuery q;
  q.limit = 5000;
  while (true) {
    auto page = be.store->outbox().List(q);
    Check(page.status(), "list");
    for (const auto& e : *page) {
      latency_ms.push_back(static_cast<double>(e.delivered_at - e.created_at) / 1000.0);
    }
    if (page->size() < static_cast<size_t>(q.limit)) break;
    q.after_seq = page->back().seq;
  }
  store::MessageQuery received;
  received.direction = store::MessageDirection::kIn;
  received.limit = messages + 1;
  const size_t at_fr = fr.store->messages().List(received)->size();
  const double p50 = Percentile(latency_ms, 0.5);
  const double p99 = Percentile(latency_ms, 0.99);
  const double max = latency_ms.empty() ? 0.0 : latency_ms.back();
  std::printf(
      "federation_bench backend=%s messages=%d body=%zuB batch=%d rate=%s: posted in %.2f s, all "
      "receipts in %.2f s -> %.0f messages/s end to end; latency p50 %.1f ms, p99 %.1f ms, max "
      "%.1f ms; FR stored %zu\n",
      backend.c_str(), messages, body_bytes, batch,
      rate > 0 ? std::to_string(static_cast<int>(rate)).c_str() : "max", posted_s, total_s,
      messages / total_s, p50, p99, max, at_fr);
  be.store.reset();
  fr.store.reset();
  std::filesystem::remove_all(root);
  return at_fr == static_cast<size_t>(messages) ? 0 : 1;
}
