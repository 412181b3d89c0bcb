#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "model/entity.h"
#include "model/vocabulary.h"

namespace entente::federation {

// The kinds of message nodes exchange (docs/federation.md).
enum class MessageType {
  kRequest,          // a request for information; expects a reply by its deadline
  kReply,            // answers a request (in_reply_to)
  kSpontaneous,      // information sent unasked
  kAlert,            // urgent warning about a subject
  kHitNotification,  // tells an owner its register was hit by a partner's screening
  kReleaseNotice,    // a listed prisoner's release or leave is near; expects an acknowledgement
  kConsultation,     // a multi-agency consultation on a returning minor's case; expects replies
  kAcknowledgement,  // acknowledges a release notice or an alert (in_reply_to)
  kIndexUpdate,      // a part of the sender's encoded index for hit/no-hit (index_update.h),
                     // from node to node ("CC/node")
  kRecordNotice,     // a record sent before was corrected, restricted or erased by its owner:
                     // the recipient applies it to the copy it holds (LED Art. 16)
  kKeyRotation,      // the sender's next keys (key_rotation.h), in body, node to node
};
// "request", "reply", "spontaneous", "alert", "hit_notification", "release_notice",
// "consultation", "acknowledgement", "index_update", "record_notice", "key_rotation".
std::string_view MessageTypeName(MessageType type);
std::optional<MessageType> ParseMessageType(std::string_view text);
// Whether the sender waits for an answer (a reply or an acknowledgement) by the deadline.
bool ExpectsAnswer(MessageType type);

enum class Priority { kRoutine, kUrgent, kImmediate };
std::string_view PriorityName(Priority priority);  // "routine", "urgent", "immediate"
std::optional<Priority> ParsePriority(std::string_view text);

// A subject of the sender's register the message is about: its id there and its owner agency.
// An opaque reference, no personal data.
struct SubjectRef {
  std::string ref;
  std::string owner;  // CC/kind
  friend bool operator==(const SubjectRef&, const SubjectRef&) = default;
};

struct Attachment {
  std::string name;
  std::string media_type;
  std::string data;  // the bytes (base64 in JSON)
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// Limits a node enforces on what it sends and accepts.
inline constexpr size_t kMaxBodyBytes = size_t{64} * 1024;
inline constexpr size_t kMaxAttachments = 8;
inline constexpr size_t kMaxAttachmentBytes = size_t{512} * 1024;
inline constexpr size_t kMaxAttachmentsTotalBytes = size_t{2} * 1024 * 1024;
inline constexpr size_t kMaxEntities = 50;
inline constexpr size_t kMaxRecipients = 16;
// An index update travels between nodes, not agencies: its sender and recipients are "CC/node".
inline constexpr std::string_view kNodeAgencyKind = "node";
// "CC/node".
std::string NodeAgency(std::string_view country);

// The legal basis a transfer rests on (policy::LegalBasisName) and the instrument it cites.
struct LegalBasisRecord {
  std::string kind;
  std::string reference;
  friend bool operator==(const LegalBasisRecord&, const LegalBasisRecord&) = default;
};

// One message between agencies of partner countries. What is signed is the JSON of this value
// (MessageToJson), so every field travels authenticated.
struct Message {
  std::string id;  // "msg-" + 32 hex digits, unique
  MessageType type = MessageType::kSpontaneous;
  std::string case_id;                  // "case-" + 32 hex digits; a new case or one already open
  std::string in_reply_to;              // id of the message answered; "" when none
  std::string sender;                   // CC/kind of the sending agency
  std::vector<std::string> recipients;  // CC/kind of each receiving agency
  Priority priority = Priority::kRoutine;
  std::string deadline;    // YYYY-MM-DD, "" for none
  int64_t created_at = 0;  // microseconds since the epoch, the sender's clock
  model::HandlingCode handling_code = model::HandlingCode::kH0;
  std::string handling_restriction;   // the words of an H3 restriction
  std::string source_reliability;     // evaluation codes: A, B, C, X ("" when not evaluated)
  std::string information_accuracy;   // 1..4
  bool not_for_judicial_use = false;  // H1 marking carried from the records sent
  bool minors = false;                // part of a minors' case: stricter rules apply
  std::vector<SubjectRef> subjects;
  std::vector<model::Entity> entities;  // records sent in full (FollowTheMoney)
  std::string body;
  std::vector<Attachment> attachments;
  LegalBasisRecord legal_basis;
  // For a release notice: the event (kind, date) and the establishment.
  std::string event_kind;
  std::string event_date;
  // For a hit notification: the hit ("hit-" + 32 hex) and its score in 0..1; a follow-up request
  // names the hit it follows (its subject is then the owner's opaque reference).
  std::string hit_id;
  double hit_score = 0;
  // For an index update: its binary form (SerializeIndexUpdate; base64 in JSON).
  std::string index_update;
  // For a record notice: what became of the records named in subjects (RecordNoticeKind
  // names); a correction may carry the corrected records in entities.
  std::string notice;

  // The countries of the recipients, sorted, without duplicates.
  std::vector<std::string> RecipientCountries() const;
  // The country of the sender ("" if sender is malformed).
  std::string SenderCountry() const;
};

// What a record notice says of the records it names.
enum class RecordNoticeKind { kCorrection, kRestriction, kErasure };
std::string_view RecordNoticeKindName(
    RecordNoticeKind kind);  // "correction", "restriction", "erasure"
std::optional<RecordNoticeKind> ParseRecordNoticeKind(std::string_view text);

// A fresh message or case id from the system's random source ("msg-…", "case-…").
std::string NewMessageId();
std::string NewCaseId();
std::string NewHitId();  // "hit-" + 32 hex

// Every rule a message must keep: ids, type, agencies, dates, codes, sizes and the type's own
// requirements (a reply names what it answers, a release notice its event, an H3 message its
// restriction). InvalidArgument naming the field ("recipients[1]: ...") otherwise.
Status ValidateMessage(const Message& message);

// The JSON of a message (docs/federation.md), with fields in a fixed order.
nlohmann::json MessageToJson(const Message& message);
// Reads and validates a message; InvalidArgument naming the field at fault.
Result<Message> MessageFromJson(const nlohmann::json& json);
Result<Message> ParseMessage(std::string_view text);

}  // namespace entente::federation
