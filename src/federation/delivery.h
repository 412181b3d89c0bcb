#pragma once

#include <cstdint>

#include "common/background_loop.h"
#include "common/clock.h"
#include "common/result.h"
#include "federation/keys.h"
#include "federation/transport.h"
#include "store/store.h"

namespace entente::federation {

// A pending outbox entry older than this is reported to administrators as undelivered (it is
// still retried).
inline constexpr int64_t kUndeliveredAfterMicros = 15LL * 60 * 1'000'000;

struct DeliveryOptions {
  int batch = 256;                           // envelopes per request to one partner
  int64_t first_backoff_micros = 1'000'000;  // after the first failed attempt
  int64_t max_backoff_micros = 60'000'000;   // the back-off doubles up to this
  int64_t poll_micros = 250'000;             // how often the worker looks when not woken
};

// What one pass did.
struct DeliveryPass {
  int delivered = 0;
  int failed_attempts = 0;
  int given_up = 0;  // refused for good by the recipient
};

// Empties the outbox: for each partner, sends its pending entries in outbox order, a batch at
// a time, wrapping each sealed message in a freshly signed envelope; records each receipt
// (checked against the partner's key) or the failure, with exponential back-off per partner
// (the first entry of a partner's queue waits; the others wait behind it, so order is kept).
// Entries refused for good (bad signature, unknown sender...) become kFailed, for an
// administrator to see and requeue. Thread-safe; one worker thread when started.
class Deliverer {
 public:
  Deliverer(store::Store& store, const NodeKeys& keys, Transport& transport, const Clock& clock,
            DeliveryOptions options = {});
  ~Deliverer();

  // One pass over every partner with due entries.
  Result<DeliveryPass> RunOnce();

  // Starts a worker that runs passes until Stop: at once when woken, else every poll_micros.
  void Start();
  void Stop();
  // Tells the worker the outbox has new entries.
  void Wake();

  // The back-off after `attempts` failed attempts (the first is first_backoff_micros).
  int64_t Backoff(int64_t attempts) const;

 private:
  Status DeliverTo(const store::Partner& partner, int64_t now, DeliveryPass* pass);

  store::Store& store_;
  const NodeKeys& keys_;
  Transport& transport_;
  const Clock& clock_;
  DeliveryOptions options_;
  BackgroundLoop loop_;  // last: it stops before what it uses goes
};

}  // namespace entente::federation
