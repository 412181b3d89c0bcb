#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/entity_io.h"

namespace entente::synth {

// What to generate. Person i of a seed is the same whatever `persons` is, except for the
// links, which depend on how many persons there are.
struct SynthOptions {
  uint64_t persons = 10000;  // watchlist rows
  uint64_t queries = 0;      // query rows; 0 means as many as persons
  uint64_t seed = 1;
  // "Today" for ages, custody and review dates (YYYY-MM-DD); passed in, never read from a clock.
  std::string reference_date = "2026-12-01";
  // Queries of listed persons with the slips the default leaves out: more birth dates off, by
  // a mistyped digit or a few days as well, and a person with a nom de guerre now and then
  // known by it alone (about 1 in 70 listed queries). Other people and the watchlist unchanged.
  bool hard_noise = false;
};

// Where the population goes. Any sink may be null: that output is not produced (the work it
// needs is still done when another output depends on it). None is owned.
struct SynthSinks {
  model::EntityWriter* watchlist = nullptr;  // W0000001..., rendered by the owner country
  model::EntityWriter* queries = nullptr;    // Q0000001..., WatchlistColumns() ⊇ QueryColumns()
  std::ostream* truth = nullptr;             // CSV query_id,match_id: one row per listed query
  // The national registers of BE, FR, ES, MA (kPartnerCountries order): each partner's own
  // subjects plus ~10% of the others' as that partner recorded them; ids "FR-0000123".
  std::array<model::EntityWriter*, 4> registers = {};
  std::ostream* register_truth = nullptr;  // CSV register_id,watchlist_id
};

// Streams a deterministic synthetic population into `sinks`: the watchlist, then the queries
// and their truth; the registers alongside the watchlist. About half of the queries are listed
// persons as another partner recorded them (other conventions, typos, partial or shifted birth
// dates, other document and phone formats, missing fields); the rest are unlisted people,
// about a third of them namesakes of listed persons (same name, birth at least two years
// apart). No unlisted query has both the name skeleton (NameSkeleton: given name and surname,
// vowels aside) and the birth year of a listed person, so none equals one by name and birth
// date whatever the spelling or precision.
// Memory: constant apart from 8 bytes per person (the name/birth-date keys of the watchlist).
// Fails with InvalidArgument for a bad reference date or zero persons, or with the first
// failure of a writer or stream. Finishes the writers and flushes the streams.
Status WritePopulation(const SynthOptions& options, SynthSinks& sinks);

// Columns for CsvEntityWriter (after the implicit id,schema). Watchlist and register rows use
// the same columns.
std::vector<std::string> WatchlistColumns();
// name,firstName,lastName,alias,birthDate,nationality,gender,idNumber,passportNumber,phone,country
std::vector<std::string> QueryColumns();

// The id of 0-based watchlist row `index` ("W0000001") and query row ("Q0000001").
std::string WatchlistId(uint64_t index);
std::string QueryId(uint64_t index);

}  // namespace entente::synth
