#pragma once

// Helpers for pprl's tests and benchmarks only. Never included by library code.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/check.h"
#include "model/entity.h"
#include "model/entity_io.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "pprl/encoding_key.h"
#include "synth/population.h"

namespace entente::pprl::testing {

// A key whose secret bytes are derived from `seed` (tests only: a real key is random).
inline EncodingKey TestKey(uint32_t seed) {
  EncodingKey key;
  key.version = seed;
  for (size_t i = 0; i < key.secret.size(); ++i) {
    key.secret[i] = static_cast<uint8_t>(size_t{seed} * 131 + i * 17 + 5);
  }
  return key;
}

// A person with a name and, when not empty, a birth date, gender and nationality.
inline model::Entity Person(std::string_view name, std::string_view birth, std::string_view gender,
                            std::string_view nationality) {
  model::Entity entity;
  entity.id = "P1";
  entity.Add("name", std::string(name));
  if (!birth.empty()) entity.Add("birthDate", std::string(birth));
  if (!gender.empty()) entity.Add("gender", std::string(gender));
  if (!nationality.empty()) entity.Add("nationality", std::string(nationality));
  return entity;
}

// A synthetic watchlist and queries (entente synth, `persons` of each, seed `seed`), encoded,
// with the truth pairs.
struct EncodedQuery {
  std::string id;
  QueryCode code;  // with its birth readings (Encoder::EncodeQuery)
};
struct EncodedPopulation {
  std::vector<EncodedIndex::Entry> watchlist;
  std::vector<EncodedQuery> queries;
  std::vector<std::pair<std::string, std::string>> truth;  // query id, watchlist id
};

inline EncodedPopulation EncodePopulation(const Encoder& encoder, uint64_t persons, uint64_t seed) {
  std::vector<model::Entity> watchlist;
  std::vector<model::Entity> queries;
  model::VectorEntityWriter watchlist_writer(&watchlist);
  model::VectorEntityWriter query_writer(&queries);
  std::ostringstream truth;
  synth::SynthOptions options;
  options.persons = persons;
  options.seed = seed;
  synth::SynthSinks sinks;
  sinks.watchlist = &watchlist_writer;
  sinks.queries = &query_writer;
  sinks.truth = &truth;
  ENTENTE_CHECK(synth::WritePopulation(options, sinks).ok());
  EncodedPopulation population;
  for (const auto& e : watchlist) population.watchlist.push_back({e.id, encoder.Encode(e)});
  for (const auto& e : queries) population.queries.push_back({e.id, encoder.EncodeQuery(e)});
  std::istringstream lines(truth.str());
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    const size_t comma = line.find(',');
    if (comma != std::string::npos) {
      population.truth.emplace_back(line.substr(0, comma), line.substr(comma + 1));
    }
  }
  return population;
}

}  // namespace entente::pprl::testing
