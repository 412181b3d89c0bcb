#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/exchange_records.h"
#include "store/sql_connection.h"

namespace entente::store::sql {

// The federation's queries (exchange_records.h), on one connection; SqlStore's reads and
// writes call them. Times are passed in (the store's clock).

Result<Partner> GetPartner(SqlConnection& c, std::string_view country);
Result<Partner> FindPartnerByFingerprint(SqlConnection& c, std::string_view fingerprint);
Result<std::vector<Partner>> ListPartners(SqlConnection& c);
Result<StoredMessage> GetMessage(SqlConnection& c, std::string_view id, MessageDirection direction);
Result<std::vector<StoredMessage>> ListMessages(SqlConnection& c, const MessageQuery& query);
Result<std::vector<CaseSummary>> ListCases(SqlConnection& c, int limit);
Result<std::vector<StoredMessage>> UnansweredBefore(SqlConnection& c, std::string_view date,
                                                    const std::vector<std::string>& types);
Result<std::vector<OutboxEntry>> ListOutbox(SqlConnection& c, const OutboxQuery& query);
Result<std::vector<OutboxCount>> CountOutbox(SqlConnection& c);
Result<ReleaseNotice> GetReleaseNotice(SqlConnection& c, std::string_view subject_id,
                                       std::string_view event_kind, std::string_view event_date,
                                       std::string_view partner);
Result<std::vector<ReleaseNotice>> ListReleaseNotices(SqlConnection& c, bool unacknowledged_only,
                                                      int limit);

Status PutPartner(SqlConnection& c, const Partner& partner, int64_t now);
Status DeletePartner(SqlConnection& c, std::string_view country);
Result<int64_t> InsertMessage(SqlConnection& c, const StoredMessage& message, int64_t now);
Result<int64_t> Enqueue(SqlConnection& c, const OutboxEntry& entry, int64_t now);
Status MarkDelivered(SqlConnection& c, int64_t seq, std::string_view receipt, int64_t at);
Status MarkAttemptFailed(SqlConnection& c, int64_t seq, std::string_view error,
                         int64_t next_attempt_at, bool give_up);
Status Requeue(SqlConnection& c, int64_t seq, int64_t at);
Status PutReleaseNotice(SqlConnection& c, const ReleaseNotice& notice);
Status AcknowledgeReleaseNotice(SqlConnection& c, std::string_view message_id, int64_t at,
                                std::string_view by);

}  // namespace entente::store::sql
