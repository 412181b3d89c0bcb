#pragma once

// What the store's SQL files share, never included outside src/store: where a query gets its
// connection (Connector), what a transaction keeps until it commits (TxnLog), the numbers every
// enum is stored as (Code, Decode), and small helpers.

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "common/status.h"
#include "store/exchange_records.h"
#include "store/hit_records.h"
#include "store/records.h"
#include "store/sql_connection.h"

namespace entente::store::sql {

// Where an area's queries run: a connection of the store's pool for reads outside a
// transaction, or the transaction's own connection (which sees its uncommitted writes).
class Connector {
 public:
  virtual ~Connector() = default;
  virtual Status With(const std::function<Status(SqlConnection&)>& fn) const = 0;
};

// `f(connection)` through `connector`, its Result passed back.
template <typename T, typename F>
Result<T> Run(const Connector& connector, F&& f) {
  std::optional<Result<T>> out;
  const Status status = connector.With([&](SqlConnection& c) {
    out.emplace(f(c));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return std::move(*out);
}

// What a write transaction keeps in memory until it commits: the changes of the feed and the
// audit entries, numbered and chained just before COMMIT (SqlWriteTxn::Flush).
struct TxnLog {
  explicit TxnLog(const Clock& c) : clock(c) {}
  const Clock& clock;
  std::vector<Change> changes;
  std::vector<AuditEntry> audit;
};

// ---- The numbers enums are stored as: the enums' own values, checked when read back. -------

template <typename E>
struct EnumCodes;
template <>
struct EnumCodes<SubjectState> {
  static constexpr std::string_view kName = "subject state";
  static constexpr std::array kAll = {SubjectState::kActive, SubjectState::kRestricted,
                                      SubjectState::kErased};
};
template <>
struct EnumCodes<ChangeKind> {
  static constexpr std::string_view kName = "change kind";
  static constexpr std::array kAll = {ChangeKind::kPut, ChangeKind::kDelete, ChangeKind::kState};
};
template <>
struct EnumCodes<MessageDirection> {
  static constexpr std::string_view kName = "message direction";
  static constexpr std::array kAll = {MessageDirection::kOut, MessageDirection::kIn};
};
template <>
struct EnumCodes<OutboxState> {
  static constexpr std::string_view kName = "outbox state";
  static constexpr std::array kAll = {OutboxState::kPending, OutboxState::kDelivered,
                                      OutboxState::kFailed};
};
template <>
struct EnumCodes<ReceivedState> {
  static constexpr std::string_view kName = "received record state";
  static constexpr std::array kAll = {ReceivedState::kActive, ReceivedState::kRestricted,
                                      ReceivedState::kErased};
};
template <>
struct EnumCodes<HitDirection> {
  static constexpr std::string_view kName = "hit direction";
  static constexpr std::array kAll = {HitDirection::kOut, HitDirection::kIn};
};

// The number `value` is stored as.
template <typename E>
int64_t Code(E value) {
  return static_cast<int64_t>(value);
}

// The value stored as `code`; Internal (a damaged database) for a number no value has.
template <typename E>
Result<E> Decode(int64_t code) {
  for (const E value : EnumCodes<E>::kAll) {
    if (Code(value) == code) return value;
  }
  return Internal("stored " + std::string(EnumCodes<E>::kName) + " " + std::to_string(code) +
                  " is not one this program knows");
}

// ---- Helpers ---------------------------------------------------------------------------------

// A text parameter.
inline SqlValue Text(std::string_view text) { return std::string(text); }

// InvalidArgument unless a listing's limit is positive.
inline Status CheckLimit(int limit) {
  if (limit <= 0) return InvalidArgument("limit must be positive, got " + std::to_string(limit));
  return Status::Ok();
}

// "INSERT INTO table (columns) VALUES ($1,..),(..)" for `rows` rows of `width` parameters.
std::string MultiRowInsert(std::string_view head, size_t width, size_t rows,
                           std::string_view tail = "");

// Rows per multi-row INSERT.
inline constexpr size_t kInsertChunk = 200;

// The single integer a query returns (COUNT, MAX...), read from its column `column`.
Result<int64_t> QueryInt(SqlConnection& c, std::string_view sql,
                         const std::vector<SqlValue>& params, std::string_view column);

// The audit log's columns, in the order of its INSERT, and entries read back by name.
inline constexpr std::string_view kAuditColumns =
    "seq, at, actor, actor_agency, action, subject_id, justification, on_behalf_of, details, "
    "prev_hash, hash";
std::vector<AuditEntry> AuditFromRows(const SqlRows& rows);

}  // namespace entente::store::sql
