#pragma once

// Runs the built entente program as a user does, for the tests in tests/cli (ENTENTE_BIN is
// defined by tests/cli/CMakeLists.txt).

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace entente::testing {

struct CommandRun {
  int exit_code = -1;
  std::string output;  // stdout and stderr, or stdout alone
};

// Runs `command` through the shell; `with_stderr` false keeps stderr out of the output.
inline CommandRun RunShell(const std::string& shell_command, bool with_stderr = true) {
  const std::string command = shell_command + (with_stderr ? " 2>&1" : " 2>/dev/null");
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

// Runs `entente ARGS` through the shell; `with_stderr` false keeps stderr out of the output.
inline CommandRun Entente(const std::string& args, bool with_stderr = true) {
  return RunShell(std::string(ENTENTE_BIN) + " " + args, with_stderr);
}

// A fresh temporary directory per test, removed afterwards.
class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("entente-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& content) const {
    std::ofstream(Path(name), std::ios::binary) << content;
  }
  std::filesystem::path dir_;
};

}  // namespace entente::testing
