// entente demo [--dir D] [--persons N] [--check]: four nodes (BE, FR, ES, MA) on localhost, each
// set up as its administrators would with the commands (node init, user add, import, index key,
// partner add), serving its API and its federation endpoint over mutual TLS, with synthetic
// registers. The addresses, certificates and users' tokens are printed and written to
// D/demo.json (0600), for a person or a program to drive the nodes through their API; the
// four-country scenario (a request and its reply, a spontaneous exchange with a third country,
// a release notice and its acknowledgement, a minors' consultation, hit/no-hit and its
// follow-up) lives with the end-to-end tests (tests/e2e), which play it against this command.
// --check: checks through the API that every node is up and sees its three partners, and that a
// message crosses from BE to FR, then exits (0 only if all of it held).

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/node_runtime.h"
#include "common/json.h"
#include "common/private_files.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/partner.h"
#include "http/client.h"
#include "model/csv_writer.h"
#include "policy/sharing.h"
#include "policy/subject_facts.h"
#include "service/auth.h"
#include "service/exchange.h"
#include "service/import_export.h"
#include "service/node_setup.h"
#include "synth/population.h"

namespace entente::cli {
namespace {

constexpr const char* kCountries[4] = {"BE", "FR", "ES", "MA"};

struct DemoOptions {
  std::string dir;
  uint64_t persons = 2000;
  uint64_t seed = 7;
  bool check = false;
};

// One country's node in the demo, and its users' tokens.
struct DemoNode {
  std::string country;
  std::string dir;
  std::string admin_token;
  service::IssuedUser analyst;     // CC/intelligence, designated for minors
  service::IssuedUser youth;       // CC/youth_protection, designated for minors
  service::IssuedUser supervisor;  // CC/intelligence
  service::IssuedUser auditor;     // CC/judicial: the oversight body's reader of the audit log
  std::unique_ptr<NodeRuntime> runtime;
};

policy::SharingRules RulesFor(const std::string& from, const std::string& to) {
  policy::SharingRules r;
  const bool third = from == "MA" || to == "MA";
  r.categories = {
      model::Category::kForeignTerroristFighter, model::Category::kReturnee,
      model::Category::kReturningMinor,          model::Category::kHomegrownTerroristFighter,
      model::Category::kHatePropagandist,        model::Category::kPotentiallyViolentExtremist,
      model::Category::kTerrorismConvict,        model::Category::kRadicalisedPrisoner};
  if (third) {
    r.mode = policy::SharingMode::kHitNoHitOnly;
    r.max_handling_code = model::HandlingCode::kH0;
    r.legal_basis = policy::LegalBasis::kAppropriateSafeguards;
    r.legal_basis_reference = "bilateral police cooperation agreement (synthetic demo text)";
    r.release_notice_days = 60;
    r.minors_consultations = false;
    // A third country: no encoded index leaves either node; each check is answered by the
    // register's owner, within its limits (docs/hit-no-hit.md).
    r.hit_no_hit = policy::HitNoHitDelivery::kOwnerAnswers;
  } else {
    r.categories.push_back(model::Category::kWeaponsTrafficking);
    r.categories.push_back(model::Category::kDrugsTrafficking);
    r.mode = policy::SharingMode::kPlaintext;
    r.max_handling_code = model::HandlingCode::kH1;
    r.legal_basis = policy::LegalBasis::kEuPartner;
    r.legal_basis_reference = "Directive (EU) 2016/680; Council Decision 2005/671/JHA";
    r.release_notice_days = 90;
    r.minors_consultations = true;
  }
  return r;
}

// Creates, fills and starts one node.
Status SetUpNode(DemoNode& node, const std::string& register_csv,
                 const pprl::EncodingKey& encoding_key) {
  const service::NodePaths paths(node.dir);
  service::InitOptions init;
  init.listen = "127.0.0.1:0";
  ENTENTE_ASSIGN_OR_RETURN(service::NodeSummary summary,
                           service::InitNode(paths, node.country, init));
  node.admin_token = summary.admin_token;
  service::NodeConfig config = summary.config;
  config.federation_listen = "127.0.0.1:0";
  ENTENTE_RETURN_IF_ERROR(service::SaveNodeConfig(paths, config));
  const Clock& clock = SystemClock();
  {
    ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                             service::OpenNodeStore(paths, config, clock));
    service::Authenticator authenticator(*store, clock);
    ENTENTE_ASSIGN_OR_RETURN(policy::Principal admin, authenticator.Authenticate(node.admin_token));
    service::Caller caller;
    caller.principal = admin;
    caller.context.node_country = node.country;
    caller.context.today = policy::DayOfMicros(clock.NowMicros());
    caller.context.justification = "setting up the demonstration node";
    ENTENTE_ASSIGN_OR_RETURN(node.analyst,
                             service::AddUser(*store, caller,
                                              {node.country + "/intelligence", "analyst",
                                               "consult_and_feed", "minors"}));
    ENTENTE_ASSIGN_OR_RETURN(node.youth,
                             service::AddUser(*store, caller,
                                              {node.country + "/youth_protection", "analyst",
                                               "consult_and_feed", "minors"}));
    ENTENTE_ASSIGN_OR_RETURN(
        node.supervisor,
        service::AddUser(*store, caller,
                         {node.country + "/intelligence", "supervisor", "consult_and_feed", ""}));
    ENTENTE_ASSIGN_OR_RETURN(node.auditor, service::AddUser(*store, caller,
                                                            {node.country + "/judicial", "auditor",
                                                             "consult_and_feed", ""}));
    std::istringstream in(register_csv);
    service::ImportReport report;
    ENTENTE_RETURN_IF_ERROR(
        service::ImportSubjects(*store, caller, in, node.country + ".csv", {}, &report));
  }
  // The federation's encoding key, the same in every node (hit/no-hit).
  ENTENTE_RETURN_IF_ERROR(service::InstallEncodingKey(paths, encoding_key));
  RuntimeOptions runtime;
  runtime.dir = node.dir;
  // The demonstration's pace: partners' indexes published every 2 s, release notices swept
  // every 2 s, partners' indexes reloaded every second.
  runtime.publish_interval_micros = 2'000'000;
  runtime.partner_index_refresh_micros = 1'000'000;
  runtime.listen = "127.0.0.1:0";
  runtime.federation_listen = "127.0.0.1:0";
  runtime.threads = 8;
  runtime.notice_interval_micros = 2'000'000;
  runtime.delivery.poll_micros = 100'000;
  ENTENTE_ASSIGN_OR_RETURN(node.runtime, NodeRuntime::Start(runtime));
  return Status::Ok();
}

// Registers every node as a partner of every other, with its real address, as each
// administrator does with `entente partner add` (service::RegisterPartner: authorised, audited).
Status ConnectNodes(std::map<std::string, DemoNode>& nodes) {
  for (auto& [cc, node] : nodes) {
    const service::NodePaths paths(node.dir);
    ENTENTE_ASSIGN_OR_RETURN(federation::NodeKeys keys,
                             service::LoadNodeKeys(paths, node.runtime->config()));
    federation::PublicKeys pub;
    pub.country = cc;
    pub.url = "https://127.0.0.1:" + std::to_string(node.runtime->federation_port());
    pub.sign_public_key = federation::Base64Encode(keys.sign_public);
    pub.box_public_key = federation::Base64Encode(keys.box_public);
    pub.tls_certificate = keys.tls_certificate;
    ENTENTE_ASSIGN_OR_RETURN(pub.tls_fingerprint,
                             federation::CertificateFingerprint(keys.tls_certificate));
    for (auto& [other, peer] : nodes) {
      if (other == cc) continue;
      ENTENTE_ASSIGN_OR_RETURN(store::Partner record,
                               federation::PartnerRecord(pub, "", RulesFor(other, cc)));
      service::Authenticator authenticator(peer.runtime->store(), SystemClock());
      service::Caller admin;
      ENTENTE_ASSIGN_OR_RETURN(admin.principal, authenticator.Authenticate(peer.admin_token));
      admin.context.node_country = other;
      admin.context.today = policy::DayOfMicros(SystemClock().NowMicros());
      ENTENTE_RETURN_IF_ERROR(service::RegisterPartner(peer.runtime->store(), admin, record));
    }
  }
  return Status::Ok();
}

// What a program needs to drive the nodes: addresses, certificates, tokens (D/demo.json, 0600).
nlohmann::json DemoDescription(const std::map<std::string, DemoNode>& nodes) {
  nlohmann::json out = {{"synthetic", true}, {"nodes", nlohmann::json::object()}};
  for (const auto& [cc, node] : nodes) {
    out["nodes"][cc] = {
        {"api", "https://127.0.0.1:" + std::to_string(node.runtime->api_port())},
        {"api_port", node.runtime->api_port()},
        {"federation", "https://127.0.0.1:" + std::to_string(node.runtime->federation_port())},
        {"certificate", node.dir + "/tls/cert.pem"},
        {"dir", node.dir},
        {"subjects", node.runtime->subjects_screened()},
        {"tokens",
         {{"administrator", node.admin_token},
          {"analyst", node.analyst.token},
          {"youth", node.youth.token},
          {"supervisor", node.supervisor.token},
          {"auditor", node.auditor.token}}}};
  }
  return out;
}

// --check, through the API as any client: every node up and seeing its three partners, and a
// message from BE's analyst read by FR's.
class Check {
 public:
  explicit Check(const std::map<std::string, DemoNode>& nodes) : nodes_(nodes) {}

  bool Run() {
    for (const auto& entry : nodes_) {
      const DemoNode& node = entry.second;
      Step(entry.first + " serves its API and sees its three partners", [&]() -> Status {
        ENTENTE_ASSIGN_OR_RETURN(http::Response r,
                                 Call(node, "GET", "/api/v1/partners", node.admin_token, ""));
        if (r.status != 200) return Internal("HTTP " + std::to_string(r.status) + ": " + r.body);
        const nlohmann::json body = ParseJsonOrDiscarded(r.body);
        const size_t n =
            body.is_object() && body.contains("partners") ? body["partners"].size() : 0;
        if (n != 3) return Internal(std::to_string(n) + " partners");
        return Status::Ok();
      });
    }
    Step("a message from BE's analyst reaches FR over mutual TLS and is read there",
         [&]() -> Status {
           const DemoNode& be = nodes_.at("BE");
           const DemoNode& fr = nodes_.at("FR");
           const nlohmann::json draft = {{"type", "spontaneous"},
                                         {"recipients", {"FR/intelligence"}},
                                         {"body", "Demonstration check: a message from Brussels."}};
           ENTENTE_ASSIGN_OR_RETURN(http::Response sent, Call(be, "POST", "/api/v1/messages",
                                                              be.analyst.token, DumpJson(draft)));
           if (sent.status != 201 && sent.status != 200) {
             return Internal("sending: HTTP " + std::to_string(sent.status) + ": " + sent.body);
           }
           const std::string id = ParseJsonOrDiscarded(sent.body).value("id", "");
           for (int i = 0; i < 200; ++i) {
             ENTENTE_ASSIGN_OR_RETURN(http::Response read, Call(fr, "GET", "/api/v1/messages/" + id,
                                                                fr.analyst.token, ""));
             if (read.status == 200) return Status::Ok();
             std::this_thread::sleep_for(std::chrono::milliseconds(100));
           }
           return IoError("FR did not receive " + id + " within 20 s");
         });
    return ok_;
  }

 private:
  void Step(const std::string& what, const std::function<Status()>& step) {
    const Status status = step();
    std::cout << (status.ok() ? "  ok    " : "  FAIL  ") << what;
    if (!status.ok()) std::cout << ": " << status.message();
    std::cout << std::endl;
    ok_ = ok_ && status.ok();
  }
  static Result<http::Response> Call(const DemoNode& node, std::string_view method,
                                     const std::string& target, const std::string& token,
                                     const std::string& body) {
    std::ifstream cert(node.dir + "/tls/cert.pem");
    std::stringstream pem;
    pem << cert.rdbuf();
    http::Client client(http::ClientOptions::Tls("127.0.0.1", node.runtime->api_port(), pem.str()));
    return client.Send(method, target,
                       {{"Authorization", "Bearer " + token},
                        {"X-Justification", "demonstration check of the four nodes"}},
                       body);
  }

  const std::map<std::string, DemoNode>& nodes_;
  bool ok_ = true;
};

int RunDemo(const DemoOptions& options) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::string root = options.dir;
  bool temporary = false;
  if (root.empty()) {
    char dir[] = "/tmp/entente-demo-XXXXXX";
    if (mkdtemp(dir) == nullptr) return ReportFailure(IoError("cannot create a directory"));
    root = dir;
    temporary = true;
  } else if (std::filesystem::exists(root) && !std::filesystem::is_empty(root)) {
    return ReportFailure(AlreadyExists(root + ": not empty; give a new directory"));
  }
  std::filesystem::create_directories(root);
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      if (!dir.empty()) std::filesystem::remove_all(dir);
    }
  } cleanup{temporary && options.check ? root : ""};

  // The four registers, from one synthetic population.
  const std::string today = policy::DayOfMicros(SystemClock().NowMicros()).ToString();
  std::array<std::ostringstream, 4> csv;
  std::vector<std::unique_ptr<model::CsvEntityWriter>> writers;
  synth::SynthSinks sinks;
  for (size_t i = 0; i < 4; ++i) {
    writers.push_back(std::make_unique<model::CsvEntityWriter>(csv[i], synth::WatchlistColumns()));
    sinks.registers[i] = writers.back().get();
  }
  synth::SynthOptions synth_options;
  synth_options.persons = options.persons;
  synth_options.queries = 1;
  synth_options.seed = options.seed;
  synth_options.reference_date = today;
  Status status = synth::WritePopulation(synth_options, sinks);
  if (!status.ok()) return ReportFailure(status);

  const pprl::EncodingKey encoding_key = federation::NewEncodingKey(1);
  std::map<std::string, DemoNode> nodes;
  for (size_t i = 0; i < 4; ++i) {
    DemoNode& node = nodes[kCountries[i]];
    node.country = kCountries[i];
    node.dir = root + "/" + kCountries[i];
    status = SetUpNode(node, csv[i].str(), encoding_key);
    if (!status.ok()) {
      return ReportFailure(Status(status.code(), node.country + ": " + status.message()));
    }
  }
  status = ConnectNodes(nodes);
  if (!status.ok()) return ReportFailure(status);

  std::cout << "Entente demo: four nodes on localhost (synthetic data only), in " << root << "\n";
  for (const auto& [cc, node] : nodes) {
    std::cout << "  " << cc << "  API https://127.0.0.1:" << node.runtime->api_port()
              << "  federation https://127.0.0.1:" << node.runtime->federation_port() << "  "
              << node.runtime->subjects_screened() << " subjects\n";
    std::cout << "      administrator  " << node.admin_token << "\n";
    std::cout << "      analyst        " << node.analyst.token << "  (" << cc
              << "/intelligence, minors)\n";
    std::cout << "      youth analyst  " << node.youth.token << "  (" << cc
              << "/youth_protection, minors)\n";
    std::cout << "      supervisor     " << node.supervisor.token << "  (" << cc
              << "/intelligence)\n";
    std::cout << "      auditor        " << node.auditor.token << "  (" << cc << "/judicial)\n";
  }
  std::cout << "  hit/no-hit: EU partners exchange encoded indexes; Morocco's checks, and its "
               "partners' checks of Morocco, are answered by the register's owner "
               "(owner_answers: no index leaves, every check is logged and limited)\n";
  std::cout << "  (each node's certificate is in its tls/cert.pem; send X-Justification)\n";
  const std::string description = root + "/demo.json";
  status = WritePrivateFile(description, DumpJson(DemoDescription(nodes), 2) + "\n");
  if (!status.ok()) return ReportFailure(status);
  std::cout << "  addresses, certificates and tokens: " << description << std::endl;
  auto stop = [&nodes] {
    for (auto& [cc, node] : nodes) node.runtime->StopDelivery();
    for (auto& [cc, node] : nodes) node.runtime->Stop();
  };
  if (options.check) {
    std::cout << "Checks, through the API:" << std::endl;
    const bool ok = Check(nodes).Run();
    std::cout << (ok ? "Every check succeeded.\n" : "Some checks FAILED.\n");
    stop();
    return ok ? 0 : 1;
  }
  std::cout << "Serving until interrupted (Ctrl-C)." << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  stop();
  return 0;
}

}  // namespace

void AddDemoCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo", "Four nodes (BE, FR, ES, MA) on localhost, exchanging over mutual TLS");
  cmd->footer(
      "Each node serves its API; D/demo.json holds the addresses and the users' tokens. The "
      "four-country scenario is played against it by the end-to-end tests (tests/e2e).");
  cmd->add_option("--dir", options->dir, "where the nodes live (default: a temporary directory)");
  cmd->add_option("--persons", options->persons, "synthetic persons in the registers")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "synthetic data seed")->capture_default_str();
  cmd->add_flag("--check", options->check,
                "check the four nodes through their API and exit: 0 only if all of it held");
  cmd->callback([options, exit_code] { *exit_code = RunDemo(*options); });
}

}  // namespace entente::cli
