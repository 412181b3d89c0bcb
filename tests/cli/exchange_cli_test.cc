// The exchange from the command line: two nodes made with `node init`, partners registered from
// each other's `node keys` files, a message sent from one, delivered over mutual TLS to the
// other's `entente serve`, and read there; then `entente demo --check`.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "common/testing.h"
#include "support/free_port.h"

extern char** environ;

namespace entente::testing {
namespace {

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

class ExchangeCliTest : public CliTest {
 protected:
  // A node of `country` whose federation endpoint listens on `port`.
  void Init(const std::string& country, int port) {
    const CommandRun run =
        Entente("node init --country " + country + " --dir " + Path(country) +
                " --listen 127.0.0.1:0 --federation-listen 127.0.0.1:" + std::to_string(port));
    ASSERT_EQ(run.exit_code, 0) << run.output;
    ASSERT_NE(run.output.find("federation       https://127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << run.output;
  }
  std::string AddAnalyst(const std::string& country) {
    const CommandRun run = Entente("user add --dir " + Path(country) + " --agency " + country +
                                       "/intelligence --role analyst --tier consult_and_feed",
                                   false);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    return Trim(run.output);
  }
  // Starts `entente serve` for `country` and waits for its federation endpoint; 0 on failure.
  pid_t Serve(const std::string& country) {
    const std::string log = Path(country + "-serve.log");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> args = {ENTENTE_BIN,   "serve",     "--dir",
                                     Path(country), "--threads", "4"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, ENTENTE_BIN, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return 0;
    for (int i = 0; i < 300; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      std::stringstream text;
      text << std::ifstream(log).rdbuf();
      if (text.str().find("federation endpoint") != std::string::npos) return pid;
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return 0;
  }
  // Runs `entente deliver` for `country` until one message is delivered (10 s at most).
  void DeliverOne(const std::string& country) {
    CommandRun delivered;
    for (int i = 0; i < 50; ++i) {
      delivered = Entente("deliver --dir " + Path(country), /*with_stderr=*/false);
      if (delivered.output.starts_with("1 delivered")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_TRUE(delivered.output.starts_with("1 delivered")) << delivered.output;
  }
  // Two nodes, BE and FR, each the other's partner (FR's endpoint on `fr_port`).
  void Pair(int fr_port) {
    Init("BE", FreePort());
    Init("FR", fr_port);
    for (const char* cc : {"BE", "FR"}) {
      const CommandRun keys =
          Entente("node keys --dir " + Path(cc) + " --out " + Path(std::string(cc) + ".keys"));
      ASSERT_EQ(keys.exit_code, 0) << keys.output;
    }
  }
};

TEST_F(ExchangeCliTest, TwoNodesExchangeThroughTheirCommands) {
  const int fr_port = FreePort();
  Pair(fr_port);
  nlohmann::json keys = nlohmann::json::parse(std::ifstream(Path("FR.keys")));
  EXPECT_EQ(keys["country"], "FR");
  EXPECT_EQ(keys["url"], "https://127.0.0.1:" + std::to_string(fr_port));
  EXPECT_TRUE(keys["tls_certificate"].get<std::string>().starts_with("-----BEGIN CERTIFICATE"));

  // Bad registrations are refused with the file and the field.
  Write("broken.keys", R"({"country": "FR", "signing_public_key": "xx"})");
  CommandRun bad = Entente("partner add --dir " + Path("BE") + " --keys " + Path("broken.keys"));
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("broken.keys: box_public_key: expected text"), std::string::npos)
      << bad.output;
  bad = Entente("partner add --dir " + Path("BE") + " --keys " + Path("BE.keys"));
  EXPECT_NE(bad.output.find("this node's own keys"), std::string::npos) << bad.output;
  bad = Entente("partner add --dir " + Path("BE") + " --keys " + Path("FR.keys") +
                " --legal-basis derogation");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("legal_basis_reference"), std::string::npos) << bad.output;

  CommandRun added = Entente("partner add --dir " + Path("BE") + " --keys " + Path("FR.keys") +
                             " --mode plaintext --categories terrorism_convict,returnee");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  added = Entente("partner add --dir " + Path("FR") + " --keys " + Path("BE.keys"));
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const CommandRun listed = Entente("partner list --format json --dir " + Path("BE"), false);
  EXPECT_NE(listed.output.find("\"terrorism_convict\""), std::string::npos) << listed.output;

  const std::string be_analyst = AddAnalyst("BE");
  const std::string fr_analyst = AddAnalyst("FR");
  // Not to a country that is not a partner; and not without a justification.
  CommandRun sent = Entente("send --dir " + Path("BE") + " --token-file /dev/null --to ES/police");
  EXPECT_NE(sent.exit_code, 0);
  setenv("ENTENTE_TOKEN", be_analyst.c_str(), 1);
  sent = Entente("send --dir " + Path("BE") + " --to FR/intelligence --body hello");
  EXPECT_EQ(sent.exit_code, 1) << sent.output;  // no justification
  sent = Entente("send --dir " + Path("BE") +
                 " --to ES/police --body hello --justification "
                 "'coordination of a joint case'");
  EXPECT_NE(sent.output.find("ES is not a registered partner"), std::string::npos) << sent.output;
  sent = Entente("send --dir " + Path("BE") +
                 " --to FR/intelligence --type request --deadline 2030-01-01 --body 'Any trace "
                 "of travel?' --justification 'coordination of a joint case'");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  const std::string id = sent.output.substr(sent.output.find("msg-"), 36);

  // Queued while FR is down; delivered once FR serves.
  unsetenv("ENTENTE_TOKEN");
  CommandRun outbox = Entente("outbox --format csv --dir " + Path("BE"), false);
  EXPECT_NE(outbox.output.find("FR,pending,1,"), std::string::npos) << outbox.output;
  CommandRun delivered = Entente("deliver --dir " + Path("BE"));
  EXPECT_NE(delivered.output.find("0 delivered, 1 failed attempts"), std::string::npos)
      << delivered.output;

  const pid_t pid = Serve("FR");
  ASSERT_GT(pid, 0);
  // The back-off of the failed attempt (1 s) must pass first.
  DeliverOne("BE");
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);

  setenv("ENTENTE_TOKEN", fr_analyst.c_str(), 1);
  const CommandRun cases = Entente("cases --format json --dir " + Path("FR"), false);
  const auto case_rows = nlohmann::json::parse(cases.output);
  ASSERT_EQ(case_rows.size(), 1u) << cases.output;
  EXPECT_EQ(case_rows[0]["opened_by"], "request");
  EXPECT_EQ(case_rows[0]["messages"], 1);
  const CommandRun message = Entente("message --format json --dir " + Path("FR") + " --id " + id +
                                         " --justification 'answering the Belgian request'",
                                     false);
  ASSERT_EQ(message.exit_code, 0) << message.output;
  EXPECT_EQ(nlohmann::json::parse(message.output)["body"], "Any trace of travel?");
  unsetenv("ENTENTE_TOKEN");
  const CommandRun stats = Entente("stats --format json --dir " + Path("BE"), false);
  EXPECT_EQ(nlohmann::json::parse(stats.output)[0]["to"], "FR") << stats.output;
  // FR's serve anchored its audit log when it stopped; the anchors hold.
  const CommandRun verified = Entente("audit verify --dir " + Path("FR"));
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find(", 1 signed anchors hold"), std::string::npos) << verified.output;
}

// Key rotation across two nodes: BE announces new signing, sealing and TLS keys to FR, switches
// once FR has acknowledged, and the exchange goes on both ways: a message FR sealed for BE's
// former key before the switch is still opened, FR makes BE's new keys current when it first
// sees them, BE's new certificate is admitted, and BE's audit anchors signed with the former key
// still hold.
TEST_F(ExchangeCliTest, KeysAreRotatedAndAnnouncedToPartners) {
  const int fr_port = FreePort();
  Pair(fr_port);
  ASSERT_EQ(Entente("partner add --dir " + Path("BE") + " --keys " + Path("FR.keys") +
                    " --mode plaintext")
                .exit_code,
            0);
  ASSERT_EQ(Entente("partner add --dir " + Path("FR") + " --keys " + Path("BE.keys")).exit_code, 0);
  const std::string be_analyst = AddAnalyst("BE");
  const std::string fr_analyst = AddAnalyst("FR");
  auto send = [&](const std::string& from, const std::string& to, const std::string& token) {
    setenv("ENTENTE_TOKEN", token.c_str(), 1);
    const CommandRun sent = Entente("send --dir " + Path(from) + " --to " + to +
                                    "/intelligence --body 'after the rotation' --justification "
                                    "'coordination of a joint case'");
    unsetenv("ENTENTE_TOKEN");
    EXPECT_EQ(sent.exit_code, 0) << sent.output;
  };
  // BE serves once with its first keys: its audit log is anchored with them at the stop.
  pid_t be_pid = Serve("BE");
  ASSERT_GT(be_pid, 0);
  kill(be_pid, SIGTERM);
  waitpid(be_pid, nullptr, 0);
  const nlohmann::json first_keys =
      nlohmann::json::parse(std::ifstream(Path("BE/keys/public.json")));

  CommandRun run = Entente("node rotate-keys --dir " + Path("BE") + " --grace-days 0");
  EXPECT_NE(run.exit_code, 0) << run.output;
  run = Entente("node rotate-keys --dir " + Path("BE") + " --activate");
  EXPECT_NE(run.output.find("no key rotation in progress"), std::string::npos) << run.output;
  run = Entente("node rotate-keys --dir " + Path("BE") + " --grace-days 7");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("announced to 1 partner(s)"), std::string::npos) << run.output;
  run = Entente("node rotate-keys --dir " + Path("BE"));
  EXPECT_NE(run.output.find("already in progress"), std::string::npos) << run.output;
  // Not before FR has acknowledged.
  run = Entente("node rotate-keys --dir " + Path("BE") + " --activate");
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("not every partner has acknowledged the new keys yet: FR (pending"),
            std::string::npos)
      << run.output;

  pid_t fr_pid = Serve("FR");
  ASSERT_GT(fr_pid, 0);
  DeliverOne("BE");
  kill(fr_pid, SIGTERM);
  waitpid(fr_pid, nullptr, 0);
  run = Entente("node rotate-keys --status --dir " + Path("BE"));
  EXPECT_NE(run.output.find("FR  acknowledged"), std::string::npos) << run.output;
  run = Entente("partner list --format json --dir " + Path("FR"), false);
  EXPECT_NE(run.output.find("next keys announced"), std::string::npos) << run.output;

  // FR writes to BE before BE switches: sealed for BE's current box key, queued.
  send("FR", "BE", fr_analyst);
  run = Entente("node rotate-keys --dir " + Path("BE") + " --activate");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("restart `entente serve`"), std::string::npos) << run.output;
  const nlohmann::json new_keys = nlohmann::json::parse(std::ifstream(Path("BE/keys/public.json")));
  EXPECT_NE(new_keys["signing_public_key"], first_keys["signing_public_key"]);
  EXPECT_FALSE(std::filesystem::exists(Path("BE/next-keys")));

  // BE serves with its new keys and certificate; FR's queued message reaches it.
  be_pid = Serve("BE");
  ASSERT_GT(be_pid, 0);
  DeliverOne("FR");
  kill(be_pid, SIGTERM);
  waitpid(be_pid, nullptr, 0);
  run = Entente("partner list --format json --dir " + Path("FR"), false);
  EXPECT_NE(run.output.find("previous keys accepted until"), std::string::npos) << run.output;
  const nlohmann::json be_at_fr = nlohmann::json::parse(
      Entente("partner list --format json --dir " + Path("FR"), false).output);
  ASSERT_EQ(be_at_fr.size(), 1u);
  const nlohmann::json new_public =
      nlohmann::json::parse(Entente("node keys --dir " + Path("BE"), false).output);
  EXPECT_EQ(be_at_fr[0]["tls_fingerprint"], new_public["tls_fingerprint"]);

  // BE writes to FR with its new keys, presenting its new certificate.
  send("BE", "FR", be_analyst);
  fr_pid = Serve("FR");
  ASSERT_GT(fr_pid, 0);
  DeliverOne("BE");
  kill(fr_pid, SIGTERM);
  waitpid(fr_pid, nullptr, 0);
  setenv("ENTENTE_TOKEN", fr_analyst.c_str(), 1);
  // Each has the other's message as a case (the key rotation is not one).
  run = Entente("cases --format json --dir " + Path("FR"), false);
  unsetenv("ENTENTE_TOKEN");
  const nlohmann::json fr_cases = nlohmann::json::parse(run.output);
  ASSERT_EQ(fr_cases.size(), 2u) << run.output;  // FR's own message to BE, and BE's
  setenv("ENTENTE_TOKEN", be_analyst.c_str(), 1);
  run = Entente("cases --format json --dir " + Path("BE"), false);
  unsetenv("ENTENTE_TOKEN");
  const nlohmann::json be_cases = nlohmann::json::parse(run.output);
  ASSERT_EQ(be_cases.size(), 2u) << run.output;
  for (const nlohmann::json& c : be_cases) EXPECT_EQ(c["messages"], 1) << run.output;

  // Anchors signed with the first key and with the new one hold.
  run = Entente("audit verify --dir " + Path("BE"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find(", 2 signed anchors hold"), std::string::npos) << run.output;
}

// Hit/no-hit from the command line: the federation key made and installed, BE's encoded index
// published and delivered to FR's `serve`, FR screening a person against its register and BE's
// index, the hit listed and followed up.
TEST_F(ExchangeCliTest, HitNoHitThroughTheCommands) {
  const int fr_port = FreePort();
  Pair(fr_port);
  ASSERT_EQ(Entente("partner add --dir " + Path("BE") + " --keys " + Path("FR.keys") +
                    " --mode plaintext --categories terrorism_convict")
                .exit_code,
            0);
  ASSERT_EQ(Entente("partner add --dir " + Path("FR") + " --keys " + Path("BE.keys")).exit_code, 0);

  CommandRun run = Entente("index new-key --out " + Path("federation.key") + " --version 3");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = Entente("index new-key --out " + Path("federation.key"));
  EXPECT_NE(run.exit_code, 0) << "an existing key file is not overwritten";
  Write("bad.key", R"({"version": 3, "secret": "AAAA"})");
  run = Entente("index key --dir " + Path("BE") + " --key " + Path("bad.key"));
  EXPECT_NE(run.output.find("bad.key: secret: expected 32 bytes"), std::string::npos) << run.output;
  run = Entente("index publish --dir " + Path("BE"));
  EXPECT_NE(run.output.find("no encoding key installed"), std::string::npos) << run.output;
  for (const char* cc : {"BE", "FR"}) {
    run = Entente("index key --dir " + Path(cc) + " --key " + Path("federation.key"));
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }

  Write("people.csv",
        "id,name,birthDate,ownerAgency,handlingCode,category,nationality\n"
        "BE-100,Youssef El Khattabi,1988-02-03,BE/intelligence,H0,terrorism_convict,MA\n"
        "BE-101,Karim Benali,1991-07-14,BE/police,H0,drugs_trafficking,BE\n");
  run = Entente("import --dir " + Path("BE") + " " + Path("people.csv") +
                " --justification 'loading the register of the demonstration'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = Entente("index publish --format csv --dir " + Path("BE"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // One subject shared (the drug trafficker is outside FR's categories).
  EXPECT_NE(run.output.find("partner,hit_no_hit,generation,full,updates,codes,removed,entries,"
                            "withheld\nFR,encoded_index,1,true,1,1,0,1,1\n"),
            std::string::npos)
      << run.output;

  const pid_t pid = Serve("FR");
  ASSERT_GT(pid, 0);
  DeliverOne("BE");
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  run = Entente("index status --format json --dir " + Path("FR"), false);
  // FR's serve published its own (empty) index to BE when it started.
  const auto status = nlohmann::json::parse(run.output);
  ASSERT_EQ(status.size(), 1u) << run.output;
  EXPECT_EQ(status[0]["received_generation"], 1) << run.output;
  EXPECT_EQ(status[0]["received_entries"], 1) << run.output;
  EXPECT_EQ(status[0]["usable"], true) << run.output;

  const std::string fr_analyst = AddAnalyst("FR");
  setenv("ENTENTE_TOKEN", fr_analyst.c_str(), 1);
  Write("queries.csv",
        "id,name,birthDate,nationality\n"
        "q1,EL KHATTABI Youcef,1988-02-03,MA\n"
        "q2,Pierre Dupont,1970-01-01,FR\n");
  run = Entente("screen --partners --dir " + Path("FR") + " --queries " + Path("queries.csv") +
                " --output " + Path("hits.csv"));
  EXPECT_NE(run.output.find("a justification is required"), std::string::npos) << run.output;
  run = Entente("screen --partners --dir " + Path("FR") + " --queries " + Path("queries.csv") +
                " --output " + Path("hits.csv") + " --justification 'border check of two persons'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("1 partner hits"), std::string::npos) << run.output;
  std::stringstream csv;
  csv << std::ifstream(Path("hits.csv")).rdbuf();
  EXPECT_TRUE(csv.str().starts_with("query_id,match_id,score,country,owner,hit_id\nq1,ref-"))
      << csv.str();
  EXPECT_NE(csv.str().find(",BE,BE/intelligence,hit-"), std::string::npos) << csv.str();
  EXPECT_EQ(csv.str().find("BE-100"), std::string::npos) << "a register id left BE";
  EXPECT_EQ(csv.str().find("q2"), std::string::npos) << csv.str();

  // A batch interrupted after its first chunk resumes where it stopped: nothing screened twice.
  Write("batch.csv",
        "id,name,birthDate,nationality\n"
        "b1,Pierre Dupont,1970-01-01,FR\n"
        "b2,Jeanne Martin,1982-05-06,FR\n"
        "b3,Youssef EL KHATTABI,1988-02-03,MA\n"
        "b4,Marc Lefebvre,1975-09-30,FR\n");
  const std::string batch = "screen --partners --dir " + Path("FR") + " --queries " +
                            Path("batch.csv") + " --output " + Path("batch-hits.csv") +
                            " --chunk 2 --justification 'screening a passenger list'";
  setenv("ENTENTE_FAULT_STOP_AFTER_CHUNKS", "1", 1);
  run = Entente(batch);
  unsetenv("ENTENTE_FAULT_STOP_AFTER_CHUNKS");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(Path("batch-hits.csv")));
  std::stringstream saved;
  saved << std::ifstream(Path("batch-hits.csv.progress")).rdbuf();
  EXPECT_NE(saved.str().find("\"records\":2"), std::string::npos) << saved.str();
  run = Entente(batch);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("resuming after 2 queries"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("screened 2 queries"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(Path("batch-hits.csv.progress")));
  std::stringstream batch_csv;
  batch_csv << std::ifstream(Path("batch-hits.csv")).rdbuf();
  EXPECT_TRUE(batch_csv.str().starts_with("query_id,match_id,score,country,owner,hit_id\n"))
      << batch_csv.str();
  EXPECT_NE(batch_csv.str().find("b3,ref-"), std::string::npos) << batch_csv.str();

  run = Entente(
      "hits --format json --dir " + Path("FR") + " --justification 'border check of two persons'",
      false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto hits = nlohmann::json::parse(run.output);
  ASSERT_EQ(hits.size(), 2u) << run.output;  // q1, then b3 once
  const std::string hit = hits[0]["hit"];
  run = Entente("followup --dir " + Path("FR") + " --hit " + hit +
                " --justification 'border check of two persons'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("queued for BE (answer due within 48 hours)"), std::string::npos)
      << run.output;
  run = Entente("followup --dir " + Path("FR") + " --hit " + hit +
                " --justification 'border check of two persons'");
  EXPECT_NE(run.output.find("already followed up"), std::string::npos) << run.output;
  unsetenv("ENTENTE_TOKEN");
}

TEST(DemoTest, TheFourNodesAnswerThroughTheirApi) {
  const CommandRun run = Entente("demo --check --persons 1000");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Every check succeeded."), std::string::npos) << run.output;
  for (const char* cc : {"BE", "FR", "ES", "MA"}) {
    EXPECT_NE(run.output.find(std::string("  ") + cc + "  API https://127.0.0.1:"),
              std::string::npos);
  }
  EXPECT_EQ(run.output.find("FAIL"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace entente::testing

namespace entente::testing {
namespace {

// `entente screen --encoded` compares keyed Bloom-filter encodings only: the same spelling
// variants still meet, an unrelated person does not, and a key file is checked.
TEST_F(CliTest, ScreeningOnEncodingsFindsSpellingVariants) {
  Write("watchlist.csv",
        "id,name,birthDate,nationality\n"
        "W1,Mohamed El Amrani,1987-03-14,BE\n"
        "W2,Youssef El Khattabi,1990-01-02,MA\n"
        "W3,Jan Peeters,1975-05-05,BE\n");
  Write("queries.csv",
        "id,name,birthDate,nationality\n"
        "Q1,EL AMRANI Mohammed,1987-03-14,BE\n"
        "Q2,Pierre Dupont,1960-02-02,FR\n");
  Write("key.json", R"({"version": 3, "secret": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})");
  const CommandRun run = Entente("screen --encoded --key " + Path("key.json") + " --watchlist " +
                                 Path("watchlist.csv") + " --queries " + Path("queries.csv") +
                                 " --output " + Path("r.csv"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("on encodings only (key version 3)"), std::string::npos) << run.output;
  const std::string result = testing::ReadFile(Path("r.csv"));
  EXPECT_EQ(result.rfind("query_id,match_id,score\nQ1,W1,", 0), 0u) << result;
  EXPECT_EQ(result.find("Q2,"), std::string::npos) << result;
  EXPECT_EQ(result.find("Q1,W2"), std::string::npos) << result;

  Write("bad.json", R"({"version": 3, "secret": "c2hvcnQ="})");
  const CommandRun bad = Entente("screen --encoded --key " + Path("bad.json") + " --watchlist " +
                                 Path("watchlist.csv") + " --queries " + Path("queries.csv") +
                                 " --output " + Path("r2.csv"));
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("bad.json: secret: expected 32 bytes"), std::string::npos)
      << bad.output;
}

}  // namespace
}  // namespace entente::testing
