#include "federation/outbox.h"

#include <nlohmann/json.hpp>

#include "federation/envelope.h"
#include "federation/partner.h"

namespace entente::federation {

store::StoredMessage StoredFromMessage(const Message& m, store::MessageDirection direction,
                                       std::string document) {
  store::StoredMessage s;
  s.id = m.id;
  s.direction = direction;
  s.case_id = m.case_id;
  s.type = std::string(MessageTypeName(m.type));
  s.sender = m.sender;
  for (size_t i = 0; i < m.recipients.size(); ++i) {
    if (i > 0) s.recipients += ',';
    s.recipients += m.recipients[i];
  }
  s.in_reply_to = m.in_reply_to;
  s.priority = std::string(PriorityName(m.priority));
  s.deadline = m.deadline;
  s.handling_code = std::string(model::HandlingCodeName(m.handling_code));
  s.minors = m.minors;
  s.created_at = m.created_at;
  s.document = std::move(document);
  return s;
}

Result<std::string> PostMessage(store::WriteTxn& txn, const Message& message, const NodeKeys& keys,
                                int64_t now) {
  ENTENTE_RETURN_IF_ERROR(ValidateMessage(message));
  if (message.SenderCountry() != keys.country) {
    return InvalidArgument("sender: " + message.sender + " is not an agency of " + keys.country);
  }
  std::string document = MessageToJson(message).dump();
  ENTENTE_RETURN_IF_ERROR(
      txn.messages()
          .Insert(StoredFromMessage(message, store::MessageDirection::kOut, document))
          .status());
  for (const std::string& country : message.RecipientCountries()) {
    Result<store::Partner> partner = txn.partners().Get(country);
    if (!partner.ok()) {
      if (partner.status().code() == StatusCode::kNotFound) {
        return FailedPrecondition("recipient country " + country + " is not a registered partner");
      }
      return partner.status();
    }
    ENTENTE_ASSIGN_OR_RETURN(PartnerInfo info, DecodePartner(*partner));
    store::OutboxEntry entry;
    entry.message_id = message.id;
    entry.recipient = country;
    entry.envelope = SealMessage(document, keys, info.box_public);
    entry.next_attempt_at = now;
    ENTENTE_RETURN_IF_ERROR(txn.outbox().Enqueue(entry).status());
  }
  return document;
}

}  // namespace entente::federation
