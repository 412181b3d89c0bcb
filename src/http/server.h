#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "http/message.h"

namespace entente::http {

// What the application decides about a request once its header is read (Router). The body is
// read only when the route accepts one, within its limit, and only after `admit` let it in: a
// caller who may not use the route never makes the node read or parse its body.
struct Route {
  // What the access log names the request by: its route's pattern ("/api/v1/subjects/{id}"),
  // never the path itself, which may hold identifiers. "" for requests matching no route.
  std::string name;
  // Answered at once, on the I/O thread, without reading any body: unknown routes, a wrong
  // method, /healthz. Must be cheap.
  std::optional<Response> answer;
  // The largest body the route accepts, in bytes (0: none). A longer declared body is answered
  // 413 before anything is read; a longer chunked body is cut off at the limit.
  size_t body_limit = 0;
  // Runs on a worker before the body is read (authentication, permission). A Response refuses
  // the request: it is sent and, when a body was announced, the connection is closed unread.
  std::function<std::optional<Response>(const Request& head)> admit;
  // Runs on a worker once the body is read, with the same Request object `admit` saw (its body
  // now filled). An exception becomes a logged 500.
  std::function<Response(Request& request)> handle;
};

// Picks the route of a request from its head. Runs on an I/O thread: must not block.
using Router = std::function<Route(const Request& head)>;

// One request as served, for the access log and metrics (called on a worker or I/O thread).
struct Served {
  const Request* request = nullptr;  // head, and body when it was read
  std::string_view route;            // Route::name
  int status = 0;
  double seconds = 0;  // from the header's end to the response's last byte queued
  size_t response_bytes = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (Server::port says which)
  // TLS: both paths set, or neither (plain HTTP). With `require_client_certificate`, the
  // handshake demands one (any: the application pins it, Request::peer_certificate_der).
  std::string tls_cert_path;
  std::string tls_key_path;
  bool require_client_certificate = false;

  int io_threads = 2;             // threads doing the network I/O (event loop)
  int workers = 16;               // threads running admit and handle (they may block on the store)
  size_t max_queued = 4096;       // requests waiting for a worker; past it, 503 at once
  size_t max_connections = 4096;  // open at once; past it the oldest idle one goes
  size_t max_connections_per_source = 256;      // from one address; likewise
  size_t max_header_bytes = size_t{16} * 1024;  // request line and headers together (431)
  size_t max_header_fields = 100;               // header lines (431 past it)
  size_t max_target_bytes = size_t{8} * 1024;   // the request line's target (414)
  size_t max_requests_per_connection = 10000;
  std::chrono::milliseconds handshake_timeout{10'000};  // TLS handshake
  std::chrono::milliseconds header_timeout{10'000};     // waiting for a request's whole header
  std::chrono::milliseconds body_timeout{60'000};       // reading an admitted body
  std::chrono::milliseconds write_timeout{60'000};      // sending a response
  // Called once per request answered (access log, metrics); may be empty.
  std::function<void(const Served&)> on_served;
};

// Counters, for metrics and tests.
struct ServerStats {
  int64_t connections_open = 0;
  int64_t connections_accepted = 0;
  int64_t connections_evicted = 0;  // closed to make room under a connection limit
  int64_t connections_timed_out = 0;
  int64_t requests_refused_busy = 0;  // 503: every worker busy and the queue full
  int64_t requests_served = 0;
};

// An event-driven HTTP/1.1 server (Boost.Beast on Asio) with TLS. A few I/O threads hold every
// connection, so idle or slow clients cost a socket and a buffer, never a thread; requests run on
// a fixed pool of workers. Every phase has a limit: header bytes, fields and time; body size per
// route and time; connections in all and per source address (the oldest connection still waiting
// for its header is closed to make room). The listening socket is exclusive (no SO_REUSEPORT): a
// taken port is an error at Start.
class Server {
 public:
  // InvalidArgument for a TLS pair that cannot be loaded or half a pair.
  static Result<std::unique_ptr<Server>> Create(ServerOptions options, Router router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. IoError naming the address when it cannot be bound
  // (in use, or not an address of this machine).
  Status Start();
  // Stops accepting, lets running handlers finish, closes every connection and joins the threads.
  // Idempotent; also done by the destructor.
  void Stop();

  int port() const;
  bool tls() const;
  ServerStats stats() const;

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace entente::http
