#include "federation/delivery.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "federation/envelope.h"
#include "federation/key_rotation.h"
#include "federation/partner.h"

namespace entente::federation {

Deliverer::Deliverer(store::Store& store, const NodeKeys& keys, Transport& transport,
                     const Clock& clock, DeliveryOptions options)
    : store_(store),
      keys_(keys),
      transport_(transport),
      clock_(clock),
      options_(options),
      loop_("delivery", std::chrono::microseconds(options.poll_micros), [this] {
        Result<DeliveryPass> pass = RunOnce();
        if (!pass.ok()) spdlog::warn("delivery pass: {}", pass.status().ToString());
        return pass.ok() && pass->delivered > 0;  // more may wait behind a full batch
      }) {}

Deliverer::~Deliverer() { Stop(); }

int64_t Deliverer::Backoff(int64_t attempts) const {
  int64_t backoff = options_.first_backoff_micros;
  for (int64_t i = 1; i < attempts && backoff < options_.max_backoff_micros; ++i) backoff *= 2;
  return std::min(backoff, options_.max_backoff_micros);
}

Result<DeliveryPass> Deliverer::RunOnce() {
  DeliveryPass pass;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::Partner> partners, store_.partners().List());
  const int64_t now = clock_.NowMicros();
  for (const store::Partner& partner : partners) {
    Status status = DeliverTo(partner, now, &pass);
    if (!status.ok()) {
      spdlog::warn("delivery to {}: {}", partner.country, status.ToString());
    }
  }
  return pass;
}

Status Deliverer::DeliverTo(const store::Partner& partner, int64_t now, DeliveryPass* pass) {
  store::OutboxQuery query;
  query.state = store::OutboxState::kPending;
  query.recipient = partner.country;
  query.limit = options_.batch;
  ENTENTE_ASSIGN_OR_RETURN(std::vector<store::OutboxEntry> queue, store_.outbox().List(query));
  if (queue.empty() || queue.front().next_attempt_at > now) return Status::Ok();
  ENTENTE_ASSIGN_OR_RETURN(std::vector<std::string> sign_keys, AcceptedSignKeys(partner, now));

  std::vector<std::string> envelopes;
  envelopes.reserve(queue.size());
  for (const store::OutboxEntry& e : queue) {
    envelopes.push_back(MakeEnvelope(e.message_id, partner.country, e.envelope, keys_, now));
  }
  Result<std::vector<DeliveryOutcome>> outcomes = transport_.Deliver(partner, envelopes);
  const int64_t done = clock_.NowMicros();
  return store_.Write([&](store::WriteTxn& txn) -> Status {
    if (!outcomes.ok()) {
      // Nothing is known to have arrived: the whole batch waits.
      for (const store::OutboxEntry& e : queue) {
        ENTENTE_RETURN_IF_ERROR(txn.outbox().MarkAttemptFailed(
            e.seq, outcomes.status().message(), done + Backoff(e.attempts + 1), false));
        ++pass->failed_attempts;
      }
      return Status::Ok();
    }
    bool promoted = false;
    for (size_t i = 0; i < queue.size(); ++i) {
      const store::OutboxEntry& e = queue[i];
      const DeliveryOutcome& o = (*outcomes)[i];
      if (o.delivered) {
        Status receipt;
        for (size_t k = 0; k < sign_keys.size(); ++k) {
          receipt =
              VerifyReceipt(o.receipt, e.message_id, keys_.country, partner.country, sign_keys[k]);
          if (!receipt.ok()) continue;
          // A receipt signed with keys the partner announced: they are its keys from now on.
          if (k > 0 && !promoted) {
            ENTENTE_ASSIGN_OR_RETURN(store::Partner fresh, txn.partners().Get(partner.country));
            if (auto after = AfterKeyUsed(fresh, sign_keys[k], done)) {
              ENTENTE_RETURN_IF_ERROR(txn.partners().Put(*after));
              promoted = true;
            }
          }
          break;
        }
        if (receipt.ok()) {
          ENTENTE_RETURN_IF_ERROR(txn.outbox().MarkDelivered(e.seq, o.receipt, done));
          ++pass->delivered;
          continue;
        }
        ENTENTE_RETURN_IF_ERROR(txn.outbox().MarkAttemptFailed(
            e.seq, receipt.message(), done + Backoff(e.attempts + 1), false));
        ++pass->failed_attempts;
      } else if (o.permanent) {
        ENTENTE_RETURN_IF_ERROR(txn.outbox().MarkAttemptFailed(e.seq, o.error, done, true));
        ++pass->given_up;
        spdlog::error("message {} to {} refused for good: {}", e.message_id, partner.country,
                      o.error);
      } else {
        ENTENTE_RETURN_IF_ERROR(
            txn.outbox().MarkAttemptFailed(e.seq, o.error, done + Backoff(e.attempts + 1), false));
        ++pass->failed_attempts;
      }
    }
    return Status::Ok();
  });
}

void Deliverer::Start() { loop_.Start(); }

void Deliverer::Stop() { loop_.Stop(); }

void Deliverer::Wake() { loop_.Wake(); }

}  // namespace entente::federation
