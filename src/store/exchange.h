#pragma once

// The federation's areas of the store (exchange_records.h): the partner registry, the messages
// sent and accepted, the outbox, the release notices. Readers from StoreReader::partners(),
// messages(), outbox() and notices(); writers inside Store::Write from WriteTxn's.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/exchange_records.h"

namespace entente::store {
namespace sql {
class Connector;
struct TxnLog;
}  // namespace sql

class PartnersReader {
 public:
  explicit PartnersReader(const sql::Connector& connector) : connector_(connector) {}
  PartnersReader(const PartnersReader&) = delete;
  PartnersReader& operator=(const PartnersReader&) = delete;

  // The partner of `country`, or the one whose certificate has `tls_fingerprint`; NotFound.
  Result<Partner> Get(std::string_view country) const;
  Result<Partner> FindByFingerprint(std::string_view tls_fingerprint) const;
  // Every partner, by country.
  Result<std::vector<Partner>> List() const;

 protected:
  const sql::Connector& connector_;
};

class Partners final : public PartnersReader {
 public:
  Partners(const sql::Connector& connector, sql::TxnLog& log)
      : PartnersReader(connector), log_(log) {}
  // Creates or replaces the partner of partner.country (created_at kept on replace).
  Status Put(const Partner& partner);
  // NotFound if absent.
  Status Delete(std::string_view country);

 private:
  sql::TxnLog& log_;
};

class MessagesReader {
 public:
  explicit MessagesReader(const sql::Connector& connector) : connector_(connector) {}
  MessagesReader(const MessagesReader&) = delete;
  MessagesReader& operator=(const MessagesReader&) = delete;

  // The message `id` sent (kOut) or accepted (kIn) by this node; NotFound otherwise.
  Result<StoredMessage> Get(std::string_view id, MessageDirection direction) const;
  Result<std::vector<StoredMessage>> List(const MessageQuery& query) const;
  // Cases by their last activity, most recent first, at most `limit` (index updates and key
  // rotations, between nodes, are left out).
  Result<std::vector<CaseSummary>> Cases(int limit) const;
  // Messages of `types` (federation type names) with a deadline before `date` (YYYY-MM-DD)
  // that no stored message answers (in_reply_to), in seq order.
  Result<std::vector<StoredMessage>> UnansweredBefore(std::string_view date,
                                                      const std::vector<std::string>& types) const;
  // The copies of record `ref` of `sender_country` this node holds, one per message.
  Result<std::vector<ReceivedRecord>> ReceivedCopies(std::string_view sender_country,
                                                     std::string_view ref) const;
  // The records received in message `message_id`.
  Result<std::vector<ReceivedRecord>> ReceivedIn(std::string_view message_id) const;
  // Copies not yet erased whose retention date is before `date` (YYYY-MM-DD), at most `limit`.
  Result<std::vector<ReceivedRecord>> ReceivedPastRetention(std::string_view date, int limit) const;

 protected:
  const sql::Connector& connector_;
};

class Messages final : public MessagesReader {
 public:
  Messages(const sql::Connector& connector, sql::TxnLog& log)
      : MessagesReader(connector), log_(log) {}
  // Stores a message and returns its seq; AlreadyExists if (id, direction) is stored.
  Result<int64_t> Insert(const StoredMessage& message);
  // Drops the bulk of index updates stored before `before` (microseconds) once they are done
  // with: the document of each one received (applied when it was accepted) or sent and
  // delivered to every recipient, and the sealed envelopes of its delivered outbox entries. The
  // rows stay (ids, types, times: the statistics and the audit's digests). Returns the
  // messages pruned.
  Result<int64_t> PruneIndexUpdates(int64_t before);
  // Lists a record received in full (received_at and updated_at set to now); a copy already
  // listed is left as it is.
  Status AddReceived(const ReceivedRecord& record);
  // Sets the state of every copy of `ref` of `sender_country`; returns how many changed.
  Result<int64_t> SetReceivedState(std::string_view sender_country, std::string_view ref,
                                   ReceivedState state);
  // Sets the state of one copy.
  Status SetCopyState(const ReceivedRecord& copy, ReceivedState state);
  // Replaces the document of a received message (a record corrected or erased by its owner);
  // NotFound if there is no such message.
  Status ReplaceDocument(std::string_view id, MessageDirection direction,
                         std::string_view document);

 private:
  sql::TxnLog& log_;
};

class OutboxReader {
 public:
  explicit OutboxReader(const sql::Connector& connector) : connector_(connector) {}
  OutboxReader(const OutboxReader&) = delete;
  OutboxReader& operator=(const OutboxReader&) = delete;

  Result<std::vector<OutboxEntry>> List(const OutboxQuery& query) const;
  // Entries per recipient and state, by recipient then state.
  Result<std::vector<OutboxCount>> Count() const;

 protected:
  const sql::Connector& connector_;
};

class Outbox final : public OutboxReader {
 public:
  Outbox(const sql::Connector& connector, sql::TxnLog& log) : OutboxReader(connector), log_(log) {}
  // Queues an envelope for a recipient (state pending, due at entry.next_attempt_at) and returns
  // its seq; AlreadyExists if that message is already queued for that recipient.
  Result<int64_t> Enqueue(const OutboxEntry& entry);
  // Records the receipt of a pending entry. NotFound if absent; FailedPrecondition if it is not
  // pending (a receipt is recorded once).
  Status MarkDelivered(int64_t seq, std::string_view receipt, int64_t at);
  // Records a failed attempt: attempts + 1, the error, and either the next attempt's time or,
  // when `give_up`, the state kFailed. NotFound if absent.
  Status MarkAttemptFailed(int64_t seq, std::string_view error, int64_t next_attempt_at,
                           bool give_up);
  // Puts a failed entry back in the queue, due at `at`. NotFound; FailedPrecondition unless it
  // is kFailed.
  Status Requeue(int64_t seq, int64_t at);

 private:
  sql::TxnLog& log_;
};

class NoticesReader {
 public:
  explicit NoticesReader(const sql::Connector& connector) : connector_(connector) {}
  NoticesReader(const NoticesReader&) = delete;
  NoticesReader& operator=(const NoticesReader&) = delete;

  // The notice of (subject, event kind, event date, partner); NotFound if none was sent.
  Result<ReleaseNotice> Get(std::string_view subject_id, std::string_view event_kind,
                            std::string_view event_date, std::string_view partner) const;
  // Notices by sent time; only unacknowledged ones when `unacknowledged_only`.
  Result<std::vector<ReleaseNotice>> List(bool unacknowledged_only, int limit) const;
  // How many notices no partner has acknowledged yet.
  Result<int64_t> CountUnacknowledged() const;

 protected:
  const sql::Connector& connector_;
};

class Notices final : public NoticesReader {
 public:
  explicit Notices(const sql::Connector& connector) : NoticesReader(connector) {}
  // AlreadyExists if a notice of the same event already went to that partner.
  Status Put(const ReleaseNotice& notice);
  // Marks the notice sent as message `message_id` acknowledged; NotFound if there is none;
  // a second acknowledgement keeps the first.
  Status Acknowledge(std::string_view message_id, int64_t at, std::string_view by);
};

}  // namespace entente::store
