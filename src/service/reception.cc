#include "service/reception.h"

#include <nlohmann/json.hpp>

#include "federation/crypto.h"
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
      default:
        return Status::Ok();
    }
  };
}

}  // namespace entente::service
