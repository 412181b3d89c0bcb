#include "federation/message.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "common/json.h"
#include "common/utf8.h"
#include "federation/crypto.h"
#include "federation/index_update.h"
#include "federation/key_rotation.h"
#include "model/date.h"
#include "model/entity_json.h"
#include "model/validation.h"
#include "policy/principal.h"

namespace entente::federation {
namespace {

constexpr std::array<std::string_view, 11> kTypeNames = {
    "request",          "reply",          "spontaneous",  "alert",
    "hit_notification", "release_notice", "consultation", "acknowledgement",
    "index_update",     "record_notice",  "key_rotation"};
constexpr std::array<std::string_view, 3> kNoticeKindNames = {"correction", "restriction",
                                                              "erasure"};
constexpr std::array<std::string_view, 3> kPriorityNames = {"routine", "urgent", "immediate"};

bool IsHexId(std::string_view id, std::string_view prefix) {
  if (!id.starts_with(prefix) || id.size() != prefix.size() + 32) return false;
  return std::all_of(id.begin() + static_cast<std::ptrdiff_t>(prefix.size()), id.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status FieldError(std::string_view field, std::string_view message) {
  return InvalidArgument(std::string(field) + ": " + std::string(message));
}

Status CheckAgency(std::string_view field, std::string_view agency) {
  auto parsed = policy::AgencyId::Parse(agency);
  if (!parsed.ok()) return FieldError(field, parsed.status().message());
  if (parsed->ToString() != agency) {
    return FieldError(field, "write the agency as " + parsed->ToString());
  }
  return Status::Ok();
}

// "CC/node": a node as the party of an index update.
Status CheckNode(std::string_view field, std::string_view agency, std::string_view what) {
  const bool ok =
      agency.size() == 3 + kNodeAgencyKind.size() && agency[2] == '/' &&
      agency.substr(3) == kNodeAgencyKind &&
      std::all_of(agency.begin(), agency.begin() + 2, [](char c) { return c >= 'A' && c <= 'Z'; });
  return ok ? Status::Ok()
            : FieldError(field, std::string(what) + " goes from node to node (CC/node)");
}

// Reading JSON with the path of each field in errors.
class Reader {
 public:
  Reader(const nlohmann::json& object, std::string path)
      : object_(object), path_(std::move(path)) {}

  std::string Path(std::string_view field) const {
    return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
  }

  Status Text(std::string_view field, std::string* out, bool required) const {
    auto it = object_.find(field);
    if (it == object_.end() || it->is_null()) {
      return required ? FieldError(Path(field), "is required") : Status::Ok();
    }
    if (!it->is_string()) return FieldError(Path(field), "expected text");
    *out = it->get<std::string>();
    if (FindInvalidUtf8(*out).has_value()) return FieldError(Path(field), "is not valid UTF-8");
    return Status::Ok();
  }

  Status Int(std::string_view field, int64_t* out) const {
    auto it = object_.find(field);
    if (it == object_.end()) return FieldError(Path(field), "is required");
    if (!it->is_number_integer()) return FieldError(Path(field), "expected an integer");
    *out = it->get<int64_t>();
    return Status::Ok();
  }

  Status Bool(std::string_view field, bool* out) const {
    auto it = object_.find(field);
    if (it == object_.end() || it->is_null()) return Status::Ok();
    if (!it->is_boolean()) return FieldError(Path(field), "expected true or false");
    *out = it->get<bool>();
    return Status::Ok();
  }

  // The array `field` ([] when absent).
  Result<const nlohmann::json*> Array(std::string_view field) const {
    static const nlohmann::json kEmpty = nlohmann::json::array();
    auto it = object_.find(field);
    if (it == object_.end() || it->is_null()) return &kEmpty;
    if (!it->is_array()) return FieldError(Path(field), "expected an array");
    return &*it;
  }

 private:
  const nlohmann::json& object_;
  std::string path_;
};

}  // namespace

std::string_view MessageTypeName(MessageType type) { return kTypeNames[static_cast<size_t>(type)]; }

std::optional<MessageType> ParseMessageType(std::string_view text) {
  for (size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == text) return static_cast<MessageType>(i);
  }
  return std::nullopt;
}

std::string_view RecordNoticeKindName(RecordNoticeKind kind) {
  return kNoticeKindNames[static_cast<size_t>(kind)];
}

std::optional<RecordNoticeKind> ParseRecordNoticeKind(std::string_view text) {
  for (size_t i = 0; i < kNoticeKindNames.size(); ++i) {
    if (kNoticeKindNames[i] == text) return static_cast<RecordNoticeKind>(i);
  }
  return std::nullopt;
}

bool ExpectsAnswer(MessageType type) {
  return type == MessageType::kRequest || type == MessageType::kReleaseNotice ||
         type == MessageType::kConsultation;
}

std::string_view PriorityName(Priority priority) {
  return kPriorityNames[static_cast<size_t>(priority)];
}

std::optional<Priority> ParsePriority(std::string_view text) {
  for (size_t i = 0; i < kPriorityNames.size(); ++i) {
    if (kPriorityNames[i] == text) return static_cast<Priority>(i);
  }
  return std::nullopt;
}

std::vector<std::string> Message::RecipientCountries() const {
  std::set<std::string> countries;
  for (const std::string& r : recipients) countries.insert(r.substr(0, r.find('/')));
  return {countries.begin(), countries.end()};
}

std::string Message::SenderCountry() const {
  const size_t slash = sender.find('/');
  return slash == std::string::npos ? std::string() : sender.substr(0, slash);
}

std::string NodeAgency(std::string_view country) {
  return std::string(country) + "/" + std::string(kNodeAgencyKind);
}

std::string NewMessageId() { return "msg-" + RandomHex(16); }
std::string NewCaseId() { return "case-" + RandomHex(16); }
std::string NewHitId() { return "hit-" + RandomHex(16); }

Status ValidateMessage(const Message& m) {
  if (!IsHexId(m.id, "msg-")) return FieldError("id", "expected msg- and 32 hex digits");
  if (!IsHexId(m.case_id, "case-")) {
    return FieldError("case_id", "expected case- and 32 hex digits");
  }
  if (!m.in_reply_to.empty() && !IsHexId(m.in_reply_to, "msg-")) {
    return FieldError("in_reply_to", "expected msg- and 32 hex digits");
  }
  if ((m.type == MessageType::kReply || m.type == MessageType::kAcknowledgement) &&
      m.in_reply_to.empty()) {
    return FieldError("in_reply_to", std::string("a message of type ") +
                                         std::string(MessageTypeName(m.type)) +
                                         " must name the message it answers");
  }
  const bool index_update = m.type == MessageType::kIndexUpdate;
  const bool key_rotation = m.type == MessageType::kKeyRotation;
  const bool between_nodes = index_update || key_rotation;
  auto check_party = [&](std::string_view field, std::string_view party) {
    if (!between_nodes) return CheckAgency(field, party);
    return CheckNode(field, party, index_update ? "an index update" : "a key rotation");
  };
  ENTENTE_RETURN_IF_ERROR(check_party("sender", m.sender));
  if (index_update) {
    if (m.index_update.empty()) return FieldError("index_update", "is required");
    if (m.index_update.size() > kMaxIndexUpdateBytes) {
      return FieldError("index_update",
                        "larger than " + std::to_string(kMaxIndexUpdateBytes) + " bytes");
    }
    if (!m.subjects.empty() || !m.entities.empty() || !m.attachments.empty() || m.minors) {
      return FieldError("index_update", "an index update carries its codes only");
    }
  } else if (!m.index_update.empty()) {
    return FieldError("index_update", "only a message of type index_update carries one");
  }
  if (key_rotation) {
    if (!m.subjects.empty() || !m.entities.empty() || !m.attachments.empty() || m.minors) {
      return FieldError("body", "a key rotation carries the announced keys only");
    }
    ENTENTE_RETURN_IF_ERROR(ParseKeyAnnouncement(m.body, "body").status());
  }
  if (m.recipients.empty()) return FieldError("recipients", "at least one recipient is required");
  if (m.recipients.size() > kMaxRecipients) {
    return FieldError("recipients", "at most " + std::to_string(kMaxRecipients));
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < m.recipients.size(); ++i) {
    const std::string field = "recipients[" + std::to_string(i) + "]";
    ENTENTE_RETURN_IF_ERROR(check_party(field, m.recipients[i]));
    if (!seen.insert(m.recipients[i]).second) return FieldError(field, "named twice");
    if (m.recipients[i].substr(0, 2) == m.SenderCountry()) {
      return FieldError(field, "an agency of the sender's own country; messages go to partners");
    }
  }
  if (!m.deadline.empty()) {
    auto date = model::PartialDate::Parse(m.deadline);
    if (!date.ok() || date->precision() != model::PartialDate::Precision::kDay) {
      return FieldError("deadline", "expected a date YYYY-MM-DD");
    }
  }
  if (ExpectsAnswer(m.type) && m.type != MessageType::kReleaseNotice && m.deadline.empty()) {
    return FieldError("deadline", std::string("a ") + std::string(MessageTypeName(m.type)) +
                                      " needs a deadline for its answer");
  }
  if (m.created_at <= 0) return FieldError("created_at", "must be a positive time");
  if (m.handling_code == model::HandlingCode::kH3 && m.handling_restriction.empty()) {
    return FieldError("handling_restriction", "an H3 message states its restriction in words");
  }
  if (!m.source_reliability.empty() && !model::ParseSourceReliability(m.source_reliability)) {
    return FieldError("source_reliability", "expected A, B, C or X");
  }
  if (!m.information_accuracy.empty() && !model::ParseInformationAccuracy(m.information_accuracy)) {
    return FieldError("information_accuracy", "expected 1, 2, 3 or 4");
  }
  if (m.type == MessageType::kConsultation && !m.minors) {
    return FieldError("minors", "a consultation is held on a minor's case (minors: true)");
  }
  if (m.minors && !m.entities.empty()) {
    return FieldError("entities", "a minors' case carries references, never records");
  }
  if (m.type == MessageType::kReleaseNotice) {
    if (m.subjects.empty()) return FieldError("subjects", "a release notice names its subject");
    auto date = model::PartialDate::Parse(m.event_date);
    if (m.event_kind.empty()) return FieldError("event_kind", "a release notice names its event");
    if (!date.ok() || date->precision() != model::PartialDate::Precision::kDay) {
      return FieldError("event_date", "expected a date YYYY-MM-DD");
    }
  }
  for (size_t i = 0; i < m.subjects.size(); ++i) {
    const std::string field = "subjects[" + std::to_string(i) + "]";
    if (m.subjects[i].ref.empty()) return FieldError(field + ".ref", "is required");
    ENTENTE_RETURN_IF_ERROR(CheckAgency(field + ".owner", m.subjects[i].owner));
  }
  if (m.entities.size() > kMaxEntities) {
    return FieldError("entities", "at most " + std::to_string(kMaxEntities));
  }
  for (size_t i = 0; i < m.entities.size(); ++i) {
    if (m.entities[i].id.empty()) {
      return FieldError("entities[" + std::to_string(i) + "].id", "is required");
    }
  }
  if (m.body.size() > kMaxBodyBytes) {
    return FieldError("body", "longer than " + std::to_string(kMaxBodyBytes) + " bytes");
  }
  if (FindInvalidUtf8(m.body).has_value()) return FieldError("body", "is not valid UTF-8");
  if (m.attachments.size() > kMaxAttachments) {
    return FieldError("attachments", "at most " + std::to_string(kMaxAttachments));
  }
  size_t total = 0;
  for (size_t i = 0; i < m.attachments.size(); ++i) {
    const std::string field = "attachments[" + std::to_string(i) + "]";
    const Attachment& a = m.attachments[i];
    if (a.name.empty() || a.name.size() > 255 || a.name.find('/') != std::string::npos) {
      return FieldError(field + ".name", "a file name without '/', 1 to 255 bytes");
    }
    if (a.media_type.empty()) return FieldError(field + ".media_type", "is required");
    if (a.data.size() > kMaxAttachmentBytes) {
      return FieldError(field + ".data",
                        "larger than " + std::to_string(kMaxAttachmentBytes) + " bytes");
    }
    total += a.data.size();
  }
  if (total > kMaxAttachmentsTotalBytes) {
    return FieldError("attachments",
                      "larger than " + std::to_string(kMaxAttachmentsTotalBytes) + " bytes in all");
  }
  if (m.type == MessageType::kHitNotification) {
    if (m.hit_id.empty()) return FieldError("hit.id", "a hit notification names its hit");
    if (m.subjects.size() != 1 || !IsIndexReference(m.subjects[0].ref)) {
      return FieldError("subjects", "a hit notification names the one reference hit (ref-…)");
    }
    if (!(m.hit_score >= 0 && m.hit_score <= 1)) {
      return FieldError("hit.score", "expected a number between 0 and 1");
    }
  }
  if (!m.hit_id.empty()) {
    if (m.type != MessageType::kHitNotification && m.type != MessageType::kRequest) {
      return FieldError("hit", "only a hit notification or a follow-up request names a hit");
    }
    if (!IsHexId(m.hit_id, "hit-")) return FieldError("hit.id", "expected hit- and 32 hex digits");
  }
  if (m.type == MessageType::kRecordNotice) {
    const auto kind = ParseRecordNoticeKind(m.notice);
    if (!kind) return FieldError("notice", "expected correction, restriction or erasure");
    if (m.subjects.empty()) return FieldError("subjects", "a record notice names its records");
    if (*kind != RecordNoticeKind::kCorrection && !m.entities.empty()) {
      return FieldError("entities", "only a correction carries records");
    }
    for (size_t i = 0; i < m.entities.size(); ++i) {
      const bool named =
          std::any_of(m.subjects.begin(), m.subjects.end(),
                      [&](const SubjectRef& s) { return s.ref == m.entities[i].id; });
      if (!named) {
        return FieldError("entities[" + std::to_string(i) + "].id",
                          "a correction carries records of the subjects it names only");
      }
    }
  } else if (!m.notice.empty()) {
    return FieldError("notice", "only a message of type record_notice carries one");
  }
  if (m.legal_basis.kind.empty()) return FieldError("legal_basis.kind", "is required");
  return Status::Ok();
}

nlohmann::json MessageToJson(const Message& m) {
  nlohmann::json subjects = nlohmann::json::array();
  for (const SubjectRef& s : m.subjects) subjects.push_back({{"ref", s.ref}, {"owner", s.owner}});
  nlohmann::json entities = nlohmann::json::array();
  for (const model::Entity& e : m.entities) entities.push_back(model::EntityToJson(e));
  nlohmann::json attachments = nlohmann::json::array();
  for (const Attachment& a : m.attachments) {
    attachments.push_back(
        {{"name", a.name}, {"media_type", a.media_type}, {"data", Base64Encode(a.data)}});
  }
  nlohmann::json out = {
      {"v", 1},
      {"id", m.id},
      {"type", MessageTypeName(m.type)},
      {"case_id", m.case_id},
      {"in_reply_to", m.in_reply_to},
      {"sender", m.sender},
      {"recipients", m.recipients},
      {"priority", PriorityName(m.priority)},
      {"deadline", m.deadline},
      {"created_at", m.created_at},
      {"handling_code", model::HandlingCodeName(m.handling_code)},
      {"handling_restriction", m.handling_restriction},
      {"source_reliability", m.source_reliability},
      {"information_accuracy", m.information_accuracy},
      {"not_for_judicial_use", m.not_for_judicial_use},
      {"minors", m.minors},
      {"subjects", std::move(subjects)},
      {"entities", std::move(entities)},
      {"body", m.body},
      {"attachments", std::move(attachments)},
      {"legal_basis", {{"kind", m.legal_basis.kind}, {"reference", m.legal_basis.reference}}},
      {"event_kind", m.event_kind},
      {"event_date", m.event_date},
  };
  if (!m.hit_id.empty()) out["hit"] = {{"id", m.hit_id}, {"score", m.hit_score}};
  if (!m.index_update.empty()) out["index_update"] = Base64Encode(m.index_update);
  if (!m.notice.empty()) out["notice"] = m.notice;
  return out;
}

Result<Message> MessageFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return InvalidArgument("message: expected a JSON object");
  Reader r(json, "");
  Message m;
  int64_t version = 0;
  ENTENTE_RETURN_IF_ERROR(r.Int("v", &version));
  if (version != 1) return FieldError("v", "unknown message format version");
  std::string type, priority = "routine", handling = "H0";
  ENTENTE_RETURN_IF_ERROR(r.Text("id", &m.id, true));
  ENTENTE_RETURN_IF_ERROR(r.Text("type", &type, true));
  auto parsed_type = ParseMessageType(type);
  if (!parsed_type) return FieldError("type", "unknown message type " + type);
  m.type = *parsed_type;
  ENTENTE_RETURN_IF_ERROR(r.Text("case_id", &m.case_id, true));
  ENTENTE_RETURN_IF_ERROR(r.Text("in_reply_to", &m.in_reply_to, false));
  ENTENTE_RETURN_IF_ERROR(r.Text("sender", &m.sender, true));
  ENTENTE_ASSIGN_OR_RETURN(const nlohmann::json* recipients, r.Array("recipients"));
  for (size_t i = 0; i < recipients->size(); ++i) {
    if (!(*recipients)[i].is_string()) {
      return FieldError("recipients[" + std::to_string(i) + "]", "expected text");
    }
    m.recipients.push_back((*recipients)[i].get<std::string>());
  }
  ENTENTE_RETURN_IF_ERROR(r.Text("priority", &priority, false));
  auto parsed_priority = ParsePriority(priority);
  if (!parsed_priority) return FieldError("priority", "expected routine, urgent or immediate");
  m.priority = *parsed_priority;
  ENTENTE_RETURN_IF_ERROR(r.Text("deadline", &m.deadline, false));
  ENTENTE_RETURN_IF_ERROR(r.Int("created_at", &m.created_at));
  ENTENTE_RETURN_IF_ERROR(r.Text("handling_code", &handling, false));
  auto code = model::ParseHandlingCode(handling);
  if (!code) return FieldError("handling_code", "expected H0, H1, H2 or H3");
  m.handling_code = *code;
  ENTENTE_RETURN_IF_ERROR(r.Text("handling_restriction", &m.handling_restriction, false));
  ENTENTE_RETURN_IF_ERROR(r.Text("source_reliability", &m.source_reliability, false));
  ENTENTE_RETURN_IF_ERROR(r.Text("information_accuracy", &m.information_accuracy, false));
  ENTENTE_RETURN_IF_ERROR(r.Bool("not_for_judicial_use", &m.not_for_judicial_use));
  ENTENTE_RETURN_IF_ERROR(r.Bool("minors", &m.minors));
  ENTENTE_ASSIGN_OR_RETURN(const nlohmann::json* subjects, r.Array("subjects"));
  for (size_t i = 0; i < subjects->size(); ++i) {
    const std::string path = "subjects[" + std::to_string(i) + "]";
    if (!(*subjects)[i].is_object()) return FieldError(path, "expected an object");
    Reader s((*subjects)[i], path);
    SubjectRef ref;
    ENTENTE_RETURN_IF_ERROR(s.Text("ref", &ref.ref, true));
    ENTENTE_RETURN_IF_ERROR(s.Text("owner", &ref.owner, true));
    m.subjects.push_back(std::move(ref));
  }
  ENTENTE_ASSIGN_OR_RETURN(const nlohmann::json* entities, r.Array("entities"));
  for (size_t i = 0; i < entities->size(); ++i) {
    ENTENTE_ASSIGN_OR_RETURN(
        model::Entity entity,
        model::EntityFromJson((*entities)[i], "entities[" + std::to_string(i) + "]"));
    m.entities.push_back(std::move(entity));
  }
  ENTENTE_RETURN_IF_ERROR(r.Text("body", &m.body, false));
  ENTENTE_ASSIGN_OR_RETURN(const nlohmann::json* attachments, r.Array("attachments"));
  for (size_t i = 0; i < attachments->size(); ++i) {
    const std::string path = "attachments[" + std::to_string(i) + "]";
    if (!(*attachments)[i].is_object()) return FieldError(path, "expected an object");
    Reader a((*attachments)[i], path);
    Attachment attachment;
    std::string data;
    ENTENTE_RETURN_IF_ERROR(a.Text("name", &attachment.name, true));
    ENTENTE_RETURN_IF_ERROR(a.Text("media_type", &attachment.media_type, true));
    ENTENTE_RETURN_IF_ERROR(a.Text("data", &data, true));
    ENTENTE_ASSIGN_OR_RETURN(attachment.data, Base64Decode(data, a.Path("data")));
    m.attachments.push_back(std::move(attachment));
  }
  auto legal = json.find("legal_basis");
  if (legal == json.end() || !legal->is_object()) {
    return FieldError("legal_basis", "expected an object {kind, reference}");
  }
  Reader l(*legal, "legal_basis");
  ENTENTE_RETURN_IF_ERROR(l.Text("kind", &m.legal_basis.kind, true));
  ENTENTE_RETURN_IF_ERROR(l.Text("reference", &m.legal_basis.reference, false));
  ENTENTE_RETURN_IF_ERROR(r.Text("event_kind", &m.event_kind, false));
  ENTENTE_RETURN_IF_ERROR(r.Text("event_date", &m.event_date, false));
  if (auto hit = json.find("hit"); hit != json.end() && !hit->is_null()) {
    if (!hit->is_object()) return FieldError("hit", "expected an object {id, score}");
    Reader h(*hit, "hit");
    ENTENTE_RETURN_IF_ERROR(h.Text("id", &m.hit_id, true));
    auto score = hit->find("score");
    if (score == hit->end() || !score->is_number()) {
      return FieldError("hit.score", "expected a number between 0 and 1");
    }
    m.hit_score = score->get<double>();
  }
  std::string index_update;
  ENTENTE_RETURN_IF_ERROR(r.Text("index_update", &index_update, false));
  if (!index_update.empty()) {
    ENTENTE_ASSIGN_OR_RETURN(m.index_update, Base64Decode(index_update, "index_update"));
  }
  ENTENTE_RETURN_IF_ERROR(r.Text("notice", &m.notice, false));
  ENTENTE_RETURN_IF_ERROR(ValidateMessage(m));
  return m;
}

Result<Message> ParseMessage(std::string_view text) {
  nlohmann::json json = ParseJsonOrDiscarded(text);
  if (json.is_discarded()) return InvalidArgument("message: not valid JSON");
  return MessageFromJson(json);
}

}  // namespace entente::federation
