#include "service/reception.h"

#include <nlohmann/json.hpp>

#include "federation/crypto.h"
#include "federation/key_rotation.h"
#include "service/exchange_audit.h"
#include "service/hits.h"
#include "service/partner_indexes.h"
#include "service/record_notices.h"

namespace entente::service {

using federation::Message;
using federation::MessageType;

federation::AcceptHook ReceptionHook() {
  return [](store::WriteTxn& txn, const federation::OpenedEnvelope& opened, int64_t stored_seq,
            int64_t accepted_at) -> Status {
    const Message& m = opened.message;
    nlohmann::json subjects = nlohmann::json::array();
    for (const federation::SubjectRef& s : m.subjects) subjects.push_back(s.ref);
    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(SystemRecord(
        "partner:" + opened.from, m.sender, "receive_message", "", "delivery by a partner node",
        nlohmann::json{{"outcome", "accepted"},
                       {"message_id", m.id},
                       {"case_id", m.case_id},
                       {"type", federation::MessageTypeName(m.type)},
                       {"recipients", m.recipients},
                       {"subjects", subjects},
                       {"stored_seq", stored_seq},
                       {"data_digest", federation::Digest(opened.document)}})));
    ENTENTE_RETURN_IF_ERROR(RecordReceivedCopies(txn, m, opened.from, accepted_at));
    if (m.type == MessageType::kAcknowledgement && !m.in_reply_to.empty()) {
      Status marked = txn.notices().Acknowledge(m.in_reply_to, m.created_at, m.sender);
      if (!marked.ok() && marked.code() != StatusCode::kNotFound) return marked;
    }
    switch (m.type) {
      case MessageType::kIndexUpdate:
        return ApplyIndexUpdate(txn, m, opened.from, accepted_at);
      case MessageType::kHitNotification:
        return RecordIncomingHit(txn, m, opened.from, accepted_at);
      case MessageType::kRequest:
        return RecordFollowUps(txn, m, opened.from, accepted_at);
      case MessageType::kRecordNotice:
        return ApplyRecordNotice(txn, m, opened.from);
      case MessageType::kKeyRotation: {
        ENTENTE_RETURN_IF_ERROR(federation::ApplyKeyAnnouncement(txn, m, opened.from, accepted_at));
        auto announced = federation::ParseKeyAnnouncement(m.body, "body");
        return txn.audit().Append(
            SystemRecord("partner:" + opened.from, m.sender, "partner_keys_announced", "",
                         "key rotation announced by a partner node",
                         nlohmann::json{{"outcome", "accepted"},
                                        {"message_id", m.id},
                                        {"signing_public_key", announced->next.sign_public_key},
                                        {"tls_fingerprint", announced->next.tls_fingerprint},
                                        {"grace_days", announced->grace_days}}));
      }
      default:
        return Status::Ok();
    }
  };
}

}  // namespace entente::service
