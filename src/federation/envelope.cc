#include "federation/envelope.h"

#include <nlohmann/json.hpp>
#include <string>

#include "common/json.h"
#include "federation/crypto.h"

namespace entente::federation {
namespace {

std::string MessageSigningInput(std::string_view document) {
  return "entente-message-v1\n" + std::string(document);
}

std::string EnvelopeSigningInput(std::string_view id, std::string_view from, std::string_view to,
                                 int64_t sent_at, std::string_view sealed) {
  return "entente-envelope-v1\n" + std::string(id) + "\n" + std::string(from) + "\n" +
         std::string(to) + "\n" + std::to_string(sent_at) + "\n" + Digest(sealed);
}

std::string ReceiptSigningInput(std::string_view id, std::string_view from, std::string_view to,
                                int64_t received_at, std::string_view status) {
  return "entente-receipt-v1\n" + std::string(id) + "\n" + std::string(from) + "\n" +
         std::string(to) + "\n" + std::to_string(received_at) + "\n" + std::string(status);
}

std::string_view ReceiptStatusName(ReceiptStatus status) {
  return status == ReceiptStatus::kAccepted ? "accepted" : "duplicate";
}

bool GetText(const nlohmann::json& json, const char* name, std::string* out) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

bool GetInt(const nlohmann::json& json, const char* name, int64_t* out) {
  auto it = json.find(name);
  if (it == json.end() || !it->is_number_integer()) return false;
  *out = it->get<int64_t>();
  return true;
}

std::optional<OpenedEnvelope> Refuse(Refusal* refusal, std::string reason, bool permanent = true) {
  refusal->reason = std::move(reason);
  refusal->permanent = permanent;
  return std::nullopt;
}

}  // namespace

std::string SealMessage(std::string_view message_json, const NodeKeys& sender,
                        std::string_view recipient_box_public) {
  const nlohmann::json inner = {
      {"payload", message_json},
      {"signature", Sign(MessageSigningInput(message_json), sender.sign_secret)}};
  return Base64Encode(Seal(DumpJson(inner), recipient_box_public));
}

std::string MakeEnvelope(std::string_view message_id, std::string_view recipient_country,
                         std::string_view sealed, const NodeKeys& sender, int64_t sent_at) {
  const nlohmann::json envelope = {
      {"v", 1},
      {"id", message_id},
      {"from", sender.country},
      {"to", recipient_country},
      {"sent_at", sent_at},
      {"sealed", sealed},
      {"signature",
       Sign(EnvelopeSigningInput(message_id, sender.country, recipient_country, sent_at, sealed),
            sender.sign_secret)}};
  return DumpJson(envelope);
}

Result<EnvelopeHeader> ReadEnvelopeHeader(std::string_view envelope) {
  nlohmann::json json = ParseJsonOrDiscarded(envelope);
  EnvelopeHeader header;
  if (json.is_discarded() || !json.is_object() || !GetText(json, "id", &header.id) ||
      !GetText(json, "from", &header.from) || !GetText(json, "to", &header.to) ||
      !GetInt(json, "sent_at", &header.sent_at)) {
    return InvalidArgument("envelope: expected JSON with id, from, to and sent_at");
  }
  return header;
}

std::optional<OpenedEnvelope> OpenEnvelope(std::string_view envelope, const NodeKeys& recipient,
                                           std::string_view sender_sign_public, int64_t now,
                                           Refusal* refusal) {
  const std::string keys[] = {std::string(sender_sign_public)};
  return OpenEnvelope(envelope, recipient, keys, now, refusal);
}

std::optional<OpenedEnvelope> OpenEnvelope(std::string_view envelope, const NodeKeys& recipient,
                                           std::span<const std::string> sender_sign_publics,
                                           int64_t now, Refusal* refusal) {
  auto verified_by = [&](std::string_view data, std::string_view signature) -> const std::string* {
    for (const std::string& key : sender_sign_publics) {
      if (VerifySignature(data, signature, key)) return &key;
    }
    return nullptr;
  };
  nlohmann::json json = ParseJsonOrDiscarded(envelope);
  std::string id, from, to, sealed, signature;
  int64_t version = 0, sent_at = 0;
  if (json.is_discarded() || !json.is_object() || !GetInt(json, "v", &version) ||
      !GetText(json, "id", &id) || !GetText(json, "from", &from) || !GetText(json, "to", &to) ||
      !GetInt(json, "sent_at", &sent_at) || !GetText(json, "sealed", &sealed) ||
      !GetText(json, "signature", &signature)) {
    return Refuse(refusal, "malformed envelope");
  }
  if (version != 1) return Refuse(refusal, "unknown envelope version " + std::to_string(version));
  if (to != recipient.country) {
    return Refuse(refusal, "envelope addressed to " + to + ", not to " + recipient.country);
  }
  const std::string* envelope_key =
      verified_by(EnvelopeSigningInput(id, from, to, sent_at, sealed), signature);
  if (envelope_key == nullptr) {
    return Refuse(refusal, "the envelope's signature does not verify with " + from + "'s key");
  }
  const int64_t skew = now > sent_at ? now - sent_at : sent_at - now;
  if (skew > kMaxEnvelopeSkewMicros) {
    // A replay of an old envelope, or clocks set apart: sending anew (re-stamped) can help.
    return Refuse(refusal,
                  "stale envelope: sent " + std::to_string(skew / 1'000'000) +
                      " s away from this node's time (at most " +
                      std::to_string(kMaxEnvelopeSkewMicros / 1'000'000) + " s)",
                  /*permanent=*/false);
  }
  auto sealed_bytes = Base64Decode(sealed, "sealed");
  if (!sealed_bytes.ok()) return Refuse(refusal, "sealed: not base64");
  auto inner_text = Unseal(*sealed_bytes, recipient.box_public, recipient.box_secret);
  for (const NodeKeys::FormerBox& former : recipient.former_boxes) {
    if (inner_text.ok()) break;
    if (former.until <= now) continue;
    auto opened = Unseal(*sealed_bytes, former.box_public, former.box_secret);
    if (opened.ok()) inner_text = std::move(opened);
  }
  if (!inner_text.ok()) {
    // Sealed for a box key this process does not hold: during a key rotation, a replica not
    // yet restarted with the new keys. Sending again (to another replica, or later) can help.
    return Refuse(refusal,
                  "cannot be opened with this node's keys: " + inner_text.status().message(),
                  /*permanent=*/false);
  }
  nlohmann::json inner = ParseJsonOrDiscarded(*inner_text);
  OpenedEnvelope out;
  std::string message_signature;
  if (inner.is_discarded() || !inner.is_object() || !GetText(inner, "payload", &out.document) ||
      !GetText(inner, "signature", &message_signature)) {
    return Refuse(refusal, "malformed sealed content");
  }
  if (verified_by(MessageSigningInput(out.document), message_signature) == nullptr) {
    return Refuse(refusal, "the message's signature does not verify with " + from + "'s key");
  }
  auto message = ParseMessage(out.document);
  if (!message.ok()) return Refuse(refusal, "invalid message: " + message.status().message());
  if (message->id != id) return Refuse(refusal, "the message id differs from the envelope's");
  if (message->SenderCountry() != from) {
    return Refuse(refusal, "the message's sender is not of " + from);
  }
  const std::vector<std::string> countries = message->RecipientCountries();
  if (std::find(countries.begin(), countries.end(), recipient.country) == countries.end()) {
    return Refuse(refusal, "the message names no recipient in " + recipient.country);
  }
  out.from = from;
  out.signed_with = *envelope_key;
  out.message = std::move(message).value();
  return out;
}

std::string MakeReceipt(std::string_view message_id, std::string_view sender_country,
                        ReceiptStatus status, const NodeKeys& recipient, int64_t received_at) {
  const std::string_view status_name = ReceiptStatusName(status);
  const nlohmann::json receipt = {
      {"v", 1},
      {"message_id", message_id},
      {"from", recipient.country},
      {"to", sender_country},
      {"received_at", received_at},
      {"status", status_name},
      {"signature", Sign(ReceiptSigningInput(message_id, recipient.country, sender_country,
                                             received_at, status_name),
                         recipient.sign_secret)}};
  return DumpJson(receipt);
}

Status VerifyReceipt(std::string_view receipt, std::string_view message_id,
                     std::string_view own_country, std::string_view partner_country,
                     std::string_view partner_sign_public) {
  nlohmann::json json = ParseJsonOrDiscarded(receipt);
  std::string id, from, to, status, signature;
  int64_t received_at = 0;
  if (json.is_discarded() || !json.is_object() || !GetText(json, "message_id", &id) ||
      !GetText(json, "from", &from) || !GetText(json, "to", &to) ||
      !GetInt(json, "received_at", &received_at) || !GetText(json, "status", &status) ||
      !GetText(json, "signature", &signature)) {
    return InvalidArgument("receipt: malformed");
  }
  if (id != message_id || from != partner_country || to != own_country) {
    return InvalidArgument("receipt: for another message or between other nodes");
  }
  if (status != "accepted" && status != "duplicate") {
    return InvalidArgument("receipt: unknown status " + status);
  }
  if (!VerifySignature(ReceiptSigningInput(id, from, to, received_at, status), signature,
                       partner_sign_public)) {
    return InvalidArgument("receipt: the signature does not verify with " +
                           std::string(partner_country) + "'s key");
  }
  return Status::Ok();
}

}  // namespace entente::federation
