#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "federation/keys.h"
#include "federation/message.h"

namespace entente::federation {

// How a message travels (docs/federation.md):
//  1. the sender signs the message JSON (Ed25519, "entente-message-v1" domain);
//  2. message and signature are sealed for the recipient (X25519 sealed box): only the
//     recipient node can read them;
//  3. at each delivery attempt the sender wraps the sealed box in an envelope naming the message
//     id, both countries and the time of sending, and signs the envelope: a recipient refuses an
//     envelope older or newer than kMaxEnvelopeSkewMicros (a replay), one whose signature does
//     not verify, and one whose inner message does not match it;
//  4. the recipient answers with a signed receipt.
inline constexpr int64_t kMaxEnvelopeSkewMicros = 5LL * 60 * 1'000'000;

// Steps 1-2: the sealed box (base64) of `message_json` signed by `sender`, for `recipient_box`.
std::string SealMessage(std::string_view message_json, const NodeKeys& sender,
                        std::string_view recipient_box_public);

// Step 3: the envelope JSON for one attempt.
std::string MakeEnvelope(std::string_view message_id, std::string_view recipient_country,
                         std::string_view sealed, const NodeKeys& sender, int64_t sent_at);

// Why an envelope was refused, and whether sending it again can help.
struct Refusal {
  std::string reason;
  bool permanent = true;
};

// What the recipient reads from an envelope.
struct OpenedEnvelope {
  std::string from;         // the sender's country
  std::string document;     // the message JSON as signed
  std::string signed_with;  // the sender's signing key (raw) the envelope verified with
  Message message;
};

// The envelope's outer fields, read without checking anything (to find the sender's keys).
struct EnvelopeHeader {
  std::string id;
  std::string from;
  std::string to;
  int64_t sent_at = 0;
};
Result<EnvelopeHeader> ReadEnvelopeHeader(std::string_view envelope);

// Steps 3-1 in reverse, by `recipient` for an envelope that claims to come from the partner
// whose Ed25519 key is `sender_sign_public`. On refusal, *refusal says why.
std::optional<OpenedEnvelope> OpenEnvelope(std::string_view envelope, const NodeKeys& recipient,
                                           std::string_view sender_sign_public, int64_t now,
                                           Refusal* refusal);
// The same for a sender with several signing keys accepted at once (during a key rotation): the
// envelope and the message inside it may each be signed by any of them. The sealed box is
// opened with the recipient's box key, or a former one still kept at `now`.
std::optional<OpenedEnvelope> OpenEnvelope(std::string_view envelope, const NodeKeys& recipient,
                                           std::span<const std::string> sender_sign_publics,
                                           int64_t now, Refusal* refusal);

enum class ReceiptStatus { kAccepted, kDuplicate };

// Step 4: the receipt JSON `recipient` signs for message `message_id` from `sender_country`.
std::string MakeReceipt(std::string_view message_id, std::string_view sender_country,
                        ReceiptStatus status, const NodeKeys& recipient, int64_t received_at);

// Checks that `receipt` is one `partner_country` signed with `partner_sign_public` for
// `message_id` sent by `own_country`. InvalidArgument saying what is wrong otherwise.
Status VerifyReceipt(std::string_view receipt, std::string_view message_id,
                     std::string_view own_country, std::string_view partner_country,
                     std::string_view partner_sign_public);

}  // namespace entente::federation
