#include "service/exchange_stats.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>
#include <unordered_map>

namespace entente::service {
namespace {

std::string Month(int64_t micros) {
  const auto days = std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(micros)));
  const std::chrono::year_month_day ymd(days);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()));
  return text;
}

std::string CountryOf(std::string_view agency) {
  return std::string(agency.substr(0, agency.find('/')));
}

std::vector<std::string> RecipientCountries(const std::string& recipients) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin < recipients.size()) {
    size_t end = recipients.find(',', begin);
    if (end == std::string::npos) end = recipients.size();
    std::string country = CountryOf(std::string_view(recipients).substr(begin, end - begin));
    if (std::find(out.begin(), out.end(), country) == out.end()) out.push_back(country);
    begin = end + 1;
  }
  return out;
}

double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto last = static_cast<double>(values.size() - 1);
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(std::lround(q * last)));
  return values[index];
}

}  // namespace

Result<ExchangeStats> ComputeExchangeStats(const store::StoreReader& store, int64_t from_micros,
                                           int64_t to_micros) {
  ExchangeStats stats;
  std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t> counts;
  // Questions by id: (asker country, created_at); answers: (in_reply_to, answerer, created_at).
  std::unordered_map<std::string, std::pair<std::string, int64_t>> questions;
  struct Answer {
    std::string in_reply_to;
    std::string answerer;
    int64_t at;
  };
  std::vector<Answer> answers;
  store::MessageQuery query;
  query.limit = 1000;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(std::vector<store::StoredMessage> page, store.messages().List(query));
    for (const store::StoredMessage& m : page) {
      if (m.stored_at < from_micros || (to_micros != 0 && m.stored_at >= to_micros)) continue;
      ++stats.messages;
      const std::string from = CountryOf(m.sender);
      for (const std::string& to : RecipientCountries(m.recipients)) {
        ++counts[{from, to, Month(m.stored_at), m.type}];
      }
      if (m.type == "hit_notification") {
        ++(m.direction == store::MessageDirection::kOut ? stats.hit_notifications_sent
                                                        : stats.hit_notifications_received);
      }
      if (m.type == "request" || m.type == "consultation" || m.type == "release_notice" ||
          m.type == "alert") {
        questions[m.id] = {from, m.created_at};
      }
      if ((m.type == "reply" || m.type == "acknowledgement") && !m.in_reply_to.empty()) {
        answers.push_back({m.in_reply_to, from, m.created_at});
      }
    }
    if (static_cast<int>(page.size()) < query.limit) break;
    query.after_seq = page.back().seq;
  }
  for (const auto& [key, count] : counts) {
    const auto& [from, to, month, type] = key;
    stats.counts.push_back({from, to, month, type, count});
  }
  std::map<std::pair<std::string, std::string>, std::vector<double>> hours;
  std::map<std::string, bool> first_answer_seen;
  for (const Answer& a : answers) {
    auto q = questions.find(a.in_reply_to);
    if (q == questions.end() || first_answer_seen[a.in_reply_to + "|" + a.answerer]) continue;
    first_answer_seen[a.in_reply_to + "|" + a.answerer] = true;
    hours[{q->second.first, a.answerer}].push_back(
        static_cast<double>(std::max<int64_t>(0, a.at - q->second.second)) / 3.6e9);
  }
  for (auto& [pair, values] : hours) {
    ResponseTimes r;
    r.asker = pair.first;
    r.answerer = pair.second;
    r.answered = static_cast<int64_t>(values.size());
    r.median_hours = Quantile(values, 0.5);
    r.p90_hours = Quantile(values, 0.9);
    r.max_hours = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    stats.response_times.push_back(r);
  }
  return stats;
}

}  // namespace entente::service
