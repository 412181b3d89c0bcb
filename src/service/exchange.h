#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "federation/inbox.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// What the exchange with partners needs of the node: its keys (the country among them), its
// clock, and a way to tell the delivery worker there is mail (may be empty).
struct ExchangeContext {
  const federation::NodeKeys* keys = nullptr;
  const Clock* clock = nullptr;
  std::function<void()> wake;
};

// A message as a user writes it. The service fills in the sender (the user's agency), ids, the
// time, the handling code (the highest of the records and the draft) and the legal basis (from
// the recipients' registry entries).
struct MessageDraft {
  federation::MessageType type = federation::MessageType::kSpontaneous;
  std::string case_id;      // "" opens a new case; an answer joins the case of what it answers
  std::string in_reply_to;  // a received message's id, for a reply or an acknowledgement
  std::vector<std::string> recipients;  // CC/kind of partner agencies
  federation::Priority priority = federation::Priority::kRoutine;
  std::string deadline;  // YYYY-MM-DD
  // Subjects of this register the message concerns: sent as references, or in full when
  // include_records (each under the sharing rules of every recipient country).
  std::vector<std::string> subject_ids;
  bool include_records = false;
  // Partners' opaque references quoted as they are (a follow-up of a hit): no personal data.
  std::vector<federation::SubjectRef> quoted;
  std::string hit_id;  // the hit a follow-up request follows
  // The provider's permission for records whose handling code needs it (H2, H3, or above a
  // partner's maximum), and the originating state's authorisation for records it provided.
  bool provider_permission = false;
  bool originator_authorised = false;
  model::HandlingCode handling_code = model::HandlingCode::kH0;
  std::string handling_restriction;
  std::string source_reliability;
  std::string information_accuracy;
  bool minors = false;  // a minors' case (a consultation always is)
  std::string body;
  std::vector<federation::Attachment> attachments;
};

struct SentMessage {
  std::string id;
  std::string case_id;
  std::vector<std::string> countries;  // where it was queued
  bool not_for_judicial_use = false;
  std::string restriction_to_show;
};

// Sends a message to partners: the caller must be allowed to exchange
// (policy::AuthorizeExchange), each recipient country must be a registered partner, and each
// subject must pass policy::DecideTransfer for each country (references or records). The message
// is written, sealed for each country into the outbox and audited (one entry per subject, or one
// for the message, with the recipients, the legal basis and the digest of the data sent) in one
// transaction. A refusal is audited and returned naming the rule, the subject and the country.
// `also`, when given, runs in the same transaction once the message is posted (what the sending
// records besides the message: a hit's follow-up, a decision).
using AlsoInTransaction =
    std::function<Status(store::WriteTxn& txn, const federation::Message& message)>;
Result<SentMessage> SendMessage(store::Store& store, const ExchangeContext& exchange,
                                const Caller& caller, const MessageDraft& draft,
                                const AlsoInTransaction& also = nullptr);

// A message as a party to it reads it.
struct MessageView {
  store::StoredMessage stored;
  federation::Message message;
};

// Reads a message the caller's agency sent or received (audited, with the justification). A
// minors' case needs the designation. NotFound if the message does not exist or the caller's
// agency is not a party to it (the same answer, so as not to reveal it).
Result<MessageView> ReadMessage(store::Store& store, const Caller& caller, std::string_view id);

// The messages of a case the caller's agency is a party to, in order (audited once).
Result<std::vector<MessageView>> ReadCase(store::Store& store, const Caller& caller,
                                          std::string_view case_id);

// A case as listed: no personal data.
struct CaseListing {
  store::CaseSummary summary;
  std::vector<std::string> overdue_message_ids;  // answers owed or awaited past their deadline
};

// The node's cases, most recent first; minors' cases only for designated users.
Result<std::vector<CaseListing>> ListCases(store::Store& store, const Caller& caller, int limit);

// A message that expects an answer (a request, a consultation, a release notice) and has none
// past its deadline: awaited from a partner (kOut) or owed to one (kIn).
Result<std::vector<store::StoredMessage>> OverdueAnswers(const store::StoreReader& store,
                                                         std::string_view today);

// Acknowledges a received release notice or alert: sends an acknowledgement to its sender.
Result<SentMessage> Acknowledge(store::Store& store, const ExchangeContext& exchange,
                                const Caller& caller, std::string_view message_id);

// The node's administration (the outbox, the partner registry, the encoded indexes) is for this
// node's administrators (docs/policy.md): PermissionDenied otherwise.
Status CheckNodeAdministration(const Caller& caller);

// Registers (or updates) a partner, on behalf of an administrator of this node
// (CheckNodeAdministration), audited as "manage_partners" with its address, certificate and
// rules; a refusal is audited too. InvalidArgument for the node's own country.
Status RegisterPartner(store::Store& store, const Caller& caller, const store::Partner& partner);
// Removes a partner (NotFound if absent), likewise.
Status RemovePartner(store::Store& store, const Caller& caller, std::string_view country);

// Puts an outbox entry refused for good back in its partner's queue, due now, and audits it
// (action "requeue_message"). Administrators of this node only; NotFound, or
// FailedPrecondition unless the entry has failed.
Status RequeueOutboxEntry(store::Store& store, const ExchangeContext& exchange,
                          const Caller& caller, int64_t seq);

}  // namespace entente::service
