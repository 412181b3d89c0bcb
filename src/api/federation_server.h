#pragma once

#include <memory>
#include <string>
#include <thread>

#include "common/result.h"
#include "federation/inbox.h"
#include "store/store.h"

namespace httplib {
class SSLServer;
}

namespace entente::api {

// The endpoint partner nodes deliver to: HTTPS that requires a client certificate (mutual TLS).
// The certificate a peer presents must be one registered in the partner registry (pinned by
// its SHA-256 fingerprint); its country is then the only sender whose envelopes it may carry.
// POST /federation/v1/inbox {"envelopes": [...]} -> {"outcomes": [...]} (federation::Inbox).
class FederationServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 9443;  // 0: any free port
    std::string tls_cert;
    std::string tls_key;
    int threads = 8;
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

  store::Store& store_;
  federation::Inbox& inbox_;
  Options options_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace entente::api
