#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "store/exchange_records.h"

namespace entente::federation {

// What became of one envelope at the recipient: a signed receipt, or a refusal saying whether
// sending it again can help.
struct DeliveryOutcome {
  bool delivered = false;
  std::string receipt;  // when delivered
  std::string error;    // when not
  bool permanent = false;
};

// Carries envelopes to a partner node. Implementations: LocalNetwork (in-process, tests and the
// demo) and HttpsTransport (mutual TLS); a NATS JetStream transport can join behind the same
// interface. Thread-safe.
class Transport {
 public:
  virtual ~Transport() = default;
  // Hands `envelopes` to `partner`, in order; one outcome per envelope, in the same order. An
  // error when the partner could not be reached or answered nonsense: then none of them is
  // known to be delivered.
  virtual Result<std::vector<DeliveryOutcome>> Deliver(
      const store::Partner& partner, const std::vector<std::string>& envelopes) = 0;
};

}  // namespace entente::federation
