#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "federation/envelope.h"
#include "federation/keys.h"
#include "federation/transport.h"
#include "store/store.h"

namespace entente::federation {

// Called in the transaction that stores an accepted message (the audit entry of its reception,
// an acknowledgement marking a release notice), with its seq and the time it was accepted (the
// inbox's clock): an error refuses the message.
using AcceptHook = std::function<Status(store::WriteTxn&, const OpenedEnvelope& opened,
                                        int64_t stored_seq, int64_t accepted_at)>;

// The receiving side of a node: opens envelopes from registered partners, stores each message
// once, and answers with signed receipts. Thread-safe.
class Inbox {
 public:
  Inbox(store::Store& store, const NodeKeys& keys, const Clock& clock, AcceptHook hook = {});

  // Accepts a batch from the partner `peer_country` (the country the transport authenticated:
  // the TLS certificate's owner; "" for the in-process transport, which trusts the envelope's
  // `from`). One outcome per envelope, in order. A message already stored gets a "duplicate"
  // receipt and is not processed again. After a refusal that sending again could cure, the rest
  // of the batch is not processed (so that order within the batch is kept).
  std::vector<DeliveryOutcome> Accept(std::string_view peer_country,
                                      const std::vector<std::string>& envelopes);

 private:
  struct Pending;
  // Stores the opened messages of a batch in one transaction; false if it failed.
  bool StoreBatch(std::vector<Pending>& batch);

  store::Store& store_;
  const NodeKeys& keys_;
  const Clock& clock_;
  AcceptHook hook_;
};

}  // namespace entente::federation
