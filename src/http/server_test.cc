#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/client.h"
#include "http/testing.h"

namespace entente::http {
namespace {

using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

std::string DataFile(const std::string& name) {
  return std::string(ENTENTE_TEST_DATA_DIR) + "/http/" + name;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

using Raw = testing::RawConnection;
using testing::StatusLine;

// A server with three routes: GET /ping (answered at once), POST /echo (admitted, body echoed,
// 64 bytes at most), POST /closed (refused by admit), GET /slow (sleeps), GET /throw.
class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    auto server = Server::Create(std::move(options), [this](const Request& head) {
      Route route;
      if (head.path == "/ping" && head.method == "GET") {
        Response pong;
        pong.body = "{\"pong\":true}";
        route.answer = pong;
      } else if (head.path == "/echo" && head.method == "POST") {
        route.body_limit = 64;
        route.admit = [this](const Request&) -> std::optional<Response> {
          ++admitted_;
          return std::nullopt;
        };
        route.handle = [this](Request& request) {
          ++handled_;
          Response response;
          response.content_type = "text/plain";
          response.body = request.body;
          return response;
        };
      } else if (head.path == "/closed" && head.method == "POST") {
        route.body_limit = 1 << 20;
        route.admit = [this](const Request&) -> std::optional<Response> {
          ++admitted_;
          Response refusal;
          refusal.status = 403;
          refusal.body = "{}";
          return refusal;
        };
        route.handle = [this](Request&) {
          ++handled_;
          return Response();
        };
      } else if (head.path == "/slow") {
        route.handle = [](Request&) {
          std::this_thread::sleep_for(milliseconds(300));
          return Response();
        };
      } else if (head.path == "/throw") {
        route.handle = [](Request&) -> Response { throw std::runtime_error("boom"); };
      } else if (head.path == "/peer") {
        route.handle = [](Request& request) {
          Response response;
          response.body = std::to_string(request.peer_certificate_der.size());
          return response;
        };
      } else {
        Response missing;
        missing.status = 404;
        route.answer = missing;
      }
      return route;
    });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
  }

  // GET /ping on a new connection: how long the answer took, or -1 without one.
  double PingSeconds(milliseconds timeout = milliseconds(5000)) {
    const auto start = Steady::now();
    Raw raw(server_->port());
    if (!raw.connected()) return -1;
    raw.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string answer = raw.ReadResponse(timeout);
    if (StatusLine(answer) != "HTTP/1.1 200 OK") return -1;
    return std::chrono::duration<double>(Steady::now() - start).count();
  }

  std::unique_ptr<Server> server_;
  std::atomic<int> admitted_{0};
  std::atomic<int> handled_{0};
};

TEST_F(ServerTest, ServesRoutesOnAKeptAliveConnectionWithARequestId) {
  StartServer();
  Raw raw(server_->port());
  ASSERT_TRUE(raw.connected());
  raw.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string first = raw.ReadResponse(milliseconds(2000));
  EXPECT_EQ(StatusLine(first), "HTTP/1.1 200 OK");
  EXPECT_NE(first.find("X-Request-Id: "), std::string::npos);
  EXPECT_NE(first.find("{\"pong\":true}"), std::string::npos);
  raw.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  std::string second = raw.ReadResponse(milliseconds(2000));
  EXPECT_EQ(StatusLine(second), "HTTP/1.1 200 OK");
  EXPECT_NE(second.find("\r\n\r\nhello"), std::string::npos);
  EXPECT_EQ(handled_, 1);
}

TEST_F(ServerTest, TooManyHeaderFieldsAre431AndTheConnectionCloses) {
  ServerOptions options;
  options.max_header_fields = 20;
  StartServer(options);
  Raw raw(server_->port());
  std::string request = "GET /ping HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 21; ++i) request += "X-A" + std::to_string(i) + ": 1\r\n";
  raw.Send(request + "\r\n");
  bool closed = false;
  const std::string answer = raw.ReadUntilClosed(milliseconds(3000), &closed);
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, AnEndlessHeaderIsCutOffAtTheByteLimit) {
  StartServer();  // 16 KiB
  Raw raw(server_->port());
  raw.Send("GET /ping HTTP/1.1\r\nHost: x\r\n");
  // Three million header lines would be 160 MB; the server stops reading at 16 KiB.
  std::string lines;
  for (int i = 0; i < 2000; ++i) lines += "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  raw.Send(lines);  // may fail part-way once the server has answered and closed
  bool closed = false;
  const std::string answer = raw.ReadUntilClosed(milliseconds(3000), &closed);
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 431 Request Header Fields Too Large");
  EXPECT_TRUE(closed);
}

TEST_F(ServerTest, ADeclaredBodyOverTheRouteLimitIsRefusedBeforeAdmission) {
  StartServer();
  Raw raw(server_->port());
  raw.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n");
  const std::string answer = raw.ReadResponse(milliseconds(3000));
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 413 Payload Too Large");
  EXPECT_EQ(admitted_, 0);
  EXPECT_EQ(handled_, 0);
}

TEST_F(ServerTest, AChunkedBodyOverTheLimitIsCutOff) {
  StartServer();
  Raw raw(server_->port());
  std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 10; ++i) request += "20\r\n" + std::string(32, 'a') + "\r\n";
  request += "0\r\n\r\n";
  raw.Send(request);
  const std::string answer = raw.ReadResponse(milliseconds(3000));
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 413 Payload Too Large");
  EXPECT_EQ(handled_, 0);
}

TEST_F(ServerTest, ARefusedCallerNeverHasItsBodyRead) {
  StartServer();
  Raw raw(server_->port());
  raw.Send("POST /closed HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  bool closed = false;
  const std::string answer = raw.ReadUntilClosed(milliseconds(5000), &closed);
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 403 Forbidden");
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(closed);
  EXPECT_EQ(admitted_, 1);
  EXPECT_EQ(handled_, 0);
}

TEST_F(ServerTest, AnExceptionIsA500CarryingTheRequestId) {
  StartServer();
  Raw raw(server_->port());
  raw.Send("GET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  const std::string answer = raw.ReadResponse(milliseconds(3000));
  EXPECT_EQ(StatusLine(answer), "HTTP/1.1 500 Internal Server Error");
  const size_t at = answer.find("X-Request-Id: ");
  ASSERT_NE(at, std::string::npos);
  const std::string id = answer.substr(at + 14, answer.find("\r\n", at) - at - 14);
  EXPECT_NE(answer.find("quote request id " + id), std::string::npos);
  EXPECT_EQ(answer.find("INVALID_ARGUMENT"), std::string::npos);
}

TEST_F(ServerTest, MalformedRequestsAre400) {
  StartServer();
  for (const std::string& bad : {std::string("NOT HTTP AT ALL\r\n\r\n"),
                                 std::string("GET /ping HTTP/1.1\r\nBad Header\r\n\r\n"),
                                 std::string("POST /echo HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    Raw raw(server_->port());
    raw.Send(bad);
    const std::string answer = raw.ReadUntilClosed(milliseconds(3000));
    EXPECT_EQ(StatusLine(answer), "HTTP/1.1 400 Bad Request") << bad;
  }
}

TEST_F(ServerTest, SlowClientsDoNotStarveOthers) {
  StartServer();
  std::vector<std::unique_ptr<Raw>> slow;
  for (int i = 0; i < 200; ++i) {
    slow.push_back(std::make_unique<Raw>(server_->port()));
    ASSERT_TRUE(slow.back()->connected());
    slow.back()->Send("GET /ping HTTP/1.1\r\nX-Never: ");  // and never finishes
  }
  for (int probe = 0; probe < 5; ++probe) {
    const double seconds = PingSeconds();
    EXPECT_GE(seconds, 0) << "probe " << probe << " got no answer";
    EXPECT_LT(seconds, 2.0) << "probe " << probe;
  }
}

TEST_F(ServerTest, AClientThatNeverFinishesItsHeaderIsClosedAtTheTimeout) {
  ServerOptions options;
  options.header_timeout = milliseconds(300);
  StartServer(options);
  Raw raw(server_->port());
  raw.Send("GET /ping HTTP/1.1\r\nX-Slow: ");
  bool closed = false;
  raw.ReadUntilClosed(milliseconds(3000), &closed);
  EXPECT_TRUE(closed);
  // The socket closes as the timer fires; the count follows on the event loop.
  for (int i = 0; i < 100 && server_->stats().connections_timed_out == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }
  EXPECT_GE(server_->stats().connections_timed_out, 1);
}

TEST_F(ServerTest, ASourceOverItsConnectionLimitLosesItsOldestIdleConnection) {
  ServerOptions options;
  options.max_connections_per_source = 4;
  StartServer(options);
  std::vector<std::unique_ptr<Raw>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<Raw>(server_->port()));
    idle.back()->Send("GET /ping HTTP/1.1\r\n");
  }
  std::this_thread::sleep_for(milliseconds(100));  // let the server register them in order
  EXPECT_GE(PingSeconds(), 0);                     // a fifth is served
  bool closed = false;
  idle.front()->ReadUntilClosed(milliseconds(2000), &closed);
  EXPECT_TRUE(closed) << "the oldest idle connection was not closed";
  EXPECT_GE(server_->stats().connections_evicted, 1);
}

TEST_F(ServerTest, EveryWorkerBusyAndTheQueueFullIs503) {
  ServerOptions options;
  options.workers = 1;
  options.max_queued = 1;
  StartServer(options);
  std::vector<std::unique_ptr<Raw>> clients;
  for (int i = 0; i < 4; ++i) {
    clients.push_back(std::make_unique<Raw>(server_->port()));
    clients.back()->Send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  int busy = 0;
  int ok = 0;
  for (auto& client : clients) {
    const std::string line = StatusLine(client->ReadResponse(milliseconds(5000)));
    busy += line == "HTTP/1.1 503 Service Unavailable";
    ok += line == "HTTP/1.1 200 OK";
  }
  EXPECT_GE(busy, 1);
  EXPECT_GE(ok, 1);
  EXPECT_EQ(busy + ok, 4);
}

TEST_F(ServerTest, ATakenPortIsAnErrorAtStart) {
  StartServer();
  ServerOptions options;
  options.port = server_->port();
  auto second = Server::Create(options, [](const Request&) { return Route(); });
  ASSERT_TRUE(second.ok());
  const Status started = (*second)->Start();
  EXPECT_FALSE(started.ok());
  EXPECT_NE(started.message().find("another process holds the port"), std::string::npos)
      << started.ToString();
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndFreesThePort) {
  StartServer();
  const int port = server_->port();
  Raw idle(port);
  idle.Send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n");
  idle.ReadResponse(milliseconds(2000));
  server_->Stop();
  bool closed = false;
  idle.ReadUntilClosed(milliseconds(2000), &closed);
  EXPECT_TRUE(closed);
  ServerOptions options;
  options.port = port;
  auto again = Server::Create(options, [](const Request&) { return Route(); });
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->Start().ok());
}

TEST_F(ServerTest, ClientSpeaksToTheServerAndReconnectsAfterAnIdleClose) {
  ServerOptions options;
  options.header_timeout = milliseconds(200);
  StartServer(options);
  ClientOptions client_options;
  client_options.port = server_->port();
  Client client(client_options);
  auto first = client.Post("/echo", "one");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->body, "one");
  std::this_thread::sleep_for(milliseconds(400));  // the server closes the idle connection
  auto second = client.Post("/echo", "two");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->body, "two");
  EXPECT_EQ(HeaderOf(*second, "content-type"), "text/plain");
}

TEST_F(ServerTest, MutualTlsHandsThePeerCertificateToTheRoute) {
  ServerOptions options;
  options.tls_cert_path = DataFile("server.pem");
  options.tls_key_path = DataFile("server.key");
  options.require_client_certificate = true;
  StartServer(options);
  ASSERT_TRUE(server_->tls());
  ClientOptions client_options;
  client_options.port = server_->port();
  client_options.tls = true;
  client_options.trust_pem = ReadText(DataFile("server.pem"));
  client_options.client_cert_path = DataFile("client.pem");
  client_options.client_key_path = DataFile("client.key");
  Client client(client_options);
  auto answer = client.Get("/peer");
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_GT(std::stoul(answer->body), 100U);  // a DER certificate

  // Without a client certificate the handshake fails.
  client_options.client_cert_path.clear();
  client_options.client_key_path.clear();
  Client anonymous(client_options);
  EXPECT_FALSE(anonymous.Get("/peer").ok());
}

TEST_F(ServerTest, TheClientChecksTheServerCertificate) {
  ServerOptions options;
  options.tls_cert_path = DataFile("server.pem");
  options.tls_key_path = DataFile("server.key");
  StartServer(options);
  ClientOptions client_options;
  client_options.port = server_->port();
  client_options.tls = true;
  client_options.trust_pem = ReadText(DataFile("client.pem"));  // not the server's
  Client client(client_options);
  auto answer = client.Get("/ping");
  ASSERT_FALSE(answer.ok());
  EXPECT_NE(answer.status().message().find("certificate"), std::string::npos)
      << answer.status().ToString();
}

}  // namespace
}  // namespace entente::http
