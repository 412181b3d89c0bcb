#include "federation/inbox.h"

#include <map>
#include <optional>
#include <utility>

#include "common/log.h"
#include "federation/key_rotation.h"
#include "federation/outbox.h"
#include "federation/partner.h"

namespace entente::federation {

struct Inbox::Pending {
  size_t index = 0;
  OpenedEnvelope opened;
  bool rotated = false;  // signed with a key other than the sender's current one
  bool duplicate = false;
  std::string error;  // set when storing this one failed
};

Inbox::Inbox(store::Store& store, const NodeKeys& keys, const Clock& clock, AcceptHook hook)
    : store_(store), keys_(keys), clock_(clock), hook_(std::move(hook)) {}

namespace {

store::StoredMessage ToStored(const OpenedEnvelope& opened) {
  return StoredFromMessage(opened.message, store::MessageDirection::kIn, opened.document);
}

}  // namespace

bool Inbox::StoreBatch(std::vector<Pending>& batch) {
  Status status = store_.Write([&](store::WriteTxn& txn) -> Status {
    for (const Pending& p : batch) {
      if (!p.rotated) continue;
      // Signed with keys the sender announced: they are its keys from now on.
      ENTENTE_ASSIGN_OR_RETURN(store::Partner partner, txn.partners().Get(p.opened.from));
      if (auto after = AfterKeyUsed(partner, p.opened.signed_with, clock_.NowMicros())) {
        ENTENTE_RETURN_IF_ERROR(txn.partners().Put(*after));
        spdlog::info(
            "inbox: {} now signs with the keys it announced; its previous keys are "
            "accepted for their grace period",
            p.opened.from);
      }
    }
    for (Pending& p : batch) {
      p.duplicate = false;
      Result<int64_t> seq = txn.messages().Insert(ToStored(p.opened));
      if (seq.status().code() == StatusCode::kAlreadyExists) {
        p.duplicate = true;
        continue;
      }
      ENTENTE_RETURN_IF_ERROR(seq.status());
      if (hook_) ENTENTE_RETURN_IF_ERROR(hook_(txn, p.opened, *seq, clock_.NowMicros()));
    }
    return Status::Ok();
  });
  if (status.ok()) return true;
  if (batch.size() == 1) batch.front().error = status.ToString();
  return false;
}

std::vector<DeliveryOutcome> Inbox::Accept(std::string_view peer_country,
                                           const std::vector<std::string>& envelopes) {
  std::vector<DeliveryOutcome> out(envelopes.size());
  struct Known {
    std::string current_sign;           // the partner's current signing key (raw)
    std::vector<std::string> accepted;  // every signing key accepted now (key_rotation.h)
  };
  std::map<std::string, std::optional<Known>> partners;
  std::vector<Pending> batch;
  const int64_t now = clock_.NowMicros();
  size_t stop = envelopes.size();
  for (size_t i = 0; i < envelopes.size(); ++i) {
    DeliveryOutcome& o = out[i];
    auto header = ReadEnvelopeHeader(envelopes[i]);
    if (!header.ok()) {
      o.error = header.status().message();
      o.permanent = true;
      continue;
    }
    if (!peer_country.empty() && header->from != peer_country) {
      o.error = "envelope from " + header->from + " presented by " + std::string(peer_country);
      o.permanent = true;
      continue;
    }
    auto [it, inserted] = partners.try_emplace(header->from);
    if (inserted) {
      auto record = store_.partners().Get(header->from);
      if (record.ok()) {
        auto decoded = DecodePartner(*record);
        auto accepted = AcceptedSignKeys(*record, now);
        if (decoded.ok() && accepted.ok()) {
          it->second = Known{decoded->sign_public, std::move(accepted).value()};
        }
      }
    }
    if (!it->second.has_value()) {
      o.error = header->from + " is not a registered partner of " + keys_.country;
      o.permanent = true;
      continue;
    }
    Refusal refusal;
    auto opened = OpenEnvelope(envelopes[i], keys_, it->second->accepted, now, &refusal);
    if (!opened.has_value()) {
      o.error = refusal.reason;
      o.permanent = refusal.permanent;
      if (!refusal.permanent) {
        stop = i;
        break;
      }
      continue;
    }
    const bool rotated = opened->signed_with != it->second->current_sign;
    batch.push_back({i, std::move(*opened), rotated, false, ""});
  }
  for (size_t i = stop + 1; i < envelopes.size(); ++i) {
    out[i].error = "not processed: an earlier envelope of the batch was refused";
    out[i].permanent = false;
  }
  if (!StoreBatch(batch)) {
    // One failed: store them one by one, so that those before it go through; those after it
    // wait for the next attempt, to keep their order.
    bool failed = false;
    for (Pending& p : batch) {
      if (failed) {
        p.error = "not processed: an earlier envelope of the batch failed";
        continue;
      }
      std::vector<Pending> one;
      one.push_back(std::move(p));
      if (!StoreBatch(one)) {
        failed = true;
        spdlog::warn("inbox: message {} from {} not stored: {}", one[0].opened.message.id,
                     one[0].opened.from, one[0].error);
      }
      p = std::move(one[0]);
    }
  }
  const int64_t received_at = clock_.NowMicros();
  for (Pending& p : batch) {
    DeliveryOutcome& o = out[p.index];
    if (!p.error.empty()) {
      o.error = p.error.starts_with("not processed") ? p.error : "could not be stored: " + p.error;
      o.permanent = false;
      continue;
    }
    o.delivered = true;
    o.receipt = MakeReceipt(p.opened.message.id, p.opened.from,
                            p.duplicate ? ReceiptStatus::kDuplicate : ReceiptStatus::kAccepted,
                            keys_, received_at);
  }
  return out;
}

}  // namespace entente::federation
