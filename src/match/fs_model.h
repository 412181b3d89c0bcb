#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "common/result.h"
#include "match/comparison.h"

namespace entente::match {

// The prior log2-odds that a query is one given listed record, the others ruled out: the query
// is one of the `listed` people (any of them a priori) with probability `rate` and none of them
// with 1 - rate, so the odds are (rate / listed) / (1 - rate). (Not (rate / listed) /
// (1 - rate / listed): that counts the other listed people as alternatives when the data have
// ruled them out, and made a lone candidate's odds 1 / (1 - rate) too small, twice at
// rate 0.5.) The candidates that are not ruled out come in through Screener::Compete. The rate
// is kept below kMaxQueryMatchRate. Shared by the plaintext and encoded models.
inline constexpr double kMaxQueryMatchRate = 0.999;
double PriorLog2Odds(double rate, double listed);

// A Fellegi-Sunter model: for each field and level, m = P(level | same person) and
// u = P(level | two random people). The prior is P(same person) for a query and one listed
// record: query_match_rate (the share of queries that are on the watchlist at all) divided by
// the number of listed records, so that one model serves watchlists of any size.
// A level's weight is log2(m/u) (level 0, no evidence, weighs 0); the match weight of a pair is
// the prior's log-odds plus its levels' weights plus the name-frequency adjustment, and the
// match probability 1 / (1 + 2^-weight). A plain value type; const methods are thread-safe.
struct FsModel {
  using Table = std::array<std::array<double, kMaxLevels>, kFieldCount>;
  Table m{};
  Table u{};
  double query_match_rate = 0.1;
  // Listed records the prior is spread over; set by the screener to the watchlist's size.
  double listed_records = 1e6;
  // The name-frequency adjustment applies to name levels up to this one, and is bounded. The
  // exact level only: how rare a listed spelling is says little of how many names are merely
  // close to the query's (up to "close", 2026-12-07: 200k x 200k F1 0.929 -> 0.936 with 1).
  int frequency_max_name_level = 1;
  double frequency_min_bits = -8;
  double frequency_max_bits = 6;

  double LevelWeight(Field f, int level) const;
  // PriorLog2Odds(query_match_rate, listed_records).
  double PriorBits() const;
  double MatchWeight(const Comparison& c) const;
  double MatchProbability(const Comparison& c) const;
  // The per-field explanation: "name=very_close(0.962)+9.1 birthDate=exact+13.2 ... prior-19.9
  // => 0.9987".
  std::string Explain(const Comparison& c) const;

  std::string ToJson() const;
  // Fails with InvalidArgument naming the field at fault.
  static Result<FsModel> FromJson(std::string_view json);
};

// The built-in model: m and u set from what is known of registers like these (see
// docs/matching.md); `entente train` fits one to the data at hand.
FsModel DefaultModel();

}  // namespace entente::match
