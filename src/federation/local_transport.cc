#include "federation/local_transport.h"

namespace entente::federation {

void LocalNetwork::Attach(std::string_view country, Inbox* inbox) {
  MutexLock lock(&mutex_);
  nodes_[std::string(country)] = {inbox, false};
}

void LocalNetwork::Detach(std::string_view country) {
  MutexLock lock(&mutex_);
  if (auto it = nodes_.find(country); it != nodes_.end()) nodes_.erase(it);
}

void LocalNetwork::SetDown(std::string_view country, bool down) {
  MutexLock lock(&mutex_);
  if (auto it = nodes_.find(country); it != nodes_.end()) it->second.down = down;
}

Result<std::vector<DeliveryOutcome>> LocalNetwork::Deliver(
    const store::Partner& partner, const std::vector<std::string>& envelopes) {
  Inbox* inbox = nullptr;
  {
    MutexLock lock(&mutex_);
    auto it = nodes_.find(partner.country);
    if (it == nodes_.end() || it->second.down) {
      return IoError("node " + partner.country + " cannot be reached");
    }
    inbox = it->second.inbox;
  }
  return inbox->Accept("", envelopes);
}

}  // namespace entente::federation
