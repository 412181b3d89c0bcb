#pragma once

// The audit log: append-only and hash-chained. Readers from StoreReader::audit(); the one write,
// Append, inside Store::Write from WriteTxn::audit(). The whole chain is verified by
// Store::VerifyAuditChain.

#include <vector>

#include "common/result.h"
#include "common/status.h"
#include "store/records.h"

namespace entente::store {
namespace sql {
class Connector;
struct TxnLog;
}  // namespace sql

class AuditReader {
 public:
  explicit AuditReader(const sql::Connector& connector) : connector_(connector) {}
  AuditReader(const AuditReader&) = delete;
  AuditReader& operator=(const AuditReader&) = delete;

  // Entries matching `query`, in seq order.
  Result<std::vector<AuditEntry>> Read(const AuditQuery& query) const;
  // How many entries match `query`'s filters, whatever its limit.
  Result<int64_t> Count(const AuditQuery& query) const;
  // The last entry (the head of the chain); NotFound when the log is empty.
  Result<AuditEntry> Last() const;

 protected:
  const sql::Connector& connector_;
};

class Audit final : public AuditReader {
 public:
  Audit(const sql::Connector& connector, sql::TxnLog& log) : AuditReader(connector), log_(log) {}

  // Appends an entry; it is chained and stored when the transaction commits, and dropped with
  // it otherwise. Every text is kept as valid UTF-8 (invalid bytes become U+FFFD). There is no
  // way to change or remove an entry.
  Status Append(const AuditRecord& record);

 private:
  sql::TxnLog& log_;
};

}  // namespace entente::store
