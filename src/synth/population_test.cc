#include "synth/population.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/csv_writer.h"
#include "model/date.h"
#include "model/validation.h"
#include "synth/latin_text.h"

namespace entente::synth {
namespace {

class CollectingWriter final : public model::EntityWriter {
 public:
  Status Write(const model::Entity& entity) override {
    entities.push_back(entity);
    return Status::Ok();
  }
  Status Finish() override {
    finished = true;
    return Status::Ok();
  }
  std::vector<model::Entity> entities;
  bool finished = false;
};

struct Output {
  CollectingWriter watchlist;
  CollectingWriter queries;
  std::array<CollectingWriter, 4> registers;
  std::ostringstream truth;
  std::ostringstream register_truth;
};

// CSV rows after the header, split into their two columns.
std::vector<std::pair<std::string, std::string>> Pairs(const std::string& csv,
                                                       const std::string& header) {
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, header);
  std::vector<std::pair<std::string, std::string>> out;
  while (std::getline(in, line)) {
    const size_t comma = line.find(',');
    out.emplace_back(line.substr(0, comma), line.substr(comma + 1));
  }
  return out;
}

void Generate(const SynthOptions& options, Output* out) {
  SynthSinks sinks;
  sinks.watchlist = &out->watchlist;
  sinks.queries = &out->queries;
  sinks.truth = &out->truth;
  for (size_t c = 0; c < 4; ++c) sinks.registers[c] = &out->registers[c];
  sinks.register_truth = &out->register_truth;
  ASSERT_TRUE(WritePopulation(options, sinks).ok());
}

SynthOptions Small(uint64_t seed = 1) {
  SynthOptions options;
  options.persons = 3000;
  options.queries = 3000;
  options.seed = seed;
  return options;
}

// One shared population for the checks that only read it.
const Output& Shared() {
  static const Output* output = [] {
    auto* out = new Output;
    Generate(Small(), out);
    return out;
  }();
  return *output;
}

std::string Csv(const SynthOptions& options) {
  std::ostringstream watchlist, queries, truth;
  model::CsvEntityWriter watchlist_writer(watchlist, WatchlistColumns());
  model::CsvEntityWriter query_writer(queries, QueryColumns());
  SynthSinks sinks;
  sinks.watchlist = &watchlist_writer;
  sinks.queries = &query_writer;
  sinks.truth = &truth;
  EXPECT_TRUE(WritePopulation(options, sinks).ok());
  return watchlist.str() + queries.str() + truth.str();
}

TEST(PopulationTest, SameSeedSameBytesOtherSeedOtherBytes) {
  SynthOptions options = Small(42);
  options.persons = 500;
  options.queries = 500;
  const std::string a = Csv(options);
  EXPECT_EQ(a, Csv(options));
  options.seed = 43;
  EXPECT_NE(a, Csv(options));
}

TEST(PopulationTest, PersonDoesNotDependOnPopulationSize) {
  SynthOptions small = Small(7);
  small.persons = 100;
  SynthOptions large = Small(7);
  large.persons = 200;
  Output a, b;
  Generate(small, &a);
  Generate(large, &b);
  for (size_t i = 0; i < 100; ++i) {
    model::Entity x = a.watchlist.entities[i];
    model::Entity y = b.watchlist.entities[i];
    x.Set("link", {});
    y.Set("link", {});
    EXPECT_EQ(x, y) << x.id;
  }
}

TEST(PopulationTest, EveryEntityIsValid) {
  const Output& out = Shared();
  auto check = [](const std::vector<model::Entity>& entities) {
    for (const auto& e : entities) {
      const auto problems = model::ValidateEntity(e);
      for (const auto& p : problems) {
        ADD_FAILURE() << e.id << " " << p.field << "[" << p.value_index << "]: " << p.message
                      << " (" << (p.value_index >= 0 ? e.Values(p.field)[p.value_index] : "")
                      << ")";
      }
    }
  };
  check(out.watchlist.entities);
  check(out.queries.entities);
  for (const auto& r : out.registers) check(r.entities);
  EXPECT_TRUE(out.watchlist.finished);
  EXPECT_TRUE(out.queries.finished);
}

TEST(PopulationTest, EntitiesUseOnlyTheirColumns) {
  const Output& out = Shared();
  const auto watch = WatchlistColumns();
  const std::set<std::string> watch_columns(watch.begin(), watch.end());
  const auto query = QueryColumns();
  const std::set<std::string> query_columns(query.begin(), query.end());
  for (const auto& e : out.watchlist.entities) {
    for (const auto& [property, values] : e.properties) {
      EXPECT_TRUE(watch_columns.contains(property)) << property;
    }
  }
  for (const auto& e : out.queries.entities) {
    for (const auto& [property, values] : e.properties) {
      EXPECT_TRUE(query_columns.contains(property)) << property;
    }
  }
}

TEST(PopulationTest, TruthPointsAtListedPersonsAndHalfTheQueriesAreListed) {
  const Output& out = Shared();
  ASSERT_EQ(out.watchlist.entities.size(), 3000u);
  ASSERT_EQ(out.queries.entities.size(), 3000u);
  std::set<std::string> watch_ids, query_ids;
  for (const auto& e : out.watchlist.entities) watch_ids.insert(e.id);
  for (const auto& e : out.queries.entities) query_ids.insert(e.id);
  EXPECT_TRUE(watch_ids.contains("W0000001"));
  EXPECT_TRUE(query_ids.contains("Q0003000"));
  const auto truth = Pairs(out.truth.str(), "query_id,match_id");
  std::set<std::string> listed;
  for (const auto& [query, match] : truth) {
    EXPECT_TRUE(query_ids.contains(query)) << query;
    EXPECT_TRUE(watch_ids.contains(match)) << match;
    EXPECT_TRUE(listed.insert(query).second) << "two truth rows for " << query;
  }
  EXPECT_GT(truth.size(), 1350u);
  EXPECT_LT(truth.size(), 1650u);
}

TEST(PopulationTest, ListedQueriesComeFromAnotherPartner) {
  const Output& out = Shared();
  std::map<std::string, const model::Entity*> watch;
  for (const auto& e : out.watchlist.entities) watch[e.id] = &e;
  std::map<std::string, const model::Entity*> queries;
  for (const auto& e : out.queries.entities) queries[e.id] = &e;
  int arabic_queries = 0;
  for (const auto& [query, match] : Pairs(out.truth.str(), "query_id,match_id")) {
    const model::Entity& q = *queries[query];
    const model::Entity& w = *watch[match];
    // The owner's convention would give the same script and order; another partner's record
    // often differs from the watchlist row.
    arabic_queries += q.First("name").find('\xd9') != std::string_view::npos ? 1 : 0;
    if (w.First("sourceCountry") == "MA") {
      EXPECT_EQ(q.First("name").find("\xd9\x85\xd8\xad"), std::string_view::npos);
    }
  }
  EXPECT_GT(arabic_queries, 50);
}

std::string Normalised(std::string_view name) {
  std::string folded = LowercaseLatin(StripDiacritics(name));
  std::string out;
  for (char c : folded) {
    if (c == ',' || c == '-') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

TEST(PopulationTest, NoUnlistedQueryEqualsAListedPerson) {
  const Output& out = Shared();
  std::set<std::pair<std::string, std::string>> listed;
  for (const auto& e : out.watchlist.entities) {
    listed.insert({Normalised(e.First("name")), std::string(e.First("birthDate"))});
  }
  std::set<std::string> truth_queries;
  for (const auto& [query, match] : Pairs(out.truth.str(), "query_id,match_id")) {
    truth_queries.insert(query);
  }
  int unlisted = 0;
  for (const auto& q : out.queries.entities) {
    if (truth_queries.contains(q.id) || q.First("birthDate").empty()) continue;
    ++unlisted;
    EXPECT_FALSE(listed.contains({Normalised(q.First("name")), std::string(q.First("birthDate"))}))
        << q.id << " " << q.First("name") << " " << q.First("birthDate");
  }
  EXPECT_GT(unlisted, 1000);
}

TEST(PopulationTest, SomeUnlistedQueriesAreNamesakes) {
  const Output& out = Shared();
  std::set<std::string> listed_names;
  for (const auto& e : out.watchlist.entities) {
    listed_names.insert(Normalised(e.First("name")));
    for (const auto& a : e.Values("alias")) listed_names.insert(Normalised(a));
  }
  std::set<std::string> truth_queries;
  for (const auto& [query, match] : Pairs(out.truth.str(), "query_id,match_id")) {
    truth_queries.insert(query);
  }
  int namesakes = 0;
  for (const auto& q : out.queries.entities) {
    if (!truth_queries.contains(q.id) && listed_names.contains(Normalised(q.First("name")))) {
      ++namesakes;
    }
  }
  EXPECT_GT(namesakes, 50);
}

TEST(PopulationTest, LinksPointToOtherExistingSubjects) {
  const Output& out = Shared();
  std::set<std::string> ids;
  for (const auto& e : out.watchlist.entities) ids.insert(e.id);
  size_t linked = 0;
  std::set<std::string> countries_in_links;
  for (const auto& e : out.watchlist.entities) {
    if (e.Has("link")) ++linked;
    for (const auto& link : e.Values("link")) {
      const std::string target = link.substr(link.find(':') + 1);
      EXPECT_TRUE(ids.contains(target)) << e.id << " -> " << link;
      EXPECT_NE(target, e.id);
    }
  }
  // About 30% of persons are in a cell; all but one member of each cell records a link.
  EXPECT_GT(linked, 450u);
  EXPECT_LT(linked, 1200u);
  for (const auto& r : out.registers) {
    std::set<std::string> register_ids;
    for (const auto& e : r.entities) register_ids.insert(e.id);
    for (const auto& e : r.entities) {
      for (const auto& link : e.Values("link")) {
        EXPECT_TRUE(register_ids.contains(link.substr(link.find(':') + 1))) << e.id << " " << link;
      }
    }
  }
}

TEST(PopulationTest, CellsCrossBorders) {
  const Output& out = Shared();
  std::map<std::string, std::string> owner;
  for (const auto& e : out.watchlist.entities) owner[e.id] = std::string(e.First("sourceCountry"));
  int cross = 0;
  for (const auto& e : out.watchlist.entities) {
    for (const auto& link : e.Values("link")) {
      cross += owner[link.substr(link.find(':') + 1)] != owner[e.id] ? 1 : 0;
    }
  }
  EXPECT_GT(cross, 100);
}

TEST(PopulationTest, ReturningMinorsAreUnder18) {
  const Output& out = Shared();
  const auto reference = model::PartialDate::Parse("2026-12-01");
  ASSERT_TRUE(reference.ok());
  int minors = 0;
  for (const auto& e : out.watchlist.entities) {
    const auto& categories = e.Values("category");
    if (std::find(categories.begin(), categories.end(), "returning_minor") == categories.end()) {
      continue;
    }
    ++minors;
    const auto birth = model::PartialDate::Parse(e.First("birthDate"));
    ASSERT_TRUE(birth.ok()) << e.id;
    EXPECT_LT(model::AgeOn(*birth, *reference), 18) << e.id << " " << e.First("birthDate");
  }
  EXPECT_GT(minors, 30);
}

TEST(PopulationTest, CustodyOnlyForConvictsAndPrisoners) {
  const Output& out = Shared();
  int in_custody = 0;
  for (const auto& e : out.watchlist.entities) {
    if (!e.Has("establishment")) continue;
    ++in_custody;
    const auto& c = e.Values("category");
    const bool eligible = std::find(c.begin(), c.end(), "terrorism_convict") != c.end() ||
                          std::find(c.begin(), c.end(), "radicalised_prisoner") != c.end();
    EXPECT_TRUE(eligible) << e.id;
    EXPECT_TRUE(e.Has("plannedRelease"));
    EXPECT_GE(std::string(e.First("plannedRelease")), "2026-12-01");
    EXPECT_LE(std::string(e.First("plannedRelease")), "2029-12-01");
  }
  EXPECT_GT(in_custody, 100);
}

TEST(PopulationTest, RegistersSplitTheWatchlistByOwnerPlusSecondCopies) {
  const Output& out = Shared();
  std::map<std::string, std::string> owner;
  for (const auto& e : out.watchlist.entities) owner[e.id] = std::string(e.First("sourceCountry"));
  const auto rows = Pairs(out.register_truth.str(), "register_id,watchlist_id");
  std::set<std::string> register_ids;
  size_t total = 0;
  const std::array<std::string, 4> countries = {"BE", "FR", "ES", "MA"};
  for (size_t c = 0; c < 4; ++c) {
    for (const auto& e : out.registers[c].entities) {
      ++total;
      EXPECT_TRUE(e.id.starts_with(countries[c] + "-")) << e.id;
      EXPECT_EQ(e.First("sourceCountry"), countries[c]);
      register_ids.insert(e.id);
    }
  }
  EXPECT_EQ(rows.size(), total);
  std::map<std::string, int> copies;
  for (const auto& [register_id, watch_id] : rows) {
    EXPECT_TRUE(register_ids.contains(register_id)) << register_id;
    ASSERT_TRUE(owner.contains(watch_id)) << watch_id;
    ++copies[watch_id];
  }
  EXPECT_EQ(copies.size(), out.watchlist.entities.size());
  int second = 0;
  for (const auto& [id, n] : copies) second += n == 2 ? 1 : 0;
  EXPECT_GT(second, 200);  // ~10%
  EXPECT_LT(second, 400);
}

TEST(PopulationTest, NameMixIsMostlyMaghrebi) {
  const Output& out = Shared();
  int maghrebi = 0;
  for (const auto& e : out.watchlist.entities) {
    for (const auto& n : e.Values("nationality")) {
      if (n == "MA" || n == "DZ") {
        ++maghrebi;
        break;
      }
    }
  }
  EXPECT_GT(maghrebi, 1200);
}

TEST(PopulationTest, RejectsBadOptions) {
  SynthSinks sinks;
  SynthOptions options;
  options.reference_date = "2026-13-01";
  EXPECT_EQ(WritePopulation(options, sinks).code(), StatusCode::kInvalidArgument);
  options.reference_date = "2026-12-01";
  options.persons = 0;
  EXPECT_EQ(WritePopulation(options, sinks).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace entente::synth
