#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/store.h"

namespace entente::service {

// Exchanges between this node and its partners, counted per direction of a country pair, month
// (YYYY-MM, UTC, of the time the node stored the message) and message type.
struct ExchangeCount {
  std::string from;  // sender country
  std::string to;    // recipient country (one row per recipient country)
  std::string month;
  std::string type;
  int64_t count = 0;
  friend bool operator==(const ExchangeCount&, const ExchangeCount&) = default;
};

// Response times of answered messages (a reply or acknowledgement to a request, consultation,
// release notice or alert), per pair: from the question's creation to the answer's.
struct ResponseTimes {
  std::string asker;     // country that asked
  std::string answerer;  // country that answered
  int64_t answered = 0;
  double median_hours = 0;
  double p90_hours = 0;
  double max_hours = 0;
};

struct ExchangeStats {
  std::vector<ExchangeCount> counts;  // by from, to, month, type
  std::vector<ResponseTimes> response_times;
  int64_t hit_notifications_sent = 0;
  int64_t hit_notifications_received = 0;
  int64_t messages = 0;
};

// Reads every message this node sent or received whose stored time is in [from, to)
// (microseconds; 0 for no bound) and counts them. Statistics hold no personal data.
Result<ExchangeStats> ComputeExchangeStats(const store::StoreReader& store, int64_t from_micros,
                                           int64_t to_micros);

}  // namespace entente::service
