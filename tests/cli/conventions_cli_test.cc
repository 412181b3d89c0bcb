// The command line's conventions, run as a user runs them: every listing honours --format, one
// option name per meaning, errors that name the command-line option, unknown commands and
// options named, usage errors exit 2, the administrator's token is never used silently; and the
// day-to-day commands (subject, search, network, checklist, review --sweep --dry-run, audit show).

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "common/testing.h"

namespace entente {
namespace {

using testing::CommandRun;
using testing::Entente;

class ConventionsCliTest : public testing::CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    node_ = Path("node");
    const CommandRun init = Entente("node init --country BE --dir " + node_);
    ASSERT_EQ(init.exit_code, 0) << init.output;
    Write("people.csv",
          "id,name,birthDate,ownerAgency,handlingCode,plannedRelease,link\n"
          "BE-1,Mohamed El Amrani,1987-03-14,BE/intelligence,H0,,associate:BE-2\n"
          "BE-2,Hélène Lefèvre,1985-07-02,BE/intelligence,H0,,\n"
          "BE-3,Karim Idrissi,1990-01-02,BE/intelligence,H0,2030-01-01,\n");
    const CommandRun imported = Entente("import --dir " + node_ + " " + Path("people.csv") +
                                        " --justification 'loading the national register'");
    ASSERT_EQ(imported.exit_code, 0) << imported.output;
    supervisor_ = AddUser("BE/intelligence", "supervisor");
    auditor_ = AddUser("BE/judicial", "auditor");
  }
  // Adds a user and returns the path of its token file (one per user: "<role>-<n>.token").
  std::string AddUser(const std::string& agency, const std::string& role) {
    const CommandRun run = Entente("user add --dir " + node_ + " --agency " + agency + " --role " +
                                       role + " --tier consult_and_feed",
                                   /*with_stderr=*/false);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    const std::string file = role + "-" + std::to_string(++users_) + ".token";
    Write(file, run.output);
    return Path(file);
  }
  int users_ = 0;
  // `entente ARGS --dir NODE --token-file SUPERVISOR --justification ...`, stdout only.
  CommandRun AsSupervisor(const std::string& args, bool with_stderr = false) {
    return Entente(args + " --dir " + node_ + " --token-file " + supervisor_ +
                       " --justification 'weekly review of the register'",
                   with_stderr);
  }
  std::string node_;
  std::string supervisor_;
  std::string auditor_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(ConventionsCliTest, EveryListingHonoursFormat) {
  // Each listing command: json is an array, csv has a header line, table aligns its columns.
  const std::vector<std::string> listings = {"user list",
                                             "cases",
                                             "notices",
                                             "outbox",
                                             "stats",
                                             "review",
                                             "radar --days 3650",
                                             "audit show",
                                             "partner list",
                                             "hits",
                                             "followups",
                                             "search 'Mohamed El Amrani'",
                                             "network BE-1",
                                             "subject show BE-1"};
  for (const std::string& listing : listings) {
    SCOPED_TRACE(listing);
    const bool admin = listing == "user list" || listing == "outbox" || listing == "partner list";
    auto run = [&](const std::string& format) {
      if (listing == "audit show") {
        return Entente(
            listing + " --dir " + node_ + " --token-file " + auditor_ + " --format " + format,
            false);
      }
      return admin ? Entente(listing + " --dir " + node_ + " --format " + format, false)
                   : AsSupervisor(listing + " --format " + format);
    };
    const CommandRun json = run("json");
    ASSERT_EQ(json.exit_code, 0) << json.output;
    const auto parsed = nlohmann::json::parse(json.output, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << json.output;
    EXPECT_TRUE(parsed.is_array() || listing == "subject show BE-1") << json.output;
    const CommandRun csv = run("csv");
    ASSERT_EQ(csv.exit_code, 0) << csv.output;
    ASSERT_FALSE(csv.output.empty());
    EXPECT_EQ(csv.output.find('\t'), std::string::npos) << csv.output;
    const CommandRun table = run("table");
    ASSERT_EQ(table.exit_code, 0) << table.output;
    EXPECT_EQ(table.output.find('\t'), std::string::npos) << table.output;
    const CommandRun bad = run("xml");
    EXPECT_EQ(bad.exit_code, 2);
  }
}

TEST_F(ConventionsCliTest, TimesAreIso8601WithTheirZone) {
  const CommandRun users = Entente("user list --format json --dir " + node_, false);
  ASSERT_EQ(users.exit_code, 0) << users.output;
  const auto parsed = nlohmann::json::parse(users.output);
  ASSERT_FALSE(parsed.empty());
  const std::string created = parsed[0]["created"];
  ASSERT_EQ(created.size(), 20u) << created;
  EXPECT_EQ(created[4], '-');
  EXPECT_EQ(created[10], 'T');
  EXPECT_EQ(created.back(), 'Z');
}

TEST_F(ConventionsCliTest, TableColumnsAlignByDisplayWidthWithAccentedNames) {
  const CommandRun run = AsSupervisor("search 'Helene Lefevre' --format table --threshold 0.01");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto lines = Lines(run.output);
  ASSERT_GE(lines.size(), 2u) << run.output;
  EXPECT_NE(run.output.find("Hélène Lefèvre"), std::string::npos) << run.output;
  // The owner column, after the accented names, starts at the same character (not byte)
  // column on every row as in the header.
  auto chars_before = [](const std::string& line, size_t byte) {
    size_t chars = 0;
    for (size_t i = 0; i < byte; ++i) chars += (line[i] & 0xC0) != 0x80 ? 1 : 0;
    return chars;
  };
  const size_t header_owner = chars_before(lines[0], lines[0].find("owner"));
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t at = lines[i].find("BE/intelligence");
    ASSERT_NE(at, std::string::npos) << lines[i];
    EXPECT_EQ(chars_before(lines[i], at), header_owner) << lines[i];
  }
}

TEST_F(ConventionsCliTest, UnknownCommandsAndOptionsAreNamed) {
  CommandRun run = Entente("frobnicate --dir " + node_);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("unknown command 'frobnicate'"), std::string::npos) << run.output;
  run = Entente("partner frobnicate --dir " + node_);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("unknown command 'frobnicate' for 'entente partner'"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("add, list, remove"), std::string::npos) << run.output;
  run = Entente("cases --dir " + node_ + " --colour");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.output.find("unknown option '--colour' for 'entente cases'"), std::string::npos)
      << run.output;
}

TEST_F(ConventionsCliTest, UsageErrorsExitTwo) {
  CommandRun run = Entente("decide --release --refuse --request msg-1 --reason x --dir " + node_);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--refuse"), std::string::npos) << run.output;
  run = Entente("decide --request msg-1 --reason x --dir " + node_);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  run = Entente("message --dir " + node_);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  run = Entente("review --dry-run --dir " + node_);
  EXPECT_EQ(run.exit_code, 2) << run.output;
}

TEST_F(ConventionsCliTest, ErrorsNameTheCommandLineOptionNotTheHttpHeader) {
  const CommandRun run = Entente("review --dir " + node_ + " --token-file " + supervisor_);
  EXPECT_EQ(run.exit_code, 4) << run.output;
  EXPECT_NE(run.output.find("--justification"), std::string::npos) << run.output;
  EXPECT_EQ(run.output.find("X-Justification"), std::string::npos) << run.output;
}

TEST_F(ConventionsCliTest, ActingAsTheAdministratorIsSaidOnStderrOnce) {
  CommandRun run = Entente("user list --dir " + node_);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string note = "acting as the node's administrator";
  const size_t first = run.output.find(note);
  ASSERT_NE(first, std::string::npos) << run.output;
  EXPECT_EQ(run.output.find(note, first + 1), std::string::npos) << "said once";
  run = Entente("user list --dir " + node_, /*with_stderr=*/false);
  EXPECT_EQ(run.output.find(note), std::string::npos) << "on stderr, not stdout: " << run.output;
  run = Entente("user list --dir " + node_ + " --token-file " + supervisor_);
  EXPECT_EQ(run.output.find(note), std::string::npos) << run.output;
}

TEST_F(ConventionsCliTest, SubjectsAreShownAddedEditedRestrictedAndErased) {
  Write("new.json",
        R"({"id":"BE-9","schema":"Person","properties":{"name":["Youssef Benali"],)"
        R"("birthDate":["1992-05-06"],"ownerAgency":["BE/intelligence"],"handlingCode":["H0"]}})");
  CommandRun run = AsSupervisor("subject add --file " + Path("new.json"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "BE-9\n");
  run = AsSupervisor("subject edit BE-9 --add 'alias=Abu Youssef' --set birthDate=1992-05-07");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = AsSupervisor("subject show BE-9 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto shown = nlohmann::json::parse(run.output);
  EXPECT_EQ(shown["properties"]["alias"][0], "Abu Youssef");
  EXPECT_EQ(shown["properties"]["birthDate"][0], "1992-05-07");
  EXPECT_EQ(shown["version"], 2);
  // A bad edit names the field and changes nothing.
  run = AsSupervisor("subject edit BE-9 --set birthDate=1992-13-40", true);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("birthDate"), std::string::npos) << run.output;
  run = AsSupervisor("subject edit BE-9 --remove 'alias=Nobody'", true);
  EXPECT_EQ(run.exit_code, 1) << run.output;

  run = AsSupervisor("subject restrict BE-9", true);
  EXPECT_EQ(run.exit_code, 2) << "--reason is required: " << run.output;
  run = AsSupervisor("subject restrict BE-9 --reason 'court order 2026/55'", true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  // Restricted: read by a supervisor of its owner agency only, and marked so.
  run = AsSupervisor("subject show BE-9 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)["state"], "restricted");
  const std::string analyst = AddUser("BE/intelligence", "analyst");
  run = Entente("subject show BE-9 --dir " + node_ + " --token-file " + analyst +
                " --justification 'weekly review of the register'");
  EXPECT_EQ(run.exit_code, 4) << run.output;
  EXPECT_NE(run.output.find("restricted"), std::string::npos) << run.output;
  // Erasure takes two supervisors: one asks, another confirms; the one who asked cannot.
  run = AsSupervisor("subject erase BE-9 --reason 'retention limit passed'", true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("second supervisor"), std::string::npos) << run.output;
  run = AsSupervisor("subject show BE-9 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)["state"], "restricted") << "not erased yet";
  run = AsSupervisor("subject erase BE-9 --reason 'confirming my own request'", true);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("cannot confirm"), std::string::npos) << run.output;
  const std::string second = AddUser("BE/intelligence", "supervisor");
  const std::string as_second = " --dir " + node_ + " --token-file " + second +
                                " --justification 'second supervisor, erasure check'";
  run = Entente("subject erase BE-9 --withdraw --reason 'wrong subject'" + as_second, true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = Entente("subject erase BE-9 --reason 'nothing to confirm: asks anew'" + as_second, true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("requested"), std::string::npos) << run.output;
  run = AsSupervisor("subject erase BE-9 --reason 'confirmed: retention limit passed'", true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("erased"), std::string::npos) << run.output;
  run = AsSupervisor("subject erase BE-9 --reason 'again'", true);
  EXPECT_NE(run.exit_code, 0) << run.output;

  // Each is in the audit log, with its reason.
  run = Entente(
      "audit show --format json --limit 1000 --dir " + node_ + " --token-file " + auditor_, false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("court order 2026/55"), std::string::npos);
  EXPECT_NE(run.output.find("\"erase_subject\""), std::string::npos);
}

// An inspector's questions from the command line: who looked for X, every disclosure of S,
// and the report of a period, as a summary, JSON and CSV files.
TEST_F(ConventionsCliTest, TheAuditAnswersAnInspector) {
  CommandRun run = AsSupervisor("search 'EL AMRANI Mohammed' --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string as_auditor = " --dir " + node_ + " --token-file " + auditor_;
  run = Entente("audit show --subject BE-1 --action screen --format json" + as_auditor, false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto shown = nlohmann::json::parse(run.output);
  ASSERT_EQ(shown.size(), 1U) << run.output;
  EXPECT_EQ(shown[0]["details"]["query"]["name"][0], "EL AMRANI Mohammed");
  run = Entente("audit show --from 2026-13-01" + as_auditor, true);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_NE(run.output.find("--from"), std::string::npos) << run.output;
  run = Entente("audit show --outcome refused --format json" + as_auditor, false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(nlohmann::json::parse(run.output).empty()) << run.output;

  const std::string period = " --from 2000-01-01 --to 2100-01-01";
  run = Entente("audit report" + period + as_auditor + " --csv-dir " + Path("report"), false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("Consultations by user and agency"), std::string::npos) << run.output;
  for (const char* file : {"consultations.csv", "refusals.csv", "transfers.csv", "erasures.csv"}) {
    EXPECT_TRUE(std::filesystem::exists(Path(std::string("report/") + file))) << file;
  }
  run = Entente("audit report --format json" + period + as_auditor, false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto report = nlohmann::json::parse(run.output);
  int64_t screenings = 0;
  for (const auto& row : report["consultations"]) {
    if (row["agency"] == "BE/intelligence") screenings += row["by_action"].value("screen", 0);
  }
  EXPECT_EQ(screenings, 1) << run.output;
  // Not for analysts or supervisors: refused, and the refusal is itself in the report.
  run = AsSupervisor("audit report" + period, true);
  EXPECT_EQ(run.exit_code, 4) << run.output;
  run = Entente("audit report --format json" + period + as_auditor, false);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_FALSE(nlohmann::json::parse(run.output)["refusals"].empty()) << run.output;
  run = Entente("audit report --from 2026-12-02 --to 2026-12-01" + as_auditor, true);
  EXPECT_NE(run.exit_code, 0) << run.output;
}

TEST_F(ConventionsCliTest, SearchFindsANameAloneInAnyOrder) {
  const CommandRun run = AsSupervisor("search 'EL AMRANI Mohammed' --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto hits = nlohmann::json::parse(run.output);
  ASSERT_FALSE(hits.empty()) << run.output;
  EXPECT_EQ(hits[0]["subject_id"], "BE-1");
  const CommandRun none = AsSupervisor("search 'Zbigniew Wojciechowski' --format json");
  ASSERT_EQ(none.exit_code, 0) << none.output;
  EXPECT_EQ(nlohmann::json::parse(none.output).size(), 0u) << none.output;
}

TEST_F(ConventionsCliTest, NetworkListsNeighboursAndPaths) {
  CommandRun run = AsSupervisor("network BE-1 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto nodes = nlohmann::json::parse(run.output);
  ASSERT_EQ(nodes.size(), 2u) << run.output;
  EXPECT_EQ(nodes[1]["id"], "BE-2");
  run = AsSupervisor("network BE-2 --path BE-1 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output).size(), 2u);
  run = AsSupervisor("network BE-1 --path BE-3", true);
  EXPECT_EQ(run.exit_code, 3) << "no path: " << run.output;
}

TEST_F(ConventionsCliTest, RadarWindowAndChecklist) {
  CommandRun run = AsSupervisor("radar --from 2029-12-01 --to 2030-01-31 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto events = nlohmann::json::parse(run.output);
  ASSERT_EQ(events.size(), 1u) << run.output;
  EXPECT_EQ(events[0]["subject_id"], "BE-3");
  EXPECT_EQ(events[0]["tasks"], 0);
  run = AsSupervisor("radar --from 2030-02-01 --to 2030-03-01 --format json");
  EXPECT_EQ(nlohmann::json::parse(run.output).size(), 0u) << run.output;

  run = AsSupervisor("checklist prepare --subject BE-3 --event-date 2030-01-01 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto tasks = nlohmann::json::parse(run.output);
  ASSERT_GE(tasks.size(), 3u) << run.output;
  const int64_t task = tasks[0]["task_id"];
  run = AsSupervisor("checklist set " + std::to_string(task) + " done --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)[0]["status"], "done");
  run = AsSupervisor("checklist set " + std::to_string(task) + " finished", true);
  EXPECT_EQ(run.exit_code, 2) << run.output;
  run = AsSupervisor("radar --from 2029-12-01 --to 2030-01-31 --format json");
  EXPECT_EQ(nlohmann::json::parse(run.output)[0]["tasks"], static_cast<int64_t>(tasks.size()));
}

TEST_F(ConventionsCliTest, RetentionSweepDryRunChangesNothing) {
  Write("old.csv",
        "id,name,birthDate,ownerAgency,handlingCode,retentionDate\n"
        "BE-7,Old Record,1950-01-01,BE/intelligence,H0,2001-01-01\n");
  CommandRun run = Entente("import --dir " + node_ + " " + Path("old.csv") +
                           " --justification 'loading an old register'");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  run = AsSupervisor("review --sweep --dry-run --format json", true);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("BE-7"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("dry run"), std::string::npos) << run.output;
  // Still readable: nothing was restricted.
  run = AsSupervisor("subject show BE-7");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  run = AsSupervisor("review --sweep --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("BE-7"), std::string::npos) << run.output;
  run = AsSupervisor("subject show BE-7 --format json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(nlohmann::json::parse(run.output)["state"], "restricted") << "by the sweep";
}

TEST_F(ConventionsCliTest, AuditShowSaysHowManyMoreEntriesThereAre) {
  const CommandRun run =
      Entente("audit show --limit 2 --format json --dir " + node_ + " --token-file " + auditor_);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const size_t more = run.output.find(" more entries; --after 2 reads on");
  EXPECT_NE(more, std::string::npos) << run.output;
  const CommandRun all = Entente("audit show --limit 100000 --format csv --dir " + node_ +
                                 " --token-file " + auditor_);
  EXPECT_NE(all.output.find("no more"), std::string::npos) << all.output;
}

TEST_F(ConventionsCliTest, HelpGroupsCommandsByRoleWithin100Columns) {
  const CommandRun run = Entente("--help");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* group : {"The register", "Exchange with partners", "Oversight",
                            "The node (administrators)", "Files, matching and demonstration"}) {
    EXPECT_NE(run.output.find(group), std::string::npos) << group;
  }
  for (const std::string& line : Lines(run.output)) {
    size_t chars = 0;
    for (unsigned char c : line) chars += (c & 0xC0) != 0x80 ? 1 : 0;
    EXPECT_LE(chars, 100u) << line;
  }
}

}  // namespace
}  // namespace entente
