// A newcomer's day, end to end, with the real program and a real server on both backends:
// init a node, add users, import a synthetic register, serve it over TLS, consult, screen, see
// the radar and a network, and have an auditor read and verify the log.

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "http/client.h"
#include "store/test_backends.h"
#include "support/serve_process.h"

namespace entente::testing {
namespace {

using nlohmann::json;

class NodeEndToEndTest : public CliTest, public ::testing::WithParamInterface<store::TestBackend> {
 protected:
  std::string Node() const { return Path("node"); }
  std::string Token(const CommandRun& run) const {
    std::string token = run.output;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    return token;
  }
};

// The fields of one CSV row (quotes and doubled quotes; no line breaks inside fields).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

// The id of the first subject of a register file that has a link.
std::string FirstLinkedId(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> header = SplitCsv(line);
  const auto column = std::find(header.begin(), header.end(), "link") - header.begin();
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = SplitCsv(line);
    if (static_cast<size_t>(column) < fields.size() && !fields[column].empty()) return fields[0];
  }
  return "";
}

constexpr const char* kWhy = "end-to-end check of the node with synthetic data";

TEST_P(NodeEndToEndTest, InitImportServeConsultScreenRadarNetworkAudit) {
  ASSERT_EQ(
      Entente("synth --out " + Path("pop") + " --persons 3000 --queries 10 --seed 5").exit_code, 0);
  std::string init_args = "node init --country BE --dir " + Node();
  if (GetParam() == store::TestBackend::kPostgres) {
    std::string unused;
    auto url = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &unused);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    init_args += " --store '" + *url + "'";
  }
  const CommandRun init = Entente(init_args);
  ASSERT_EQ(init.exit_code, 0) << init.output;
  const CommandRun analyst = Entente(
      "user add --dir " + Node() + " --agency BE/police --role analyst --tier consult_and_feed",
      false);
  ASSERT_EQ(analyst.exit_code, 0) << analyst.output;
  const CommandRun auditor =
      Entente("user add --dir " + Node() + " --agency BE/administration --role auditor", false);
  ASSERT_EQ(auditor.exit_code, 0) << auditor.output;
  const CommandRun imported =
      Entente("import --dir " + Node() + " " + Path("pop/registers/BE.csv") + " --justification '" +
              kWhy + "'");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;

  ServeProcess serve({"--dir", Node(), "--listen", "127.0.0.1:0", "--threads", "8",
                      "--federation-listen", "127.0.0.1:0"},
                     Path("serve.log"));
  const int port = serve.WaitForPort();
  ASSERT_GT(port, 0) << "the server did not start; see " << Path("serve.log");
  // TLS verified against the node's own certificate (its name is localhost).
  std::ifstream cert_file(Node() + "/tls/cert.pem");
  std::stringstream cert;
  cert << cert_file.rdbuf();
  http::Client client(http::ClientOptions::Tls("localhost", port, cert.str()));
  const std::vector<http::Header> as_analyst = {{"Authorization", "Bearer " + Token(analyst)},
                                                {"X-Justification", kWhy}};
  const std::vector<http::Header> as_auditor = {{"Authorization", "Bearer " + Token(auditor)}};
  auto get = [&](const std::string& path, const std::vector<http::Header>& headers) {
    auto res = client.Get(path, headers);
    EXPECT_TRUE(res.ok()) << path << ": " << res.status().ToString();
    return res.ok() ? std::make_pair(res->status, json::parse(res->body, nullptr, false))
                    : std::make_pair(0, json());
  };

  auto [status, health] = get("/healthz", {});
  ASSERT_EQ(status, 200);
  EXPECT_GT(health["indexed_subjects"].get<int>(), 1000);

  // Consult the first subject of the register, then screen it as another service wrote it.
  std::ifstream be(Path("pop/registers/BE.csv"));
  std::string header, row;
  std::getline(be, header);
  std::getline(be, row);
  const std::string id = row.substr(0, row.find(','));
  auto [read, subject] = get("/api/v1/subjects/" + id, as_analyst);
  ASSERT_EQ(read, 200) << subject.dump();
  const std::string name = subject["properties"]["name"][0];
  json query = {{"query", {{"schema", "Person"}, {"properties", {{"name", {name}}}}}}};
  if (subject["properties"].contains("birthDate")) {
    query["query"]["properties"]["birthDate"] = subject["properties"]["birthDate"];
  }
  auto screened = client.Post("/api/v1/screen", query.dump(), as_analyst);
  ASSERT_TRUE(screened.ok());
  ASSERT_EQ(screened->status, 200) << screened->body;
  const json hits = json::parse(screened->body)["hits"];
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0]["subject_id"], id);

  // A screening without a justification is refused, and the refusal is logged.
  auto unjustified =
      client.Post("/api/v1/screen", query.dump(), {{"Authorization", "Bearer " + Token(analyst)}});
  ASSERT_TRUE(unjustified.ok());
  EXPECT_EQ(unjustified->status, 403);

  auto [radar_status, radar] = get("/api/v1/radar?from=2020-01-01&days=3650", as_analyst);
  ASSERT_EQ(radar_status, 200) << radar.dump();
  EXPECT_FALSE(radar["entries"].empty()) << "synthetic registers hold releases and leaves";
  // The checklist of the earliest release: its tasks are past due, and the answer that creates
  // them says so as the radar does.
  json release;
  for (const auto& e : radar["entries"]) {
    if (!e["withheld"].get<bool>() && e["kind"] != "leave" &&
        (release.is_null() || e["start_date"] < release["start_date"])) {
      release = e;
    }
  }
  ASSERT_FALSE(release.is_null()) << radar.dump();
  const json event = {{"subject_id", release["subject_id"]}, {"event_date", release["start_date"]}};
  auto prepared = client.Post("/api/v1/radar/checklists", event.dump(), as_analyst);
  ASSERT_TRUE(prepared.ok());
  ASSERT_EQ(prepared->status, 201) << prepared->body;
  const json tasks = json::parse(prepared->body)["tasks"];
  ASSERT_FALSE(tasks.empty());
  auto [again_status, again] = get("/api/v1/radar?from=2020-01-01&days=3650", as_analyst);
  ASSERT_EQ(again_status, 200);
  std::map<int64_t, bool> radar_overdue;
  for (const auto& e : again["entries"]) {
    if (!e.contains("checklist")) continue;
    for (const auto& t : e["checklist"]) radar_overdue[t["id"].get<int64_t>()] = t["overdue"];
  }
  for (const auto& t : tasks) {
    EXPECT_TRUE(t["overdue"].get<bool>()) << "due " << t["due_date"] << " and still open";
    EXPECT_EQ(radar_overdue[t["id"].get<int64_t>()], t["overdue"].get<bool>()) << t.dump();
  }

  auto [links_status, links] = get("/api/v1/cross-border-links", as_analyst);
  ASSERT_EQ(links_status, 200) << links.dump();
  const std::string linked = FirstLinkedId(Path("pop/registers/BE.csv"));
  ASSERT_FALSE(linked.empty()) << "synthetic registers hold networks";
  auto [network_status, network] = get("/api/v1/network/" + linked + "?depth=2", as_analyst);
  ASSERT_EQ(network_status, 200) << network.dump();
  EXPECT_GE(network["nodes"].size(), 2U);
  EXPECT_FALSE(network["links"].empty());

  // The auditor reads who consulted the subject and why, and verifies the chain.
  auto [audit_status, audit] = get("/api/v1/audit?subject=" + id, as_auditor);
  ASSERT_EQ(audit_status, 200) << audit.dump();
  bool consulted = false;
  for (const auto& e : audit["entries"]) {
    consulted |= e["action"] == "read_subject" && e["justification"] == kWhy;
  }
  EXPECT_TRUE(consulted) << audit.dump();
  auto [verify_status, verdict] = get("/api/v1/audit/verify", as_auditor);
  ASSERT_EQ(verify_status, 200);
  EXPECT_EQ(verdict["intact"], true);
  EXPECT_EQ(serve.Stop(), 0);

  const CommandRun verified = Entente("audit verify --dir " + Node());
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

INSTANTIATE_TEST_SUITE_P(Backends, NodeEndToEndTest,
                         ::testing::Values(store::TestBackend::kSqlite,
                                           store::TestBackend::kPostgres),
                         [](const auto& param_info) {
                           return std::string(store::TestBackendName(param_info.param));
                         });

}  // namespace
}  // namespace entente::testing
