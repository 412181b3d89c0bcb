#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace entente::store {

// The federation's records as the store keeps them: partners, messages, the outbox and release
// notices. Plain value types; the federation layer gives them meaning (federation/).

// A partner node: its country, where to reach it and its public keys. rules_json is the
// policy::SharingRules of transfers to it, as the federation layer writes them.
struct Partner {
  std::string country;          // ISO alpha-2, uppercase; the key
  std::string url;              // https://host:port of its federation endpoint
  std::string sign_public_key;  // Ed25519, base64
  std::string box_public_key;   // X25519, base64
  std::string tls_certificate;  // PEM of the certificate it presents (pinned)
  std::string tls_fingerprint;  // SHA-256 of that certificate (DER), hex pairs joined by ':'
  std::string rules_json = "{}";
  // The keys it announced for next and those it used before, during their grace period
  // (federation::PartnerKeyRotation as JSON).
  std::string key_rotation_json = "{}";
  int64_t created_at = 0;  // set by PutPartner
  int64_t updated_at = 0;
  friend bool operator==(const Partner&, const Partner&) = default;
};

enum class MessageDirection { kOut = 0, kIn = 1 };

// A message this node sent (kOut) or accepted (kIn). A message id is unique per direction:
// accepting the same id twice is refused (the inbox accepts a message once).
struct StoredMessage {
  int64_t seq = 0;  // assigned by InsertMessage; orders messages as this node stored them
  std::string id;
  MessageDirection direction = MessageDirection::kOut;
  std::string case_id;
  std::string type;           // federation::MessageTypeName
  std::string sender;         // CC/kind
  std::string recipients;     // CC/kind values joined by ','
  std::string in_reply_to;    // "" when the message answers none
  std::string priority;       // "routine", "urgent", "immediate"
  std::string deadline;       // YYYY-MM-DD, "" for none
  std::string handling_code;  // H0..H3 of the message as a whole
  bool minors = false;        // part of a minors' case
  int64_t created_at = 0;     // the message's own time (the sender's clock)
  int64_t stored_at = 0;      // set by InsertMessage, from the store's clock
  std::string document;       // the message JSON as signed by its sender
  friend bool operator==(const StoredMessage&, const StoredMessage&) = default;
};

// What became of a record received from a partner: as sent, restricted by its owner (kept,
// shown to no one), or erased (its content removed from the messages that carried it).
enum class ReceivedState { kActive = 0, kRestricted = 1, kErased = 2 };

// One record a partner sent in full in one message: the copy this node holds.
struct ReceivedRecord {
  std::string sender_country;
  std::string ref;  // the record's id in its owner's register
  std::string message_id;
  int64_t received_at = 0;
  std::string retention_date;  // YYYY-MM-DD: erased the day after
  ReceivedState state = ReceivedState::kActive;
  int64_t updated_at = 0;
  friend bool operator==(const ReceivedRecord&, const ReceivedRecord&) = default;
};

// Which messages to list; empty fields match anything. In seq order after after_seq.
struct MessageQuery {
  std::optional<MessageDirection> direction;
  std::string case_id;
  std::string in_reply_to;
  std::string type;
  int64_t after_seq = 0;
  int limit = 100;
};

// A case as its messages show it.
struct CaseSummary {
  std::string case_id;
  int64_t messages = 0;
  int64_t first_at = 0;  // stored_at of its first and last message
  int64_t last_at = 0;
  bool minors = false;
  std::string first_type;  // the type of the message that opened it
  friend bool operator==(const CaseSummary&, const CaseSummary&) = default;
};

enum class OutboxState { kPending = 0, kDelivered = 1, kFailed = 2 };
// "pending", "delivered", "failed".
std::string_view OutboxStateName(OutboxState state);
std::optional<OutboxState> ParseOutboxState(std::string_view text);

// One message on its way to one partner: the sealed envelope, and how delivery goes. A
// recipient's entries are delivered in seq order.
struct OutboxEntry {
  int64_t seq = 0;  // assigned by Enqueue
  std::string message_id;
  std::string recipient;  // partner country
  std::string envelope;   // federation::Envelope JSON
  OutboxState state = OutboxState::kPending;
  int64_t attempts = 0;
  int64_t next_attempt_at = 0;  // microseconds; due when <= now
  std::string last_error;
  int64_t created_at = 0;  // set by Enqueue
  int64_t delivered_at = 0;
  std::string receipt;  // the recipient's signed receipt, once delivered
  friend bool operator==(const OutboxEntry&, const OutboxEntry&) = default;
};

// Which outbox entries to list; empty fields match anything. In seq order after after_seq.
struct OutboxQuery {
  std::optional<OutboxState> state;
  std::string recipient;
  std::string message_id;
  int64_t after_seq = 0;
  int limit = 100;
};

// How many entries a recipient has in a state, and the oldest of them.
struct OutboxCount {
  std::string recipient;
  OutboxState state = OutboxState::kPending;
  int64_t count = 0;
  int64_t oldest_created_at = 0;
  friend bool operator==(const OutboxCount&, const OutboxCount&) = default;
};

// A release notice sent to one partner about one custody event, and its acknowledgement.
struct ReleaseNotice {
  std::string subject_id;
  std::string event_kind;  // CustodyEvent::kind
  std::string event_date;  // its start date
  std::string partner;     // country
  std::string message_id;
  std::string case_id;
  int64_t sent_at = 0;
  int64_t acknowledged_at = 0;  // 0 until acknowledged
  std::string acknowledged_by;  // CC/kind of the acknowledging agency
  friend bool operator==(const ReleaseNotice&, const ReleaseNotice&) = default;
};

}  // namespace entente::store
