// The web console as its users reach it: a node made with `node init`, a synthetic register
// imported, `entente serve` over TLS serving the console it was built with, and
// console/tests/browser.mjs driving Debian's Chromium through sign-in, justification, search,
// the subject card, a reload and sign-out, in English and Arabic, with axe-core on every page.
// Screenshots are kept in build/.../console-screenshots.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_testing.h"
#include "http/client.h"
#include "support/serve_process.h"

namespace entente::testing {
namespace {

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

// `text` quoted for the shell.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

class ConsoleBrowserTest : public CliTest {};

TEST_F(ConsoleBrowserTest, AnAnalystSignsInSearchesAndOpensACardInEnglishAndArabic) {
  ASSERT_TRUE(std::filesystem::exists(std::string(ENTENTE_CONSOLE_BUILD_DIR) + "/app.js"))
      << "the console was not built: run scripts/install-deps.sh, then build";
  ASSERT_TRUE(std::filesystem::exists("/usr/bin/chromium"))
      << "Debian's chromium is not installed: run scripts/install-deps.sh";
  const std::string node = Path("be");
  ASSERT_EQ(
      Entente("synth --out " + Path("pop") + " --persons 2000 --queries 10 --seed 11").exit_code,
      0);
  const CommandRun init = Entente("node init --country BE --dir " + node);
  ASSERT_EQ(init.exit_code, 0) << init.output;
  const CommandRun analyst = Entente(
      "user add --dir " + node + " --agency BE/police --role analyst --name 'Analyst Test'", false);
  ASSERT_EQ(analyst.exit_code, 0) << analyst.output;
  const std::string token = Trim(analyst.output);
  const CommandRun imported =
      Entente("import --dir " + node + " " + Path("pop/registers/BE.csv") +
              " --justification 'loading a synthetic register for the console test'");
  ASSERT_EQ(imported.exit_code, 0) << imported.output;

  // A partner (FR, not running: the messages wait in the outbox) and messages sent to it, so that
  // the statistics page has exchanges to chart.
  const std::string fr = Path("fr");
  ASSERT_EQ(Entente("node init --country FR --dir " + fr).exit_code, 0);
  ASSERT_EQ(Entente("node keys --dir " + fr + " --out " + Path("fr.keys")).exit_code, 0);
  const CommandRun partner =
      Entente("partner add --dir " + node + " --keys " + Path("fr.keys") +
              " --country FR --url https://127.0.0.1:9 --categories returnee --justification "
              "'FR joins the exchange for the console test'");
  ASSERT_EQ(partner.exit_code, 0) << partner.output;
  { std::ofstream(Path("analyst.token")) << token; }
  for (const char* type : {"spontaneous", "request", "spontaneous"}) {
    const CommandRun sent =
        Entente("send --dir " + node + " --token-file " + Path("analyst.token") +
                " --to FR/police --type " + type +
                " --body 'a synthetic message for the statistics page'"
                " --justification 'exchange for the console test'" +
                (std::string(type) == "request" ? " --deadline 2030-01-31" : ""));
    ASSERT_EQ(sent.exit_code, 0) << sent.output;
  }

  ServeProcess serve({"--dir", node, "--listen", "127.0.0.1:0", "--federation-listen",
                      "127.0.0.1:0", "--console-dir", ENTENTE_CONSOLE_BUILD_DIR},
                     Path("serve.log"));
  const int port = serve.WaitForPort();
  ASSERT_GT(port, 0) << serve.Log();
  const int federation_port = serve.FederationPort();
  ASSERT_GT(federation_port, 0) << serve.Log();

  // FR knows BE too, and one of its analysts has an alert for BE/police waiting in FR's outbox:
  // the browser delivers it (`entente deliver`) while the inbox is open, and the alert must
  // appear without a reload, with its Acknowledge button.
  ASSERT_EQ(Entente("node keys --dir " + node + " --out " + Path("be.keys")).exit_code, 0);
  const CommandRun fr_partner =
      Entente("partner add --dir " + fr + " --keys " + Path("be.keys") +
              " --country BE --url https://127.0.0.1:" + std::to_string(federation_port) +
              " --justification 'BE joins the exchange for the console test'");
  ASSERT_EQ(fr_partner.exit_code, 0) << fr_partner.output;
  const CommandRun fr_analyst =
      Entente("user add --dir " + fr + " --agency FR/police --role analyst", false);
  ASSERT_EQ(fr_analyst.exit_code, 0) << fr_analyst.output;
  { std::ofstream(Path("fr-analyst.token")) << Trim(fr_analyst.output); }
  const CommandRun alert = Entente(
      "send --dir " + fr + " --token-file " + Path("fr-analyst.token") +
      " --to BE/police --type alert --priority urgent --body 'Synthetic alert for the console "
      "inbox test' --justification 'alerting BE for the console test'");
  ASSERT_EQ(alert.exit_code, 0) << alert.output;
  const std::string deliver = std::string(ENTENTE_BIN) + " deliver --dir " + fr;

  // A subject of the register an analyst may read (minors' records are for designated users)
  // that has links, and its name as the API gives it.
  std::stringstream cert;
  cert << std::ifstream(node + "/tls/cert.pem").rdbuf();
  http::Client client(http::ClientOptions::Tls("localhost", port, cert.str()));
  const std::vector<http::Header> as_analyst = {
      {"Authorization", "Bearer " + token},
      {"X-Justification", "finding a subject for the console test"}};
  std::ifstream csv(Path("pop/registers/BE.csv"));
  std::string row, id, name;
  std::getline(csv, row);  // the header
  for (int i = 0; i < 500 && name.empty() && std::getline(csv, row); ++i) {
    id = row.substr(0, row.find(','));
    auto subject = client.Get("/api/v1/subjects/" + id, as_analyst);
    ASSERT_TRUE(subject.ok()) << subject.status().ToString();
    if (subject->status != 200) continue;
    auto network = client.Get("/api/v1/network/" + id + "?depth=1", as_analyst);
    ASSERT_TRUE(network.ok()) << network.status().ToString();
    if (network->status != 200 || nlohmann::json::parse(network->body)["links"].empty()) continue;
    name = nlohmann::json::parse(subject->body)["properties"]["name"][0].get<std::string>();
  }
  ASSERT_FALSE(name.empty()) << "no linked subject an analyst may read among the first 500";

  // Unknown API paths stay JSON; the console's pages answer its page under a strict policy.
  auto missing = client.Get("/api/v1/no-such-thing");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/json");
  auto page = client.Get("/subjects/" + id);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<div id=\"app\"></div>"), std::string::npos);
  bool strict = false;
  for (const http::Header& h : page->headers) {
    if (h.name == "Content-Security-Policy") {
      strict = h.value.find("script-src 'self'") != std::string::npos &&
               h.value.find("unsafe-inline") == std::string::npos;
    }
  }
  EXPECT_TRUE(strict) << "the console is served with a strict Content-Security-Policy";

  // The session over the API: a cookie the page cannot read, and no change without the CSRF
  // token.
  auto opened = client.Post("/api/v1/session", nlohmann::json{{"token", token}}.dump());
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened->status, 201) << opened->body;
  std::string cookie;
  for (const http::Header& h : opened->headers) {
    if (http::EqualsIgnoreCase(h.name, "Set-Cookie")) cookie = h.value;
  }
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
  const std::string session = cookie.substr(0, cookie.find(';'));
  const std::string csrf = nlohmann::json::parse(opened->body)["csrf_token"];
  const std::string query = R"({"query": {"schema": "Person", "properties": {"name": ["x"]}}})";
  const std::vector<http::Header> justified = {
      {"Cookie", session}, {"X-Justification", "checking the session's CSRF rule"}};
  auto forged = client.Post("/api/v1/screen", query, justified);
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->status, 403) << forged->body;
  std::vector<http::Header> with_csrf = justified;
  with_csrf.push_back({"X-CSRF-Token", csrf});
  auto screened = client.Post("/api/v1/screen", query, with_csrf);
  ASSERT_TRUE(screened.ok());
  EXPECT_EQ(screened->status, 200) << screened->body;
  auto ended =
      client.Send("DELETE", "/api/v1/session", {{"Cookie", session}, {"X-CSRF-Token", csrf}});
  ASSERT_TRUE(ended.ok());
  EXPECT_EQ(ended->status, 200) << ended->body;
  auto after = client.Get("/api/v1/session", {{"Cookie", session}});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, 401) << after->body;

  // A disabled user's sessions end with it.
  const CommandRun other =
      Entente("user add --dir " + node + " --agency BE/police --role analyst", false);
  ASSERT_EQ(other.exit_code, 0) << other.output;
  const std::string other_token = Trim(other.output);
  auto other_opened = client.Post("/api/v1/session", nlohmann::json{{"token", other_token}}.dump());
  ASSERT_TRUE(other_opened.ok() && other_opened->status == 201);
  std::string other_cookie;
  for (const http::Header& h : other_opened->headers) {
    if (http::EqualsIgnoreCase(h.name, "Set-Cookie")) other_cookie = h.value;
  }
  other_cookie = other_cookie.substr(0, other_cookie.find(';'));
  const std::string other_id = other_token.substr(4, other_token.find('_', 4) - 4);
  const CommandRun disabled = Entente("user disable --dir " + node + " " + other_id);
  ASSERT_EQ(disabled.exit_code, 0) << disabled.output;
  auto refused = client.Get("/api/v1/session", {{"Cookie", other_cookie}});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 401) << refused->body;

  const CommandRun auditor =
      Entente("user add --dir " + node + " --agency BE/administration --role auditor", false);
  ASSERT_EQ(auditor.exit_code, 0) << auditor.output;
  std::stringstream admin_token;
  admin_token << std::ifstream(node + "/admin.token").rdbuf();
  // An analyst who may feed the register (tier consult_and_feed) creates and edits a subject and
  // updates checklist tasks.
  const CommandRun writer =
      Entente("user add --dir " + node +
                  " --agency BE/police --role analyst --tier consult_and_feed --name 'Writer Test'",
              false);
  ASSERT_EQ(writer.exit_code, 0) << writer.output;
  // Two supervisors of the writer's agency: the first asks for the erasure of the writer's
  // subject, the second confirms it, restricts another and withdraws a request.
  const CommandRun supervisor = Entente(
      "user add --dir " + node +
          " --agency BE/police --role supervisor --tier consult_and_feed --name 'Supervisor One'",
      false);
  ASSERT_EQ(supervisor.exit_code, 0) << supervisor.output;
  const CommandRun second_supervisor = Entente(
      "user add --dir " + node +
          " --agency BE/police --role supervisor --tier consult_and_feed --name 'Supervisor Two'",
      false);
  ASSERT_EQ(second_supervisor.exit_code, 0) << second_supervisor.output;

  const std::string shots = ENTENTE_SHOTS_DIR;
  const CommandRun browser = RunShell(
      "cd " + std::string(ENTENTE_SOURCE_DIR) +
      "/console && node tests/browser.mjs --url "
      "https://localhost:" +
      std::to_string(port) + " --token " + Quoted(token) + " --name " + Quoted(name) + " --id " +
      Quoted(id) + " --shots " + Quoted(shots) + " --auditor-token " +
      Quoted(Trim(auditor.output)) + " --admin-token " + Quoted(Trim(admin_token.str())) +
      " --writer-token " + Quoted(Trim(writer.output)) + " --expect-exchanges" +
      " --supervisor-token " + Quoted(Trim(supervisor.output)) + " --second-supervisor-token " +
      Quoted(Trim(second_supervisor.output)) + " --deliver " + Quoted(deliver));
  EXPECT_EQ(browser.exit_code, 0) << browser.output;
  std::cout << browser.output;
}

}  // namespace
}  // namespace entente::testing
