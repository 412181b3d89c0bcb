#pragma once

// The report an oversight body asks for when it inspects a node over a period: who consulted
// personal data and how often (per user and per agency), what was refused and by which rule,
// what was sent to which partner under which legal basis, and every erasure (asked, confirmed,
// withdrawn, or done by the retention sweep). Read from the audit log alone.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "common/result.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// One user's accesses to personal data in the period.
struct UserActivity {
  std::string actor;
  std::string name;  // the user's display name, "" if none or unknown
  std::string agency;
  std::map<std::string, int64_t> consultations;  // allowed reads, by action name
  int64_t changes = 0;                           // allowed writes to the register
  int64_t refused = 0;
};

// Refusals of one kind: who, which action, which rule.
struct RefusalCount {
  std::string actor;
  std::string agency;
  std::string action;
  std::string rule;
  int64_t count = 0;
};

// What went to one partner agency under one legal basis.
struct TransferCount {
  std::string recipient;                    // "FR/police"
  std::string legal_basis;                  // "<kind>: <reference>"
  std::map<std::string, int64_t> messages;  // distinct messages, by type
  int64_t with_records = 0;                 // messages that carried records (not only references)
  int64_t subjects = 0;                     // this node's subjects named (entries of the messages)
};

// One step of an erasure.
struct ErasureStep {
  int64_t seq = 0;
  int64_t at = 0;
  std::string subject_id;
  std::string actor;
  std::string operation;  // request_erasure, erase, withdraw_erasure, retention
  std::string reason;
  std::string requested_by;  // for a confirmed erasure: the first supervisor
};

struct AuditReport {
  int64_t from_micros = 0;
  int64_t to_micros = 0;
  int64_t entries = 0;
  std::vector<UserActivity> users;       // by agency, then actor
  std::vector<RefusalCount> refusals;    // by count, most first
  std::vector<TransferCount> transfers;  // by recipient, then legal basis
  std::vector<ErasureStep> erasures;     // in log order
  // Totals per agency: allowed consultations and refusals.
  std::map<std::string, std::pair<int64_t, int64_t>> agencies;
};

// Builds a report from entries added one by one (in log order), so that a long period is read
// page by page. Pure.
class AuditReportBuilder {
 public:
  void Add(const store::AuditEntry& entry);
  // The report; `names` maps user ids to display names.
  AuditReport Build(int64_t from_micros, int64_t to_micros,
                    const std::map<std::string, std::string>& names) const;

 private:
  struct TransferKey {
    std::string recipient;
    std::string legal_basis;
    auto operator<=>(const TransferKey&) const = default;
  };
  struct Transfer {
    std::map<std::string, std::string> messages;  // message id -> type
    std::set<std::string> with_records;           // message ids
    int64_t subjects = 0;
  };
  int64_t entries_ = 0;
  std::map<std::pair<std::string, std::string>, UserActivity> users_;  // (agency, actor)
  std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t> refusals_;
  std::map<TransferKey, Transfer> transfers_;
  std::vector<ErasureStep> erasures_;
};

// Reads every entry with from <= at < to and summarises it, as `caller` (auditors: the read is
// itself audited as read_audit_log, with the period). InvalidArgument when to <= from.
Result<AuditReport> BuildAuditReport(store::Store& store, const Caller& caller, int64_t from_micros,
                                     int64_t to_micros);

}  // namespace entente::service
