#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace entente::http {

struct ClientOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  bool tls = false;
  // With TLS: the certificates trusted (PEM, one or more): a partner's pinned certificate, or a
  // node's own self-signed one. The server must present one of them, or one they signed, for
  // `server_name` (default: host).
  std::string trust_pem;
  std::string server_name;
  // Mutual TLS: the certificate and key this client presents (paths; both or neither).
  std::string client_cert_path;
  std::string client_key_path;
  // The local address to connect from ("" for the system's choice): tests stand for several
  // client machines with several loopback addresses.
  std::string source_address;
  std::chrono::milliseconds connect_timeout{3000};  // TCP connect and TLS handshake
  std::chrono::milliseconds io_timeout{30000};      // sending a request and reading its answer
  size_t max_response_bytes = size_t{256} << 20;

  static ClientOptions Plain(std::string host, int port) {
    ClientOptions options;
    options.host = std::move(host);
    options.port = port;
    return options;
  }
  static ClientOptions Tls(std::string host, int port, std::string trust_pem) {
    ClientOptions options = Plain(std::move(host), port);
    options.tls = true;
    options.trust_pem = std::move(trust_pem);
    return options;
  }
};

// A blocking HTTP/1.1 client on one kept-alive connection (Boost.Beast), with timeouts on every
// step. A request that fails on a reused connection before any answer arrived (the server closed
// it while idle) is sent once more on a new one. Not thread-safe: one request at a time.
class Client {
 public:
  explicit Client(ClientOptions options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // IoError saying what failed (connect, TLS and the certificate check, timeout, a malformed
  // answer); any HTTP status is a Response.
  Result<Response> Send(std::string_view method, std::string_view target,
                        const std::vector<Header>& headers = {}, std::string_view body = {},
                        std::string_view content_type = "application/json");
  Result<Response> Get(std::string_view target, const std::vector<Header>& headers = {}) {
    return Send("GET", target, headers);
  }
  Result<Response> Post(std::string_view target, std::string_view body,
                        const std::vector<Header>& headers = {}) {
    return Send("POST", target, headers, body);
  }
  // Closes the connection (the next request opens a new one).
  void Close();
  const ClientOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The value of a response header (any case), or "".
std::string HeaderOf(const Response& response, std::string_view name);

}  // namespace entente::http
