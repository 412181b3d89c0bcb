#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "model/date.h"
#include "service/exchange.h"
#include "store/store.h"

namespace entente::service {

// Release notices go to this agency of a partner country.
inline constexpr std::string_view kNoticeRecipientAgency = "intelligence";
// A partner is asked to acknowledge within this many days (never after the event itself).
inline constexpr int kNoticeAcknowledgeDays = 7;

// What a sweep did.
struct NoticeSweep {
  int sent = 0;          // new notices queued
  int already_sent = 0;  // events already notified to that partner
  // Events that concern a partner but may not go to it: "SUBJECT to CC: reason".
  std::vector<std::string> withheld;
};

// Notifies partners of releases and leaves: for each partner, each custody event (planned
// release, sentence end, leave) from `today` to `today` + the partner's release_notice_days
// whose subject is linked to that partner (a nationality or country of residence of the
// partner, a record it provided, or a link to a subject of its register) gets one notice, once.
// The notice carries the record where the partner's rules allow it, else a reference; an event
// the rules refuse altogether is withheld (and counted). Each notice is written with its
// outbox entries and audited (actor "system:release-notices") in one transaction.
Result<NoticeSweep> SendReleaseNotices(store::Store& store, const ExchangeContext& exchange,
                                       const model::PartialDate& today);

// The notices not acknowledged yet, by sending time (their messages' deadlines say which are
// overdue: OverdueAnswers).
Result<std::vector<store::ReleaseNotice>> UnacknowledgedNotices(const store::StoreReader& store);

}  // namespace entente::service
