#pragma once

// A subject's history as its card shows it: who changed the record, what and when (its
// versions), and to whom it was disclosed (messages sent that carried or named it, follow-up
// decisions). Read from the audit log, which holds every change and every disclosure; reading
// it is a read of the subject, justified and audited as one.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "service/access.h"
#include "store/store.h"

namespace entente::service {

// One change of the record.
struct SubjectChange {
  int64_t at = 0;  // micros
  std::string actor;
  std::string agency;
  // create, update, restrict, request_erasure, erase, withdraw_erasure
  std::string operation;
  int64_t from_version = 0;          // update: the version it replaced (0 when unknown)
  std::vector<std::string> changed;  // update: the properties it changed
  std::string reason;                // restriction and erasure
};

// One disclosure of the record to a partner.
struct SubjectDisclosure {
  int64_t at = 0;
  std::string actor;
  std::string agency;
  std::string kind;  // message (sent), followup (a release or refusal decided)
  std::string message_type;
  std::string content;  // records (the record travelled) or references; for a follow-up, the
                        // decision (released, refused)
  std::vector<std::string> recipients;  // agencies, CC/kind
  std::string message_id;
  std::string case_id;
};

struct SubjectHistory {
  std::vector<SubjectChange> changes;          // oldest first
  std::vector<SubjectDisclosure> disclosures;  // oldest first
  // More entries exist than were read (kHistoryLimit of each kind): the oldest are shown.
  bool truncated = false;
};

inline constexpr int kHistoryLimit = 500;

// The history of subject `id`, for a caller who may read it (kReadSubject, as GET of the
// subject), audited with operation "history".
Result<SubjectHistory> ReadSubjectHistory(store::Store& store, const Caller& caller,
                                          std::string_view id);

}  // namespace entente::service
