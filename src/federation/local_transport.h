#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/mutex.h"
#include "federation/inbox.h"
#include "federation/transport.h"

namespace entente::federation {

// Nodes of one process (tests, `entente demo`): a transport that hands envelopes straight to
// the recipient's Inbox. A node can be taken down and brought back, to test delivery. The
// inboxes must outlive the network or be removed from it first. Thread-safe.
class LocalNetwork final : public Transport {
 public:
  // The node of `country` receives through `inbox`, sending as `country`.
  void Attach(std::string_view country, Inbox* inbox);
  void Detach(std::string_view country);
  // While down, deliveries to `country` fail as if it could not be reached.
  void SetDown(std::string_view country, bool down);

  // Transport: partner.country's inbox, if attached and up. The sender's identity is the
  // envelope's signed `from` (an in-process network needs no TLS).
  Result<std::vector<DeliveryOutcome>> Deliver(const store::Partner& partner,
                                               const std::vector<std::string>& envelopes) override;

 private:
  struct Node {
    Inbox* inbox = nullptr;
    bool down = false;
  };
  mutable Mutex mutex_;
  std::map<std::string, Node, std::less<>> nodes_ GUARDED_BY(mutex_);
};

}  // namespace entente::federation
