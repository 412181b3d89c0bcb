#pragma once

// Data-subject rights carried to partners (Law Enforcement Directive, Art. 16): when a record
// this node sent in full is corrected, restricted or erased, every partner agency that received
// it is sent a signed record notice, in the transaction of the change; the recipient node
// applies it to the copies it holds. Records received in full are listed as copies held, with
// the retention date the rules give them, and erased past it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "model/entity.h"
#include "service/access.h"
#include "service/outgoing.h"
#include "store/store.h"

namespace entente::service {

// The partner agencies ("FR/police") that received subject `subject_id` in full, as the audit
// log records them (send_message entries with content "records"), each once, sorted.
Result<std::vector<std::string>> PastRecipients(store::WriteTxn& txn, std::string_view subject_id);

// What changed of a record and who changed it, for its notices.
struct RecordChange {
  federation::RecordNoticeKind kind = federation::RecordNoticeKind::kCorrection;
  std::string subject_id;
  std::string owner_agency;  // the record's owner, as stored before the change
  // For a correction: the record as it now stands, and the caller whose rules decide whether
  // it may travel (when it may not, the notice says the copy is outdated, without the record).
  const model::Entity* corrected = nullptr;
  const Caller* caller = nullptr;
};

// Sends a record notice about `change`, in `txn`, to every past recipient: one message per
// recipient country, signed and queued (receipts as for any message), audited as sent by
// `sender`. Returns the countries notified. Does nothing for a record never sent in full.
Result<std::vector<std::string>> NotifyPastRecipients(store::WriteTxn& txn,
                                                      const federation::NodeKeys& keys, int64_t now,
                                                      const Sender& sender,
                                                      const RecordChange& change);

// Lists each record a received message carries in full as a copy held (from: the sender's
// country), kept until policy::ReceivedRetentionDate.
Status RecordReceivedCopies(store::WriteTxn& txn, const federation::Message& message,
                            std::string_view from, int64_t accepted_at);

// Applies a record notice from `from` to the copies held: a correction replaces the record in
// the messages that carried it (or, without the record, restricts the copies as outdated), a
// restriction hides the copies, an erasure removes them from the messages. Audited with actor
// "partner:CC". A notice about a record this node never received changes nothing.
Status ApplyRecordNotice(store::WriteTxn& txn, const federation::Message& notice,
                         std::string_view from);

// Erases the copies held past their retention date (`today`, YYYY-MM-DD), audited with actor
// "system:retention". Returns how many were erased.
Result<int64_t> EraseReceivedPastRetention(store::Store& store, std::string_view today);

// The entities of a received message as its reader may see them: restricted copies are replaced
// by their id and schema and a note; erased ones were removed when the notice came.
Result<std::vector<model::Entity>> VisibleEntities(const store::StoreReader& store,
                                                   const federation::Message& message,
                                                   store::MessageDirection direction);

}  // namespace entente::service
