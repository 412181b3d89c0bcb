// Running a node from the command line: node init, user add / list, audit verify / show, on
// SQLite and on a throwaway PostgreSQL.

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "common/testing.h"
#include "store/test_backends.h"

namespace entente {
namespace {

namespace fs = std::filesystem;

using testing::CliTest;
using testing::CommandRun;
using testing::Entente;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// Changes an audit entry behind the program's back, as someone with the database file could
// (after dropping the append-only triggers).
void TamperWithAuditEntry(const std::string& database, int seq) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(database.c_str(), &db), SQLITE_OK);
  const std::string sql =
      "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET justification = 'covered up' "
      "WHERE seq = " +
      std::to_string(seq) + ";";
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class NodeCliTest : public CliTest {
 protected:
  std::string Node() const { return Path("node"); }
  // Adds a user as the node's administrator; returns stdout (the token line).
  CommandRun AddUser(const std::string& flags, const std::string& extra = "") {
    return Entente("user add --dir " + Node() + " " + flags + extra, false);
  }
};

TEST_F(NodeCliTest, InitAddUserVerifyThenDetectTampering) {
  const CommandRun init = Entente("node init --country be --dir " + Node(), false);
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find("node BE created"), std::string::npos) << init.output;
  EXPECT_NE(init.output.find(Node() + "/admin.token"), std::string::npos) << init.output;
  const std::string admin_token = testing::ReadFile(Node() + "/admin.token");
  ASSERT_EQ(admin_token.rfind("ent_u-", 0), 0u);
  EXPECT_EQ(init.output.find(admin_token.substr(0, admin_token.size() - 1)), std::string::npos)
      << "the token must not be printed without --print-token";
  EXPECT_EQ(ModeOf(Node() + "/admin.token"), 0600u);

  const CommandRun added =
      AddUser("--agency BE/intelligence --role analyst --tier consult_and_feed");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const std::vector<std::string> lines = Lines(added.output);
  ASSERT_EQ(lines.size(), 1u) << added.output;
  EXPECT_EQ(lines[0].rfind("ent_u-", 0), 0u) << lines[0];

  const CommandRun list = Entente("user list --format csv --dir " + Node(), false);
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(Lines(list.output).size(), 3u) << list.output;  // header, administrator, analyst
  EXPECT_NE(list.output.find("BE/intelligence,analyst,consult_and_feed"), std::string::npos)
      << list.output;
  EXPECT_EQ(list.output.find("argon2"), std::string::npos);
  EXPECT_EQ(list.output.find("ent_"), std::string::npos);

  const CommandRun verified = Entente("audit verify --dir " + Node());
  ASSERT_EQ(verified.exit_code, 0) << verified.output;
  // node-init's administrator, the analyst, the listing, this verification.
  EXPECT_NE(verified.output.find("4 entries"), std::string::npos) << verified.output;

  TamperWithAuditEntry(Node() + "/register.db", 2);
  const CommandRun broken = Entente("audit verify --dir " + Node());
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("broken at entry seq 2"), std::string::npos) << broken.output;
  EXPECT_NE(broken.output.find("altered"), std::string::npos) << broken.output;
}

TEST_F(NodeCliTest, PrintTokenPutsOnlyTheTokenOnStdout) {
  const CommandRun init =
      Entente("node init --country FR --dir " + Node() + " --print-token", false);
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_EQ(init.output, testing::ReadFile(Node() + "/admin.token"));
}

TEST_F(NodeCliTest, SecondInitIsRefusedAndChangesNothing) {
  ASSERT_EQ(Entente("node init --country BE --dir " + Node()).exit_code, 0);
  const std::string token = testing::ReadFile(Node() + "/admin.token");
  const CommandRun again = Entente("node init --country BE --dir " + Node());
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_NE(again.output.find("a node is already here"), std::string::npos) << again.output;
  EXPECT_EQ(testing::ReadFile(Node() + "/admin.token"), token);
}

TEST_F(NodeCliTest, OnlyAdministratorsAddUsersAndOnlyAuditorsReadTheLog) {
  ASSERT_EQ(Entente("node init --country BE --dir " + Node()).exit_code, 0);
  const CommandRun analyst = AddUser("--agency BE/police --role analyst");
  ASSERT_EQ(analyst.exit_code, 0);
  Write("analyst.token", analyst.output);
  const CommandRun refused =
      AddUser("--agency BE/police --role analyst", " --token-file " + Path("analyst.token"));
  EXPECT_EQ(refused.exit_code, 4);

  const CommandRun auditor = AddUser("--agency BE/judicial --role auditor");
  ASSERT_EQ(auditor.exit_code, 0);
  Write("auditor.token", auditor.output);
  // An administrator manages users but does not read the log.
  EXPECT_EQ(Entente("audit show --dir " + Node()).exit_code, 4);
  const CommandRun shown = Entente("audit show --format json --dir " + Node() + " --token-file " +
                                       Path("auditor.token") + " --limit 50",
                                   false);
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  const auto entries = nlohmann::json::parse(shown.output);
  ASSERT_GE(entries.size(), 5u) << shown.output;
  int refusals = 0;
  int64_t previous = 0;
  for (const auto& entry : entries) {
    EXPECT_GT(entry["seq"].get<int64_t>(), previous);
    previous = entry["seq"].get<int64_t>();
    EXPECT_EQ(entry["hash"].get<std::string>().size(), 64u);
    if (entry["details"].value("outcome", "").rfind("refused", 0) == 0) ++refusals;
  }
  EXPECT_EQ(refusals, 2) << shown.output;  // the analyst's user add, the administrator's show
  const std::string analyst_id = analyst.output.substr(4, 10);
  const CommandRun by_actor =
      Entente("audit show --format json --dir " + Node() + " --token-file " +
                  Path("auditor.token") + " --actor " + analyst_id,
              false);
  ASSERT_EQ(by_actor.exit_code, 0) << by_actor.output;
  EXPECT_EQ(nlohmann::json::parse(by_actor.output).size(), 1u) << by_actor.output;
}

TEST_F(NodeCliTest, BadTokensAndMissingNodes) {
  EXPECT_EQ(Entente("user list --dir " + Node()).exit_code, 3);  // no node
  ASSERT_EQ(Entente("node init --country BE --dir " + Node()).exit_code, 0);
  Write("forged.token", "ent_u-00000000_" + std::string(43, 'A') + "\n");
  const CommandRun forged =
      Entente("user list --dir " + Node() + " --token-file " + Path("forged.token"));
  EXPECT_EQ(forged.exit_code, 4) << forged.output;
  EXPECT_NE(forged.output.find("not valid"), std::string::npos) << forged.output;
  const CommandRun bad_role = AddUser("--agency BE/police --role janitor");
  EXPECT_EQ(bad_role.exit_code, 1);
}

TEST_F(NodeCliTest, OnPostgresql) {
  std::string unused;
  auto url = store::FreshTestStoreLocation(store::TestBackend::kPostgres, &unused);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  const CommandRun init =
      Entente("node init --country MA --dir " + Node() + " --store '" + *url + "'");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find("store            postgresql"), std::string::npos) << init.output;
  EXPECT_FALSE(fs::exists(Node() + "/register.db"));
  const CommandRun added = AddUser("--agency MA/intelligence --role supervisor");
  ASSERT_EQ(added.exit_code, 0) << added.output;
  EXPECT_EQ(Lines(added.output).size(), 1u);
  // --store names the same database explicitly.
  const CommandRun verified = Entente("audit verify --dir " + Node() + " --store '" + *url + "'");
  ASSERT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_NE(verified.output.find("3 entries"), std::string::npos) << verified.output;
}

}  // namespace
}  // namespace entente
