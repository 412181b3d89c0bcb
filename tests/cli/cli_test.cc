// The entente program run as a user runs it: exit codes, messages, files left behind.

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "cli_testing.h"
#include "common/testing.h"

namespace entente {
namespace {

namespace fs = std::filesystem;

using testing::CliTest;
using testing::CommandRun;
using testing::Entente;

TEST_F(CliTest, ValidateAcceptsAGoodFile) {
  const CommandRun run =
      Entente("validate " + testing::TestDataPath("model/csv/good_crlf_bom.csv"));
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("3 records, 3 valid, 0 problems"), std::string::npos) << run.output;
}

TEST_F(CliTest, ValidateListsEveryProblemAndFails) {
  const std::string file = testing::TestDataPath("model/csv/bad_rows.csv");
  const CommandRun run = Entente("validate " + file);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find(file + ":8:22: birthDate: day 30 does not exist in February 2019"),
            std::string::npos)
      << run.output;
  EXPECT_NE(run.output.find("9 records, 2 valid, 8 problems"), std::string::npos) << run.output;
}

TEST_F(CliTest, ValidateNamesAMissingFile) {
  const CommandRun run = Entente("validate " + Path("nope.csv"));
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.output.find("nope.csv: no such file"), std::string::npos) << run.output;
}

TEST_F(CliTest, ValidateRefusesAnUnknownExtension) {
  Write("people.xlsx", "x");
  const CommandRun run = Entente("validate " + Path("people.xlsx"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("unknown file type"), std::string::npos) << run.output;
}

TEST_F(CliTest, ConvertRoundTripIsLossless) {
  const std::string input = testing::TestDataPath("model/csv/good_crlf_bom.csv");
  ASSERT_EQ(Entente("convert " + input + " " + Path("a.ndjson")).exit_code, 0);
  ASSERT_EQ(Entente("convert " + Path("a.ndjson") + " " + Path("b.csv")).exit_code, 0);
  ASSERT_EQ(Entente("convert " + Path("b.csv") + " " + Path("c.ndjson")).exit_code, 0);
  EXPECT_EQ(testing::ReadFile(Path("a.ndjson")), testing::ReadFile(Path("c.ndjson")));
  const std::string ndjson = testing::ReadFile(Path("a.ndjson"));
  EXPECT_NE(ndjson.find(R"("notes":["said \"hi\"\r\non two lines"])"), std::string::npos) << ndjson;
}

TEST_F(CliTest, ConvertRefusesBadInputAndWritesNothing) {
  const CommandRun run = Entente("convert " + testing::TestDataPath("model/csv/bad_rows.csv") +
                                 " " + Path("o.ndjson"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.output.find("nothing written"), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(Path("o.ndjson")));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 0);
}

TEST_F(CliTest, ConvertKeepsAnExistingOutputUnlessForced) {
  Write("o.ndjson", "precious\n");
  const std::string input = testing::TestDataPath("model/csv/good_crlf_bom.csv");
  const CommandRun run = Entente("convert " + input + " " + Path("o.ndjson"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(testing::ReadFile(Path("o.ndjson")), "precious\n");
  EXPECT_EQ(Entente("convert --force " + input + " " + Path("o.ndjson")).exit_code, 0);
  EXPECT_NE(testing::ReadFile(Path("o.ndjson")), "precious\n");
}

TEST_F(CliTest, ScreenFindsTheListedPersonAndExplains) {
  Write("watchlist.csv",
        "id,name,birthDate,nationality\n"
        "W1,Mohamed El Amrani,1987-03-14,BE\n"
        "W2,Youssef El Khattabi,1990-01-02,MA\n"
        "W3,Jan Peeters,1975-05-05,BE\n");
  Write("queries.csv",
        "id,name,birthDate,nationality\n"
        "Q1,EL AMRANI Mohammed,1987-03-14,BE\n"
        "Q2,Pierre Dupont,1960-02-02,FR\n");
  const CommandRun run = Entente("screen --watchlist " + Path("watchlist.csv") + " --queries " +
                                 Path("queries.csv") + " --output " + Path("r.csv") + " --explain");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("screened 2 queries against 3 listed records"), std::string::npos)
      << run.output;
  const std::string result = testing::ReadFile(Path("r.csv"));
  EXPECT_EQ(result.rfind("query_id,match_id,score,explanation\n", 0), 0u) << result;
  EXPECT_NE(result.find("Q1,W1,"), std::string::npos) << result;
  EXPECT_NE(result.find("birthDate=exact"), std::string::npos) << result;
  EXPECT_EQ(result.find("Q2,"), std::string::npos) << result;
}

// Two listed namesakes that the query cannot tell apart share its odds; --pairwise scores each
// pair alone. Both ways, plaintext and on encodings (one key for all the runs).
TEST_F(CliTest, ScreenSharesAQuerysOddsBetweenNamesakesUnlessPairwise) {
  Write("watchlist.csv",
        "id,name,birthDate,gender\n"
        "W1,Romain Moreau,1976-04-14,male\n"
        "W2,Romain Moreau,1990-02-02,male\n"
        "W3,Jan Peeters,1975-05-05,male\n");
  Write("queries.csv",
        "id,name,gender\n"
        "Q1,MOREAU Romain,male\n");
  // A fixed key: with a random one, the two birth dates' encodings overlap by chance now and
  // then (one run in 31 here), and the pair W1/W2 then looks like one person.
  Write("key.json", R"({"version": 1, "secret": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="})");
  // The score of each pair of one run.
  auto scores = [&](const std::string& extra) {
    const CommandRun run = Entente("screen --watchlist " + Path("watchlist.csv") + " --queries " +
                                   Path("queries.csv") + " --output " + Path("r.csv") +
                                   " --threshold 0.0001 " + extra);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    std::map<std::string, double> out;
    std::istringstream lines(testing::ReadFile(Path("r.csv")));
    std::string line;
    std::getline(lines, line);  // header
    while (std::getline(lines, line)) {
      const size_t second = line.find(',', line.find(',') + 1);
      out[line.substr(0, second)] = std::stod(line.substr(second + 1));
    }
    return out;
  };
  for (const std::string& mode : {std::string(), "--encoded --key " + Path("key.json")}) {
    auto shared = scores(mode);
    auto alone = scores(mode + " --pairwise");
    ASSERT_TRUE(shared.contains("Q1,W1") && shared.contains("Q1,W2")) << mode;
    ASSERT_TRUE(alone.contains("Q1,W1")) << mode;
    EXPECT_LT(shared["Q1,W1"], alone["Q1,W1"]) << mode;
    EXPECT_NEAR(shared["Q1,W2"], shared["Q1,W1"], 1e-4) << mode << ": nothing tells them apart";
  }
  scores("--explain");
  EXPECT_NE(testing::ReadFile(Path("r.csv")).find(" others-"), std::string::npos);
}

TEST_F(CliTest, ScreeningAFileAgainstItselfSkipsSelfPairs) {
  Write("people.csv",
        "id,name,birthDate\n"
        "P1,Mohamed El Amrani,1987-03-14\n"
        "P2,EL AMRANI Mohammed,1987-03-14\n"
        "P3,Jan Peeters,1975-05-05\n");
  const CommandRun run = Entente("screen --watchlist " + Path("people.csv") + " --queries " +
                                 Path("people.csv") + " --output " + Path("r.csv"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string result = testing::ReadFile(Path("r.csv"));
  EXPECT_NE(result.find("P1,P2,"), std::string::npos) << result;
  EXPECT_NE(result.find("P2,P1,"), std::string::npos) << result;
  EXPECT_EQ(result.find("P1,P1,"), std::string::npos) << result;
  EXPECT_EQ(result.find("P3,P3,"), std::string::npos) << result;
}

TEST_F(CliTest, ScreenReportsABadRowAndGoesOnUnlessStrict) {
  Write("watchlist.csv", "id,name\nW1,Karim Benali\n");
  Write("q2.csv", "id,name,birthDate\nQ1,Karim Benali,1990\nQ2,Bad Row\nQ3,Karim Benali,1990\n");
  const CommandRun lenient = Entente("screen --watchlist " + Path("watchlist.csv") + " --queries " +
                                     Path("q2.csv") + " --output " + Path("r.csv"));
  EXPECT_EQ(lenient.exit_code, 0) << lenient.output;
  EXPECT_NE(lenient.output.find("q2.csv:3: expected 3 fields, got 2; row skipped"),
            std::string::npos)
      << lenient.output;
  const CommandRun strict = Entente("screen --strict --watchlist " + Path("watchlist.csv") +
                                    " --queries " + Path("q2.csv") + " --output " + Path("s.csv"));
  EXPECT_EQ(strict.exit_code, 1) << strict.output;
  EXPECT_FALSE(fs::exists(Path("s.csv")));
}

TEST_F(CliTest, CompareScoresPairs) {
  Write("pairs.csv",
        "name1,name2,birthDate1,birthDate2\n"
        "Mohamed El Amrani,EL AMRANI Mohammed,1987-03-14,1987-03-14\n"
        "Karim Benali,Khalid Benzema,1990-01-01,1975-06-06\n");
  const CommandRun run =
      Entente("compare --pairs " + Path("pairs.csv") + " --output " + Path("out.csv"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string out = testing::ReadFile(Path("out.csv"));
  EXPECT_NE(out.find("name1,name2,birthDate1,birthDate2,score,explanation"), std::string::npos);
  EXPECT_NE(out.find("1987-03-14,1.0000,"), std::string::npos) << out;
  EXPECT_NE(out.find("1975-06-06,0.0"), std::string::npos) << out;
  EXPECT_NE(run.output.find("prior: 0.001"), std::string::npos) << run.output;
}

// A weak resemblance alone does not score high under the stated prior; a rare exact name does;
// --prior changes it and the explanation shows it.
TEST_F(CliTest, CompareStatesItsPrior) {
  Write("pairs.csv",
        "name1,name2\n"
        "Angelo Mercaz,Angela Merkel\n"
        "Paul Murphy,Pol Pot\n"
        "Mohamed El Amrani,EL AMRANI Mohammed\n");
  ASSERT_EQ(
      Entente("compare --pairs " + Path("pairs.csv") + " --output " + Path("a.csv")).exit_code, 0);
  const auto rows = testing::ReadFile(Path("a.csv"));
  auto score = [&](const std::string& text, const std::string& name) {
    const size_t at = text.find(name);
    EXPECT_NE(at, std::string::npos) << name;
    const size_t comma = text.find(',', text.find(',', at) + 1);
    return std::stod(text.substr(comma + 1, 6));
  };
  EXPECT_LT(score(rows, "Angelo Mercaz"), 0.1) << rows;
  EXPECT_LT(score(rows, "Paul Murphy"), 0.01) << rows;
  EXPECT_NE(rows.find("name=different"), std::string::npos) << rows;
  EXPECT_GT(score(rows, "Mohamed El Amrani"), 0.9) << rows;
  EXPECT_NE(rows.find("prior-10.0"), std::string::npos) << rows;
  const CommandRun even =
      Entente("compare --prior 0.5 --pairs " + Path("pairs.csv") + " --output " + Path("b.csv"));
  ASSERT_EQ(even.exit_code, 0) << even.output;
  EXPECT_GT(score(testing::ReadFile(Path("b.csv")), "Angelo Mercaz"), 0.5);
  EXPECT_EQ(Entente("compare --prior 2 --pairs " + Path("pairs.csv") + " --output " + Path("c.csv"))
                .exit_code,
            2);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  const CommandRun missing = Entente("validate");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("files is required"), std::string::npos) << missing.output;
  EXPECT_EQ(Entente("no-such-command").exit_code, 2);
  EXPECT_EQ(Entente("--help").exit_code, 0);
}

}  // namespace
}  // namespace entente
