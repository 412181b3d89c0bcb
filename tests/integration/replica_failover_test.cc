// Two `entente serve` replicas of one node (BE) over one PostgreSQL database, behind a
// round-robin client that creates subjects and sends messages to a partner (FR, its own
// process). The replica that runs the node's background jobs is SIGKILLed under that load: the
// other must take the jobs over (it holds the advisory lock within its next check), deliver
// everything the dead one left in the outbox, and lose no acknowledged write; the partner must
// hold each message once. The timings are printed.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "federation/crypto.h"
#include "federation/envelope.h"
#include "federation/partner.h"
#include "http/client.h"
#include "policy/sharing.h"
#include "service/auth.h"
#include "service/node.h"
#include "service/node_setup.h"
#include "store/store.h"
#include "store/test_backends.h"
#include "support/free_port.h"

extern char** environ;

namespace entente {
namespace {

using nlohmann::json;
using testing::FreePort;
using Clock = std::chrono::steady_clock;

constexpr const char* kWhy = "replica fail-over test (synthetic)";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A name for the i-th person, in letters (names hold no digits): "Bakeli", "Bakelo", ...
std::string NameOf(int i) {
  static constexpr const char* kSyllables[] = {"ba", "ke", "li", "mo", "nu", "ra", "si", "to"};
  std::string word;
  for (int n = i + 64; n > 0; n /= 8) word += kSyllables[n % 8];
  word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return "Tessa " + word + " Varenko";
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One `entente serve` process: a replica of BE, or FR.
struct Process {
  std::string name;
  std::string dir;
  int api_port = 0;
  int federation_port = 0;
  pid_t pid = 0;
};

class ReplicaFailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    signal(SIGPIPE, SIG_IGN);
    char dir[] = "/tmp/entente-replicas-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    std::string unused;
    auto url = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &unused);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    be_store_ = *url;
    be_a_ = {"BE replica A", root_ + "/BE", FreePort(), FreePort()};
    be_b_ = {"BE replica B", root_ + "/BE", FreePort(), FreePort()};
    fr_ = {"FR", root_ + "/FR", FreePort(), FreePort()};
    be_token_ = InitNode("BE", be_a_, be_store_);
    fr_token_ = InitNode("FR", fr_, "");
    ASSERT_FALSE(HasFatalFailure());
    Register(be_a_, "BE", fr_);
    Register(fr_, "FR", be_a_);
  }

  void TearDown() override {
    for (Process* p : {&be_a_, &be_b_, &fr_}) Kill(*p, SIGKILL);
    if (!HasFailure()) std::filesystem::remove_all(root_);
  }

  // Creates the node of `country` in p.dir; returns an analyst's token.
  std::string InitNode(const std::string& country, const Process& p, const std::string& store) {
    const service::NodePaths paths(p.dir);
    service::InitOptions init;
    init.store = store;
    init.listen = "127.0.0.1:" + std::to_string(p.api_port);
    init.federation_listen = "127.0.0.1:" + std::to_string(p.federation_port);
    auto summary = service::InitNode(paths, country, init);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    if (!summary.ok()) return "";
    auto opened = service::OpenNodeStore(paths, summary->config, SystemClock());
    EXPECT_TRUE(opened.ok());
    if (!opened.ok()) return "";
    service::Authenticator authenticator(**opened, SystemClock());
    auto admin = authenticator.Authenticate(summary->admin_token);
    EXPECT_TRUE(admin.ok());
    service::Caller caller;
    caller.principal = *admin;
    caller.context.node_country = country;
    caller.context.today = policy::DayOfMicros(SystemClock().NowMicros());
    auto analyst = service::AddUser(**opened, caller,
                                    {country + "/intelligence", "analyst", "consult_and_feed", ""});
    EXPECT_TRUE(analyst.ok()) << analyst.status().ToString();
    return analyst.ok() ? analyst->token : "";
  }

  // Registers `partner` (country `partner_country`'s other side) in the node of `at`.
  void Register(const Process& partner, const std::string& partner_country, const Process& at) {
    const service::NodePaths paths(partner.dir);
    auto config = service::LoadNodeConfig(paths);
    ASSERT_TRUE(config.ok());
    auto keys = service::LoadNodeKeys(paths, *config);
    ASSERT_TRUE(keys.ok()) << keys.status().ToString();
    federation::PublicKeys pub;
    pub.country = partner_country;
    pub.url = "https://127.0.0.1:" + std::to_string(partner.federation_port);
    pub.sign_public_key = federation::Base64Encode(keys->sign_public);
    pub.box_public_key = federation::Base64Encode(keys->box_public);
    pub.tls_certificate = keys->tls_certificate;
    pub.tls_fingerprint = *federation::CertificateFingerprint(keys->tls_certificate);
    policy::SharingRules rules;
    rules.mode = policy::SharingMode::kPlaintext;
    rules.legal_basis = policy::LegalBasis::kEuPartner;
    auto record = federation::PartnerRecord(pub, "", rules);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    auto store = OpenStoreOf(at.dir);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->Write([&](store::WriteTxn& t) { return t.partners().Put(*record); }).ok());
  }

  std::unique_ptr<store::Store> OpenStoreOf(const std::string& dir) {
    const service::NodePaths paths(dir);
    auto config = service::LoadNodeConfig(paths);
    if (!config.ok()) return nullptr;
    auto store = service::OpenNodeStore(paths, *config, SystemClock());
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  void Start(Process& p) {
    const std::string log = root_ + "/" + p.name + ".log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> args = {ENTENTE_BIN,
                                     "serve",
                                     "--dir",
                                     p.dir,
                                     "--listen",
                                     "127.0.0.1:" + std::to_string(p.api_port),
                                     "--federation-listen",
                                     "127.0.0.1:" + std::to_string(p.federation_port),
                                     "--threads",
                                     "4",
                                     "--retry-max-seconds",
                                     "2",
                                     "--leader-check-seconds",
                                     "1"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ASSERT_EQ(posix_spawn(&p.pid, ENTENTE_BIN, &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
  }

  void Kill(Process& p, int signal) {
    if (p.pid <= 0) return;
    kill(p.pid, signal);
    waitpid(p.pid, nullptr, 0);
    p.pid = 0;
  }

  std::unique_ptr<http::Client> ClientOf(const Process& p) {
    http::ClientOptions options =
        http::ClientOptions::Tls("127.0.0.1", p.api_port, ReadFile(p.dir + "/tls/cert.pem"));
    options.connect_timeout = std::chrono::milliseconds(500);
    options.io_timeout = std::chrono::milliseconds(5000);
    return std::make_unique<http::Client>(options);
  }

  // The replica's /readyz `jobs` ("leader" or "standby"), "" when it does not answer.
  std::string JobsOf(const Process& p) {
    auto res = ClientOf(p)->Get("/readyz");
    if (!res.ok() || res->status != 200) return "";
    return json::parse(res->body, nullptr, false).value("jobs", "");
  }

  bool WaitReady(const Process& p) {
    for (int i = 0; i < 600; ++i) {
      if (auto res = ClientOf(p)->Get("/readyz"); res.ok() && res->status == 200) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string root_;
  std::string be_store_;
  Process be_a_, be_b_, fr_;
  std::string be_token_, fr_token_;
};

TEST_F(ReplicaFailoverTest, TheSurvivorTakesTheJobsOverAndNoAcknowledgedWriteIsLost) {
  Start(fr_);
  Start(be_a_);
  ASSERT_TRUE(WaitReady(fr_)) << ReadFile(root_ + "/FR.log");
  ASSERT_TRUE(WaitReady(be_a_)) << ReadFile(root_ + "/BE replica A.log");
  Start(be_b_);
  ASSERT_TRUE(WaitReady(be_b_)) << ReadFile(root_ + "/BE replica B.log");
  // The first replica took the lead; the second waits.
  EXPECT_EQ(JobsOf(be_a_), "leader");
  EXPECT_EQ(JobsOf(be_b_), "standby");

  // A round-robin client: a subject created, then a message to FR, on each replica in turn.
  const std::vector<http::Header> headers = {{"Authorization", "Bearer " + be_token_},
                                             {"X-Justification", kWhy}};
  std::vector<std::unique_ptr<http::Client>> clients;
  clients.push_back(ClientOf(be_a_));
  clients.push_back(ClientOf(be_b_));
  std::map<std::string, std::string> subjects;  // acknowledged: id -> name
  std::set<std::string> messages;               // acknowledged message ids
  std::string written_by_a;  // a subject replica A created (B has screened it since)
  int refused = 0;           // requests the killed replica did not answer (not acknowledged)
  constexpr int kOperations = 400;
  constexpr int kKillAt = 150;
  Clock::time_point killed_at;
  // From the kill on, the survivor's /readyz is watched for the lead.
  std::atomic<double> takeover{-1};
  std::thread watcher;
  for (int i = 0; i < kOperations; ++i) {
    if (i == kKillAt) {
      Kill(be_a_, SIGKILL);
      killed_at = Clock::now();
      watcher = std::thread([&] {
        while (SecondsSince(killed_at) < 60) {
          if (JobsOf(be_b_) == "leader") {
            takeover = SecondsSince(killed_at);
            return;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
      });
    }
    const size_t replica = static_cast<size_t>(i % 2);
    http::Client& client = *clients[replica];
    const std::string name = NameOf(i);
    const json subject = {{"schema", "Person"},
                          {"properties",
                           {{"name", {name}},
                            {"birthDate", {"1980-01-" + std::to_string(10 + i % 18)}},
                            {"ownerAgency", {"BE/intelligence"}},
                            {"handlingCode", {"H0"}},
                            {"category", {"terrorism_convict"}}}}};
    auto created = client.Post("/api/v1/subjects", subject.dump(), headers);
    if (!created.ok()) {
      ++refused;
      clients[replica] = ClientOf(replica == 0 ? be_a_ : be_b_);
      continue;
    }
    ASSERT_EQ(created->status, 201) << created->body;
    subjects[json::parse(created->body)["id"].get<std::string>()] = name;
    if (replica == 0 && written_by_a.empty()) written_by_a = name;
    const json message = {{"type", "spontaneous"},
                          {"recipients", {"FR/intelligence"}},
                          {"body", "fail-over message " + std::to_string(i)}};
    auto sent = client.Post("/api/v1/messages", message.dump(), headers);
    if (!sent.ok()) {
      ++refused;
      continue;
    }
    ASSERT_EQ(sent->status, 201) << sent->body;
    messages.insert(json::parse(sent->body)["id"].get<std::string>());
  }
  ASSERT_NE(killed_at, Clock::time_point());

  // The survivor takes the lead...
  watcher.join();
  ASSERT_GE(takeover.load(), 0) << "the survivor never took the jobs over";
  EXPECT_LE(takeover.load(), 30);

  // ...and delivers what both replicas queued (the dead one's pending entries too).
  auto be = OpenStoreOf(be_a_.dir);
  ASSERT_NE(be, nullptr);
  double drained = -1;
  while (SecondsSince(killed_at) < 90) {
    int64_t waiting = 0;
    if (auto counts = be->outbox().Count(); counts.ok()) {
      for (const auto& c : *counts) {
        if (c.state != store::OutboxState::kDelivered) waiting += c.count;
      }
    } else {
      waiting = 1;
    }
    if (waiting == 0) {
      drained = SecondsSince(killed_at);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(drained, 0) << "the outbox was not emptied";
  EXPECT_LE(drained, 30);

  // No acknowledged subject is lost, and the survivor screens those the dead replica wrote.
  for (const auto& [id, name] : subjects) {
    EXPECT_TRUE(be->subjects().Get(id).ok()) << id << " was acknowledged but is not stored";
  }
  const json query = {
      {"query", {{"schema", "Person"}, {"properties", {{"name", {written_by_a}}}}}}};
  auto screened = ClientOf(be_b_)->Post("/api/v1/screen", query.dump(), headers);
  ASSERT_TRUE(screened.ok());
  ASSERT_EQ(screened->status, 200) << screened->body;
  bool found = false;
  const json hits = json::parse(screened->body)["hits"];
  for (const json& hit : hits) {
    const std::string id = hit["subject_id"];
    found |= hit["match"] == true && subjects.contains(id) && subjects[id] == written_by_a;
  }
  EXPECT_TRUE(found) << screened->body;

  // Every message BE committed is at FR once, with FR's receipt; every acknowledged one too.
  Kill(fr_, SIGTERM);
  auto fr = OpenStoreOf(fr_.dir);
  ASSERT_NE(fr, nullptr);
  std::set<std::string> received;
  store::MessageQuery q;
  q.direction = store::MessageDirection::kIn;
  q.limit = 1000;
  for (;;) {
    auto page = fr->messages().List(q);
    ASSERT_TRUE(page.ok());
    for (const auto& m : *page) EXPECT_TRUE(received.insert(m.id).second) << "twice: " << m.id;
    if (page->size() < 1000) break;
    q.after_seq = page->back().seq;
  }
  auto fr_partner = be->partners().Get("FR");
  ASSERT_TRUE(fr_partner.ok());
  auto fr_info = federation::DecodePartner(*fr_partner);
  ASSERT_TRUE(fr_info.ok());
  std::set<std::string> queued;
  int duplicates = 0;  // sent again after the dead leader's send, before its receipt was kept
  store::OutboxQuery oq;
  oq.limit = 1000;
  for (;;) {
    auto page = be->outbox().List(oq);
    ASSERT_TRUE(page.ok());
    for (const auto& e : *page) {
      queued.insert(e.message_id);
      EXPECT_EQ(e.state, store::OutboxState::kDelivered) << e.message_id;
      EXPECT_TRUE(
          federation::VerifyReceipt(e.receipt, e.message_id, "BE", "FR", fr_info->sign_public).ok())
          << e.message_id;
      duplicates += json::parse(e.receipt, nullptr, false).value("status", "") == "duplicate";
    }
    if (page->size() < 1000) break;
    oq.after_seq = page->back().seq;
  }
  EXPECT_EQ(received, queued);
  for (const std::string& id : messages) EXPECT_TRUE(received.contains(id)) << id << " lost";
  auto chain = be->VerifyAuditChain();
  ASSERT_TRUE(chain.ok());
  EXPECT_FALSE(chain->first_broken_seq.has_value()) << chain->reason;
  std::printf(
      "replicas: %zu subjects and %zu messages acknowledged (%d requests unanswered at the kill); "
      "the survivor led %.2f s after the SIGKILL, the outbox was empty %.2f s after it; FR "
      "holds %zu messages, each once (%d sent again with a duplicate receipt)\n",
      subjects.size(), messages.size(), refused, takeover.load(), drained, received.size(),
      duplicates);
}

}  // namespace
}  // namespace entente
