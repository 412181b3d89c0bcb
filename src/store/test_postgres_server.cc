#include "store/test_postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "store/sql_connection.h"

namespace entente::store {
namespace {

constexpr std::string_view kUrlVariable = "ENTENTE_TEST_POSTGRES_URL";

struct RunAs {
  uid_t uid;
  gid_t gid;
};

// The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres, or "".
std::string FindBinDir() {
  glob_t found{};
  std::string best;
  int best_version = -1;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &found) == 0) {
    for (size_t i = 0; i < found.gl_pathc; ++i) {
      const std::filesystem::path initdb(found.gl_pathv[i]);
      const std::filesystem::path bin = initdb.parent_path();
      if (!std::filesystem::exists(bin / "postgres")) continue;
      const int version = std::atoi(bin.parent_path().filename().c_str());
      if (version > best_version) {
        best_version = version;
        best = bin.string();
      }
    }
  }
  globfree(&found);
  return best;
}

Result<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return IoError("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  auto* generic = reinterpret_cast<sockaddr*>(&address);
  if (bind(fd, generic, sizeof(address)) != 0 || getsockname(fd, generic, &length) != 0) {
    close(fd);
    return IoError("cannot find a free loopback port");
  }
  close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

// Forks and execs argv with stdout and stderr appended to `log`, as `run_as` if set.
Result<pid_t> Spawn(const std::vector<std::string>& argv, const std::string& log,
                    std::optional<RunAs> run_as, bool die_with_parent) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return IoError("fork failed");
  if (pid == 0) {
    // Only async-signal-safe calls from here to exec.
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
    if (run_as.has_value()) {
      if (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 || setuid(run_as->uid) != 0) {
        _exit(126);
      }
    }
    // Set after setuid, which clears it: the server goes when the test process goes.
    if (die_with_parent) prctl(PR_SET_PDEATHSIG, SIGKILL);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

std::string LogTail(const std::string& log) {
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  if (all.size() > 2000) all = "..." + all.substr(all.size() - 2000);
  return all;
}

// The URL of database `name` on the server of `url`.
std::string WithDatabase(const std::string& url, const std::string& name) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) {
    const size_t query = url.find('?');
    if (query == std::string::npos) return url + "/" + name;
    return url.substr(0, query) + "/" + name + url.substr(query);
  }
  const size_t query = url.find('?', path);
  return url.substr(0, path + 1) + name + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

Result<std::unique_ptr<TestPostgresServer>> TestPostgresServer::Start(const Options& options) {
  std::unique_ptr<TestPostgresServer> server(new TestPostgresServer());
  if (const char* url = std::getenv(std::string(kUrlVariable).c_str());
      url != nullptr && *url != '\0') {
    server->admin_url_ = url;
    return server;
  }
  const std::string bin = FindBinDir();
  if (bin.empty()) {
    return FailedPrecondition(
        "PostgreSQL server binaries not found (looked for /usr/lib/postgresql/*/bin/initdb and "
        "postgres): install Debian's postgresql package (bash scripts/install-deps.sh), or set " +
        std::string(kUrlVariable) + " to a server on which the tests may create databases");
  }
  std::optional<RunAs> run_as;
  if (geteuid() == 0) {
    // initdb and postgres refuse to run as root.
    const passwd* user = getpwnam("postgres");
    if (user == nullptr) {
      return FailedPrecondition(
          "running as root, and there is no `postgres` user to run PostgreSQL as (Debian's "
          "postgresql package creates it)");
    }
    run_as = RunAs{user->pw_uid, user->pw_gid};
  }
  char dir_template[] = "/tmp/entente-pg-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return IoError("cannot create a temporary directory");
  server->dir_ = dir_template;
  if (run_as.has_value() && chown(dir_template, run_as->uid, run_as->gid) != 0) {
    return IoError("cannot hand " + server->dir_ + " to the postgres user");
  }
  const std::string data = server->dir_ + "/data";
  const std::string log = server->dir_ + "/server.log";

  ENTENTE_ASSIGN_OR_RETURN(
      pid_t initdb, Spawn({bin + "/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                           "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                          log, run_as, false));
  int wait_status = 0;
  waitpid(initdb, &wait_status, 0);
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    return IoError("initdb failed in " + server->dir_ + ":\n" + LogTail(log));
  }

  ENTENTE_ASSIGN_OR_RETURN(int port, FreeLoopbackPort());
  std::vector<std::string> argv = {bin + "/postgres",
                                   "-D",
                                   data,
                                   "-k",
                                   server->dir_,
                                   "-h",
                                   "127.0.0.1",
                                   "-p",
                                   std::to_string(port),
                                   "-c",
                                   "max_connections=200"};
  if (!options.fsync) {
    argv.insert(argv.end(),
                {"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"});
  }
  ENTENTE_ASSIGN_OR_RETURN(server->pid_, Spawn(argv, log, run_as, true));
  server->admin_url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres";

  const std::string ping = "host=127.0.0.1 port=" + std::to_string(port) +
                           " user=postgres dbname=postgres connect_timeout=2";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (PQping(ping.c_str()) != PQPING_OK) {
    if (waitpid(server->pid_, &wait_status, WNOHANG) == server->pid_) {
      server->pid_ = -1;
      return IoError("postgres exited at start:\n" + LogTail(log));
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return IoError("postgres did not accept connections within 30 s:\n" + LogTail(log));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return server;
}

TestPostgresServer::~TestPostgresServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);  // fast shutdown
    int wait_status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (waitpid(pid_, &wait_status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &wait_status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  } else if (!created_.empty()) {
    if (auto admin = OpenPostgresConnection(admin_url_); admin.ok()) {
      for (const std::string& name : created_) {
        (void)(*admin)->Execute("DROP DATABASE IF EXISTS " + name);
      }
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

Result<std::string> TestPostgresServer::CreateDatabase() {
  ENTENTE_ASSIGN_OR_RETURN(std::unique_ptr<SqlConnection> admin,
                           OpenPostgresConnection(admin_url_));
  const std::string name =
      "entente_test_" + std::to_string(getpid()) + "_" + std::to_string(++next_database_);
  ENTENTE_RETURN_IF_ERROR(admin->Execute("DROP DATABASE IF EXISTS " + name));
  ENTENTE_RETURN_IF_ERROR(admin->Execute("CREATE DATABASE " + name));
  if (pid_ <= 0) created_.push_back(name);
  return WithDatabase(admin_url_, name);
}

}  // namespace entente::store
