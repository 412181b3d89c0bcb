#pragma once

// `entente serve` as a child process, for the tests that need a real node (tests/cli,
// tests/hostile). ENTENTE_BIN names the program.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace entente::testing {

// Started with `entente serve ARGS...`, its stdout and stderr in `log`; SIGKILLed at the end if
// still running.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args, const std::string& log) : log_(log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<std::string> all = {ENTENTE_BIN, "serve"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    spawned_ = posix_spawn(&pid_, ENTENTE_BIN, &actions, nullptr, argv.data(), environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ServeProcess() {
    if (spawned_ && pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  // The API's port once the server says it listens (within 60 s), else 0.
  int WaitForPort() { return WaitFor("serving http"); }
  // The federation endpoint's port, once said (call after WaitForPort), else 0.
  int FederationPort() { return WaitFor("federation endpoint (mutual TLS) on port "); }

  // The exit code once the process has ended (within `seconds`), -1 if it has not, -2 if it
  // died of a signal.
  int WaitExit(int seconds) {
    for (int i = 0; i < seconds * 10 && pid_ > 0; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -1;
  }
  // SIGTERM, then the exit code (-1 if it did not exit within 10 s).
  int Stop() {
    if (pid_ > 0) kill(pid_, SIGTERM);
    return WaitExit(10);
  }
  bool Alive() const { return pid_ > 0 && kill(pid_, 0) == 0 && !Zombie(); }
  pid_t pid() const { return pid_; }
  // Resident memory in MiB (VmRSS), 0 when unknown.
  double RssMib() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("VmRSS:", 0) == 0) return std::atof(line.c_str() + 6) / 1024;
    }
    return 0;
  }
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  bool Zombie() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
    std::string pid, name, state;
    in >> pid >> name >> state;
    return state == "Z";
  }
  int WaitFor(const std::string& marker) {
    for (int i = 0; i < 600 && spawned_; ++i) {
      const std::string text = Log();
      const size_t at = text.find(marker);
      if (at != std::string::npos) {
        size_t digits = at + marker.size();
        if (marker.back() != ' ') digits = text.find(':', text.find("//", at) + 2) + 1;
        return std::atoi(text.c_str() + digits);
      }
      if (pid_ <= 0) return 0;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }

  std::string log_;
  pid_t pid_ = -1;
  bool spawned_ = false;
};

}  // namespace entente::testing
