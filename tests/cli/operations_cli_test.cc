// What an administrator plugs into the tools they already run: readiness for the load balancer,
// metrics that Prometheus' own checker accepts, and the example alert rules, checked and
// unit-tested by promtool (Debian's prometheus package, installed by scripts/install-deps.sh).

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "http/client.h"
#include "store/test_backends.h"
#include "support/serve_process.h"

namespace entente::testing {
namespace {

using nlohmann::json;

// Runs `command` through the shell with `input` on its stdin; its exit code and output.
CommandRun Shell(const std::string& command, const std::string& input_file) {
  return RunShell(command + " < " + input_file);
}

class OperationsTest : public CliTest {};

TEST_F(OperationsTest, ReadinessMetricsAndAlertRulesConform) {
  const std::string node = Path("node");
  ASSERT_EQ(Entente("node init --country BE --dir " + node).exit_code, 0);
  const CommandRun auditor =
      Entente("user add --dir " + node + " --agency BE/administration --role auditor", false);
  ASSERT_EQ(auditor.exit_code, 0) << auditor.output;
  std::string token = auditor.output;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();

  ServeProcess serve(
      {"--dir", node, "--listen", "127.0.0.1:0", "--no-tls", "--federation-listen", "127.0.0.1:0"},
      Path("serve.log"));
  const int port = serve.WaitForPort();
  ASSERT_GT(port, 0) << "the server did not start; see " << Path("serve.log");
  http::Client client(http::ClientOptions::Plain("127.0.0.1", port));

  // Ready: the store answers, its schema is current, the index is loaded.
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready.ok());
  ASSERT_EQ(ready->status, 200) << ready->body;
  const json readiness = json::parse(ready->body);
  EXPECT_EQ(readiness["status"], "ready");
  EXPECT_EQ(readiness["checks"]["store"], "ok");
  EXPECT_EQ(readiness["checks"]["migrations"], "ok");
  EXPECT_EQ(readiness["index_lag"], 0);

  // A few requests of each kind, then the exposition as Prometheus' checker reads it.
  ASSERT_TRUE(client.Get("/healthz").ok());
  ASSERT_TRUE(client.Get("/api/v1/subjects/BE-none").ok());  // 401
  auto metrics = client.Get("/metrics", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(metrics.ok());
  ASSERT_EQ(metrics->status, 200) << metrics->body;
  const std::string& text = metrics->body;
  for (const char* family :
       {"entente_http_requests_total", "entente_http_request_seconds", "entente_indexed_subjects",
        "entente_followups_overdue", "entente_release_notices_unacknowledged",
        "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
        "process_start_time_seconds"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
  }
  EXPECT_NE(text.find("entente_http_requests_total{method=\"GET\",route=\"/healthz\",status="
                      "\"200\"}"),
            std::string::npos)
      << text;
  Write("metrics.txt", text);
  const CommandRun checked = Shell("promtool check metrics", Path("metrics.txt"));
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n" << text;
  EXPECT_EQ(checked.output, "") << "promtool's lint findings";

  // The example alert rules of docs/operations.md: valid, and they fire as their tests say.
  const std::string rules = std::string(ENTENTE_SOURCE_DIR) + "/deploy/prometheus/";
  const CommandRun rules_checked =
      Shell("promtool check rules " + rules + "alerts.yml", "/dev/null");
  EXPECT_EQ(rules_checked.exit_code, 0) << rules_checked.output;
  const CommandRun rules_tested =
      Shell("cd " + rules + " && promtool test rules alerts_test.yml", "/dev/null");
  EXPECT_EQ(rules_tested.exit_code, 0) << rules_tested.output;

  // The OpenAPI document the node serves passes Redocly's recommended rules
  // (tools/conformance): no error; warnings only where an operation has no 4xx of its own
  // (the token-free probes and this document).
  auto doc = client.Get("/api/v1/openapi.json");
  ASSERT_TRUE(doc.ok());
  ASSERT_EQ(doc->status, 200);
  Write("openapi.json", doc->body);
  const CommandRun linted =
      Shell(std::string(ENTENTE_SOURCE_DIR) + "/tools/conformance/openapi-lint.sh " +
                Path("openapi.json") + " --format=stylish",
            "/dev/null");
  EXPECT_EQ(linted.exit_code, 0) << linted.output;
  size_t warnings = 0;
  for (size_t at = linted.output.find("operation-4xx-response"); at != std::string::npos;
       at = linted.output.find("operation-4xx-response", at + 1)) {
    ++warnings;
  }
  EXPECT_NE(linted.output.find("API description is valid"), std::string::npos) << linted.output;
  EXPECT_EQ(linted.output.find("error"), std::string::npos) << linted.output;
  EXPECT_LE(warnings, 3U) << linted.output;
}

// A restore drill: back up a node while its outbox holds a message for a partner that is down,
// destroy it, restore it; the audit log verifies against its signed anchors, and the register
// and the outbox are as they were.
TEST_F(OperationsTest, ARestoredNodeIsTheNodeThatWasBackedUp) {
  const std::string be = Path("BE");
  ASSERT_EQ(Entente("node init --country BE --dir " + be).exit_code, 0);
  ASSERT_EQ(
      Entente("node init --country FR --dir " + Path("FR") + " --federation-listen 127.0.0.1:1")
          .exit_code,
      0);
  ASSERT_EQ(Entente("node keys --dir " + Path("FR") + " --out " + Path("FR.keys")).exit_code, 0);
  ASSERT_EQ(Entente("partner add --dir " + be + " --keys " + Path("FR.keys") +
                    " --mode plaintext --categories terrorism_convict,returnee")
                .exit_code,
            0);
  Write("people.csv",
        "id,name,birthDate,ownerAgency,handlingCode,category\n"
        "BE-1,Mohamed El Amrani,1987-03-14,BE/intelligence,H0,terrorism_convict\n"
        "BE-2,Hélène Lefèvre,1985-07-02,BE/intelligence,H0,returnee\n");
  const std::string why = " --justification 'restore drill on synthetic data'";
  ASSERT_EQ(Entente("import --dir " + be + " " + Path("people.csv") + why).exit_code, 0);
  const CommandRun analyst = Entente("user add --dir " + be +
                                         " --agency BE/intelligence --role analyst --tier "
                                         "consult_and_feed",
                                     false);
  ASSERT_EQ(analyst.exit_code, 0);
  Write("analyst.token", analyst.output);
  const CommandRun auditor =
      Entente("user add --dir " + be + " --agency BE/administration --role auditor", false);
  ASSERT_EQ(auditor.exit_code, 0);
  Write("auditor.token", auditor.output);
  const std::string as_analyst = " --token-file " + Path("analyst.token") + why;
  const CommandRun sent =
      Entente("send --dir " + be + " --token-file " + Path("analyst.token") +
              " --to FR/intelligence --subject BE-1 --body 'Known to you?'" + why);
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  ASSERT_EQ(Entente("audit anchor --dir " + be).exit_code, 0);
  const std::string subjects_before = Entente("export --dir " + be + as_analyst, false).output;
  ASSERT_NE(subjects_before.find("Mohamed El Amrani"), std::string::npos) << subjects_before;
  const std::string outbox_before = Entente("outbox --format csv --dir " + be, false).output;
  ASSERT_NE(outbox_before.find("FR,pending,1,"), std::string::npos) << outbox_before;

  // Administrators only; never over an existing file.
  CommandRun backup = Entente("backup --dir " + be + " --token-file " + Path("analyst.token") +
                              " --out " + Path("be.backup"));
  EXPECT_EQ(backup.exit_code, 4) << backup.output;
  backup = Entente("backup --dir " + be + " --out " + Path("be.backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_NE(backup.output.find("2 subjects"), std::string::npos) << backup.output;
  EXPECT_EQ(std::filesystem::status(Path("be.backup")).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_NE(Entente("backup --dir " + be + " --out " + Path("be.backup")).exit_code, 0);

  std::filesystem::remove_all(be);
  CommandRun restored = Entente("restore --from " + Path("be.backup") + " --dir " + be);
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  const CommandRun verified = Entente("audit verify --dir " + be);
  ASSERT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("1 signed anchors hold"), std::string::npos) << verified.output;
  EXPECT_EQ(Entente("export --dir " + be + as_analyst, false).output, subjects_before);
  EXPECT_EQ(Entente("outbox --format csv --dir " + be, false).output, outbox_before);
  // The analyst's token works again; the restore is in the log.
  EXPECT_EQ(Entente("subject show BE-2 --dir " + be + as_analyst).exit_code, 0);
  const CommandRun log = Entente("audit show --action restore_node --format json --dir " + be +
                                     " --token-file " + Path("auditor.token"),
                                 false);
  EXPECT_NE(log.output.find("restore_node"), std::string::npos) << log.output;

  // Never over a node.
  restored = Entente("restore --from " + Path("be.backup") + " --dir " + be);
  EXPECT_NE(restored.exit_code, 0);
  EXPECT_NE(restored.output.find("not empty"), std::string::npos) << restored.output;
  // A crafted backup cannot write outside the directory it is restored into.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(Path("crafted.backup").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE entente_backup_files (path TEXT PRIMARY KEY, mode INTEGER "
                           "NOT NULL, content TEXT NOT NULL); INSERT INTO entente_backup_files "
                           "VALUES ('../escaped', 420, 'aGVsbG8=');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  restored = Entente("restore --from " + Path("crafted.backup") + " --dir " + Path("inside"));
  EXPECT_NE(restored.exit_code, 0);
  EXPECT_NE(restored.output.find("lies outside the node"), std::string::npos) << restored.output;
  EXPECT_FALSE(std::filesystem::exists(Path("escaped")));
  EXPECT_FALSE(std::filesystem::exists(Path("inside")));
  Write("not-a-backup", "hello");
  restored = Entente("restore --from " + Path("not-a-backup") + " --dir " + Path("elsewhere"));
  EXPECT_NE(restored.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(Path("elsewhere"))) << "nothing half-restored";
}

// The restore drill on PostgreSQL, as docs/operations.md gives it: `entente backup` for the
// node's files, pg_dump for the database; the database emptied and the node's directory
// destroyed; pg_restore and `entente restore`: the chain and its anchors hold, the register is
// as it was. The timings are printed.
TEST_F(OperationsTest, APostgresNodeIsRestoredFromPgDumpAndItsFiles) {
  std::string unused;
  auto url = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &unused);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  const std::string be = Path("BE");
  ASSERT_EQ(Entente("node init --country BE --dir " + be + " --store '" + *url + "'").exit_code, 0);
  Write("people.csv",
        "id,name,birthDate,ownerAgency,handlingCode,category\n"
        "BE-1,Mohamed El Amrani,1987-03-14,BE/intelligence,H0,terrorism_convict\n"
        "BE-2,Hélène Lefèvre,1985-07-02,BE/intelligence,H0,returnee\n");
  const std::string why = " --justification 'restore drill on synthetic data'";
  ASSERT_EQ(Entente("import --dir " + be + " " + Path("people.csv") + why).exit_code, 0);
  const CommandRun analyst = Entente("user add --dir " + be +
                                         " --agency BE/intelligence --role analyst --tier "
                                         "consult_and_feed",
                                     false);
  ASSERT_EQ(analyst.exit_code, 0);
  Write("analyst.token", analyst.output);
  const std::string as_analyst = " --token-file " + Path("analyst.token") + why;
  ASSERT_EQ(Entente("subject show BE-1 --dir " + be + as_analyst).exit_code, 0);
  ASSERT_EQ(Entente("audit anchor --dir " + be).exit_code, 0);
  const std::string subjects_before = Entente("export --dir " + be + as_analyst, false).output;
  ASSERT_NE(subjects_before.find("Hélène Lefèvre"), std::string::npos) << subjects_before;

  const auto start = std::chrono::steady_clock::now();
  auto seconds = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  const CommandRun backup = Entente("backup --dir " + be + " --out " + Path("be.backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_NE(backup.output.find("pg_dump"), std::string::npos) << "says how to back up the rest";
  const CommandRun dumped =
      RunShell("pg_dump --format=custom --file=" + Path("be.pgdump") + " '" + *url + "'");
  ASSERT_EQ(dumped.exit_code, 0) << dumped.output;
  const double backup_seconds = seconds(start);

  // Disaster: the database emptied, the node's directory gone.
  const CommandRun emptied =
      RunShell("psql -q -v ON_ERROR_STOP=1 '" + *url +
               "' -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public'");
  ASSERT_EQ(emptied.exit_code, 0) << emptied.output;
  std::filesystem::remove_all(be);
  EXPECT_NE(Entente("audit verify --dir " + be).exit_code, 0);

  const auto restore_start = std::chrono::steady_clock::now();
  const CommandRun restored_db =
      RunShell("pg_restore --no-owner --dbname='" + *url + "' " + Path("be.pgdump"));
  ASSERT_EQ(restored_db.exit_code, 0) << restored_db.output;
  const CommandRun restored = Entente("restore --from " + Path("be.backup") + " --dir " + be);
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  const double restore_seconds = seconds(restore_start);
  const CommandRun verified = Entente("audit verify --dir " + be);
  ASSERT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("1 signed anchors hold"), std::string::npos) << verified.output;
  EXPECT_EQ(Entente("export --dir " + be + as_analyst, false).output, subjects_before);
  std::printf(
      "PostgreSQL restore drill: backup (files + pg_dump) %.2f s, restore (pg_restore + "
      "files) %.2f s\n",
      backup_seconds, restore_seconds);
}

}  // namespace
}  // namespace entente::testing
