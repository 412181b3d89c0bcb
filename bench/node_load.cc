// A running node under load, from outside (the hardening issue's figures): `entente serve` is a
// separate process, reached over loopback as a client would reach it.
//
//   node_load --port P --token-file T --queries Q.csv --register R.csv
//             [--mix screen|mixed] [--clients 64] [--seconds 10] [--pid PID]
//             [--tls-ca CERT.pem]
//     64 clients in a closed loop: `screen` sends POST /api/v1/screen only; `mixed` sends, per
//     ten requests, six screenings, three reads of a subject (GET /api/v1/subjects/{id}) and one
//     creation (POST /api/v1/subjects). Prints requests/s, p50, p99, errors, and the server's
//     resident memory before and after (from /proc/PID/status).
//
//   node_load --port P --slow N [--seconds 20]
//     N connections that never finish their header (renewed when the server closes them) while
//     GET /healthz is probed every 250 ms on a new connection: probes answered, latency p50/max.
//
//   node_load --port P --big-body MIB --token-file T [--pid PID]
//     One POST /api/v1/screen announcing a MIB-mebibyte body, sent at full speed: the status and
//     how long until the answer, and the server's memory before and after.
//
// Plain HTTP unless --tls-ca is given (the node's certificate, pinned).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/client.h"
#include "model/entity_format.h"
#include "model/entity_json.h"

namespace {

using namespace entente;  // NOLINT(google-build-using-namespace): a benchmark's main file
using Steady = std::chrono::steady_clock;

double Seconds(Steady::time_point since) {
  return std::chrono::duration<double>(Steady::now() - since).count();
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Resident memory of a process, in MiB (VmRSS, or VmHWM for the peak); 0 when unknown.
double MemoryMib(int pid, const char* field) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::strlen(field) + 1)) / 1024;
  }
  return 0;
}

std::vector<model::Entity> ReadEntities(const std::string& path, size_t at_most) {
  std::vector<model::Entity> out;
  std::ifstream in(path);
  auto reader = model::MakeEntityReader(model::EntityFormat::kCsv, in, path);
  model::Record record;
  model::Problems problems;
  while (out.size() < at_most) {
    const model::ReadOutcome outcome = reader->Next(&record, &problems);
    if (outcome == model::ReadOutcome::kEnd || outcome == model::ReadOutcome::kFatal) break;
    if (outcome == model::ReadOutcome::kRecord) out.push_back(record.entity);
  }
  return out;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

int RawConnect(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

struct Options {
  int port = 0;
  std::string tls_ca;
  std::string token_file;
  std::string queries;
  std::string register_file;
  std::string mix = "screen";
  int clients = 64;
  double seconds = 10;
  int pid = 0;
  int slow = 0;
  int big_body_mib = 0;
};

http::ClientOptions ClientOptionsOf(const Options& o) {
  http::ClientOptions c;
  c.port = o.port;
  c.io_timeout = std::chrono::milliseconds(60000);
  if (!o.tls_ca.empty()) {
    c.tls = true;
    c.trust_pem = ReadText(o.tls_ca);
  }
  return c;
}

int RunLoad(const Options& o) {
  const std::string token = Trim(ReadText(o.token_file));
  const std::vector<model::Entity> queries = ReadEntities(o.queries, 20000);
  const std::vector<model::Entity> listed = ReadEntities(o.register_file, 20000);
  if (queries.empty() || listed.empty()) {
    std::fprintf(stderr, "node_load: no queries or no register records read\n");
    return 2;
  }
  std::vector<std::string> screen_bodies;
  for (const auto& q : queries) {
    screen_bodies.push_back(nlohmann::json({{"query", model::EntityToJson(q)}}).dump());
  }
  std::string owner = "BE/police";
  for (const auto& [name, values] : listed.front().properties) {
    if (name == "ownerAgency" && !values.empty()) owner = values.front();
  }
  const std::vector<http::Header> headers = {
      {"Authorization", "Bearer " + token},
      {"X-Justification", "load test of the node (synthetic data only)"}};
  const double rss_before = MemoryMib(o.pid, "VmRSS:");
  std::atomic<bool> stop{false};
  std::atomic<int64_t> errors{0};
  std::atomic<int64_t> created{0};
  std::vector<std::vector<double>> latencies(static_cast<size_t>(o.clients));
  std::vector<std::thread> threads;
  const auto start = Steady::now();
  for (int c = 0; c < o.clients; ++c) {
    threads.emplace_back([&, c] {
      http::Client client(ClientOptionsOf(o));
      size_t n = static_cast<size_t>(c) * 7919;
      while (!stop.load()) {
        const size_t kind = o.mix == "mixed" ? n % 10 : 0;
        const auto t0 = Steady::now();
        Result<http::Response> answer = IoError("not sent");
        int expected = 200;
        if (kind < 6) {
          answer = client.Post("/api/v1/screen", screen_bodies[n % screen_bodies.size()], headers);
        } else if (kind < 9) {
          answer = client.Get("/api/v1/subjects/" + listed[n % listed.size()].id, headers);
        } else {
          const int64_t serial = created++;
          std::string letters;  // the serial in letters: names hold no digits
          for (int64_t v = serial; letters.empty() || v > 0; v /= 26) {
            letters += static_cast<char>('a' + v % 26);
          }
          nlohmann::json entity = {
              {"id", "LOAD" + std::to_string(c) + "-" + std::to_string(serial)},
              {"schema", "Person"},
              {"properties",
               {{"name", {"Loadtest B" + letters}},
                {"birthDate", {"1990-01-01"}},
                {"ownerAgency", {owner}}}}};
          answer = client.Post("/api/v1/subjects", entity.dump(), headers);
          expected = 201;
        }
        latencies[static_cast<size_t>(c)].push_back(Seconds(t0));
        if (!answer.ok() || answer->status != expected) {
          if (errors++ < 3) {
            std::fprintf(
                stderr, "error: %s\n",
                answer.ok()
                    ? (std::to_string(answer->status) + " " + answer->body.substr(0, 200)).c_str()
                    : answer.status().ToString().c_str());
          }
        }
        ++n;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double elapsed = Seconds(start);
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  std::printf(
      "%s, %d clients, %.1f s: %zu requests (%.0f/s), p50 %.1f ms, p99 %.1f ms, max %.1f ms, "
      "%lld errors; server RSS %.0f MiB before, %.0f MiB after (peak %.0f MiB)\n",
      o.mix.c_str(), o.clients, elapsed, all.size(), static_cast<double>(all.size()) / elapsed,
      Percentile(all, 0.5) * 1e3, Percentile(all, 0.99) * 1e3, all.empty() ? 0 : all.back() * 1e3,
      static_cast<long long>(errors.load()), rss_before, MemoryMib(o.pid, "VmRSS:"),
      MemoryMib(o.pid, "VmHWM:"));
  return errors.load() == 0 ? 0 : 1;
}

int RunSlow(const Options& o) {
  std::vector<int> slow(static_cast<size_t>(o.slow), -1);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> renewed{0};
  // Keeps N connections open that never finish their header, reopening any the server closes.
  std::thread holder([&] {
    while (!stop.load()) {
      for (int& fd : slow) {
        if (fd >= 0) {
          pollfd p{fd, POLLIN, 0};
          char byte;
          if (poll(&p, 1, 0) > 0 && recv(fd, &byte, 1, MSG_DONTWAIT) <= 0) {
            close(fd);
            fd = -1;
            ++renewed;
          }
        }
        if (fd < 0) {
          fd = RawConnect(o.port);
          if (fd >= 0) {
            const char* partial = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ";
            (void)send(fd, partial, std::strlen(partial), MSG_NOSIGNAL);
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::vector<double> latencies;
  int probes = 0;
  int failed = 0;
  const auto start = Steady::now();
  while (Seconds(start) < o.seconds) {
    ++probes;
    http::ClientOptions options = ClientOptionsOf(o);
    options.connect_timeout = std::chrono::milliseconds(5000);
    options.io_timeout = std::chrono::milliseconds(5000);
    http::Client probe(options);
    const auto t0 = Steady::now();
    auto answer = probe.Get("/healthz");
    if (answer.ok() && answer->status == 200) {
      latencies.push_back(Seconds(t0));
    } else {
      ++failed;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  stop = true;
  holder.join();
  for (int fd : slow) {
    if (fd >= 0) close(fd);
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf(
      "%d connections that never finish their header (%lld renewed after the server closed "
      "them): %d /healthz probes, %d failed; answered in p50 %.1f ms, max %.1f ms\n",
      o.slow, static_cast<long long>(renewed.load()), probes, failed,
      Percentile(latencies, 0.5) * 1e3, latencies.empty() ? 0 : latencies.back() * 1e3);
  return failed == 0 ? 0 : 1;
}

int RunBigBody(const Options& o) {
  const std::string token = Trim(ReadText(o.token_file));
  const double rss_before = MemoryMib(o.pid, "VmRSS:");
  const int fd = RawConnect(o.port);
  if (fd < 0) return 2;
  const size_t bytes = static_cast<size_t>(o.big_body_mib) << 20;
  const std::string head = "POST /api/v1/screen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           token +
                           "\r\nX-Justification: load test of the node (synthetic data)\r\n"
                           "Content-Type: application/json\r\nContent-Length: " +
                           std::to_string(bytes) + "\r\n\r\n";
  const auto start = Steady::now();
  (void)send(fd, head.data(), head.size(), MSG_NOSIGNAL);
  // A body of nested arrays, the costliest shape to parse.
  std::string chunk(1 << 16, '[');
  size_t sent = 0;
  std::string answer;
  while (sent < bytes && Seconds(start) < 30) {
    pollfd p{fd, POLLIN | POLLOUT, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    if (p.revents & POLLIN) {
      char buffer[4096];
      const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
      if (got > 0) answer.append(buffer, static_cast<size_t>(got));
      if (got <= 0 || answer.find("\r\n\r\n") != std::string::npos) break;
    }
    if (p.revents & POLLOUT) {
      const ssize_t put =
          send(fd, chunk.data(), std::min(chunk.size(), bytes - sent), MSG_NOSIGNAL);
      if (put <= 0) break;
      sent += static_cast<size_t>(put);
    }
  }
  while (answer.find("\r\n\r\n") == std::string::npos && Seconds(start) < 60) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 1000) <= 0) continue;
    char buffer[4096];
    const ssize_t got = recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    answer.append(buffer, static_cast<size_t>(got));
  }
  const double seconds = Seconds(start);
  close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::printf(
      "a %d MiB body: answer \"%s\" after %.2f s, %.1f MiB sent; server RSS %.0f MiB before, "
      "%.0f MiB after (peak %.0f MiB)\n",
      o.big_body_mib, answer.substr(0, answer.find("\r\n")).c_str(), seconds,
      static_cast<double>(sent) / (1 << 20), rss_before, MemoryMib(o.pid, "VmRSS:"),
      MemoryMib(o.pid, "VmHWM:"));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port") o.port = std::stoi(value);
    if (flag == "--tls-ca") o.tls_ca = value;
    if (flag == "--token-file") o.token_file = value;
    if (flag == "--queries") o.queries = value;
    if (flag == "--register") o.register_file = value;
    if (flag == "--mix") o.mix = value;
    if (flag == "--clients") o.clients = std::stoi(value);
    if (flag == "--seconds") o.seconds = std::stod(value);
    if (flag == "--pid") o.pid = std::stoi(value);
    if (flag == "--slow") o.slow = std::stoi(value);
    if (flag == "--big-body") o.big_body_mib = std::stoi(value);
  }
  if (o.port == 0) {
    std::fprintf(stderr, "usage: see the comment at the top of bench/node_load.cc\n");
    return 2;
  }
  if (o.slow > 0) return RunSlow(o);
  if (o.big_body_mib > 0) return RunBigBody(o);
  return RunLoad(o);
}
