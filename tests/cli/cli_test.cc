// The entente program run as a user runs it: exit codes, messages, files left behind.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "common/testing.h"

namespace entente {
namespace {

namespace fs = std::filesystem;

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandRun Entente(const std::string& args) {
  const std::string command = std::string(ENTENTE_BIN) + " " + args + " 2>&1";
  CommandRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("entente-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& content) const {
    std::ofstream(Path(name), std::ios::binary) << content;
  }
  fs::path dir_;
};

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

TEST_F(CliTest, UsageErrorsExitTwo) {
  const CommandRun missing = Entente("validate");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("files is required"), std::string::npos) << missing.output;
  EXPECT_EQ(Entente("no-such-command").exit_code, 2);
  EXPECT_EQ(Entente("--help").exit_code, 0);
}

}  // namespace
}  // namespace entente
