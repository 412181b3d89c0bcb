#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http/client.h"

#include "common/mutex.h"
#include "federation/check.h"
#include "federation/keys.h"
#include "federation/transport.h"

namespace entente::federation {

// The path of a node's federation endpoint (served by api::FederationServer).
inline constexpr const char* kInboxPath = "/federation/v1/inbox";

// Delivers over HTTPS with mutual TLS: this node presents its certificate (NodeKeys) and accepts
// only the certificate registered for the partner (pinned: the partner's PEM is the only trust
// anchor, and the host must match its names). One kept-alive connection per partner; a
// partner's batches go one at a time. Thread-safe.
// Checks answered by the owner (check.h) go on connections of their own, several at once per
// partner, so that a check never waits behind a batch of envelopes.
class HttpsTransport final : public Transport, public CheckChannel {
 public:
  struct Options {
    int connect_timeout_ms = 3000;
    int read_timeout_ms = 30000;
  };
  HttpsTransport(const NodeKeys& keys, Options options);
  explicit HttpsTransport(const NodeKeys& keys) : HttpsTransport(keys, Options()) {}
  ~HttpsTransport() override;

  Result<std::vector<DeliveryOutcome>> Deliver(const store::Partner& partner,
                                               const std::vector<std::string>& envelopes) override;
  // CheckChannel: POST kCheckPath.
  Result<CheckReply> SendCheck(const store::Partner& partner, std::string_view body) override;
  // Closes every connection to partners (the next delivery opens them again).
  void Close();

 private:
  // A check connection not in use, kept for the next check to the same partner.
  struct IdleCheck {
    std::string pinned;
    std::string url;
    std::unique_ptr<http::Client> client;
  };
  Result<std::unique_ptr<http::Client>> NewClient(const store::Partner& partner);
  struct Connection;
  // The partner's connection, made anew when its address or certificate changed (a batch still
  // in flight on the old one keeps it alive until it is done).
  Result<std::shared_ptr<Connection>> ConnectionFor(const store::Partner& partner);

  const NodeKeys& keys_;
  Options options_;
  Mutex mutex_;
  std::map<std::string, std::shared_ptr<Connection>> connections_ GUARDED_BY(mutex_);
  std::map<std::string, std::vector<IdleCheck>> idle_checks_ GUARDED_BY(mutex_);
};

// Parses the JSON body of an inbox answer ({"outcomes": [...]}) into `count` outcomes.
Result<std::vector<DeliveryOutcome>> ParseOutcomes(std::string_view body, size_t count);
// The JSON body of an inbox answer.
std::string OutcomesToJson(const std::vector<DeliveryOutcome>& outcomes);

}  // namespace entente::federation
