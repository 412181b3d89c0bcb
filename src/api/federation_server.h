#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "federation/inbox.h"
#include "http/server.h"
#include "service/owner_answers.h"
#include "store/store.h"

namespace entente::api {

// The endpoint partner nodes deliver to: HTTPS that requires a client certificate (mutual TLS),
// on the event-driven http::Server. The certificate a peer presents must be one registered in
// the partner registry (pinned by its SHA-256 fingerprint), checked before its body is read; its
// country is then the only sender whose envelopes it may carry.
// POST /federation/v1/inbox {"envelopes": [...]} -> {"outcomes": [...]} (federation::Inbox).
// POST /federation/v1/check, a signed check -> its signed answer (service::CheckResponder), when
// the node answers checks.
class FederationServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 9443;  // 0: any free port
    std::string tls_cert;
    std::string tls_key;
    int threads = 8;
    // The largest batch of envelopes a partner may deliver at once (index updates are the
    // largest: 4,096 entries an update).
    size_t body_limit = size_t{64} << 20;
    // Whose time tells whether a partner's previous certificate is still in its grace period
    // (nullptr: the system's).
    const Clock* clock = nullptr;
    // Answers partners' checks (owner_answers); nullptr: the check path is 404.
    service::CheckResponder* checks = nullptr;
  };
  static Result<std::unique_ptr<FederationServer>> Create(store::Store& store,
                                                          federation::Inbox& inbox,
                                                          Options options);
  ~FederationServer();

  Status Start();
  void Stop();
  int port() const { return port_; }

 private:
  FederationServer(store::Store& store, federation::Inbox& inbox, Options options);
  http::Route RouteOf(const http::Request& head);

  store::Store& store_;
  federation::Inbox& inbox_;
  Options options_;
  std::unique_ptr<http::Server> server_;
  int port_ = 0;
};

}  // namespace entente::api
