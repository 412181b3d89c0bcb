#include "datasets.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "match/candidate_index.h"
#include "match/identity.h"
#include "match/training.h"
#include "model/csv_reader.h"
#include "model/csv_row_reader.h"
#include "model/csv_writer.h"
#include "model/date.h"
#include "pprl/encoded_index.h"
#include "pprl/encoder.h"
#include "synth/population.h"

namespace entente::quality {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// rec-12-dup-0 -> 12
std::string PersonOf(const std::string& rec_id) {
  const size_t a = rec_id.find('-'), b = rec_id.find('-', a + 1);
  return rec_id.substr(a + 1, b - a - 1);
}

double Seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Result<std::vector<model::Entity>> ReadEntityCsv(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  model::CsvEntityReader reader(in, name);
  std::vector<model::Entity> out;
  model::Record record;
  model::Problems problems;
  while (true) {
    const auto outcome = reader.Next(&record, &problems);
    if (outcome == model::ReadOutcome::kEnd) break;
    if (outcome != model::ReadOutcome::kRecord) return InvalidArgument(problems.back().ToString());
    out.push_back(record.entity);
  }
  return out;
}

}  // namespace

Result<std::vector<model::Entity>> LoadFebrl(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open");
  model::CsvRowReader rows(in, path);
  model::Problems problems;
  if (rows.Next({}, &problems) != model::CsvRowReader::Outcome::kRow) {
    return InvalidArgument(path + ": no header");
  }
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < rows.field_count(); ++i) column[Trim(rows.fields()[i].text)] = i;
  for (const char* needed : {"rec_id", "given_name", "surname", "date_of_birth", "soc_sec_id"}) {
    if (!column.count(needed)) return InvalidArgument(path + ": no column " + needed);
  }
  std::vector<model::Entity> out;
  while (true) {
    const auto outcome = rows.Next({}, &problems);
    if (outcome == model::CsvRowReader::Outcome::kEnd) break;
    if (outcome != model::CsvRowReader::Outcome::kRow)
      return InvalidArgument(problems.back().ToString());
    if (rows.blank()) continue;
    auto cell = [&](const char* name) { return Trim(rows.fields()[column[name]].text); };
    model::Entity e;
    e.id = cell("rec_id");
    const std::string given = cell("given_name"), surname = cell("surname");
    if (!given.empty()) e.Add("firstName", given);
    if (!surname.empty()) e.Add("lastName", surname);
    const std::string dob = cell("date_of_birth");
    if (dob.size() == 8) {
      const std::string iso = dob.substr(0, 4) + "-" + dob.substr(4, 2) + "-" + dob.substr(6, 2);
      if (model::PartialDate::Parse(iso).ok()) e.Add("birthDate", iso);
    }
    const std::string ssn = cell("soc_sec_id");
    if (!ssn.empty()) e.Add("idNumber", ssn);
    std::string address;
    for (const char* part :
         {"street_number", "address_1", "address_2", "suburb", "postcode", "state"}) {
      if (column.count(part) && !cell(part).empty())
        address += (address.empty() ? "" : " ") + cell(part);
    }
    if (!address.empty()) e.Add("address", address);
    out.push_back(std::move(e));
  }
  return out;
}

Result<LinkageTask> FebrlLinkage(const std::string& dir) {
  LinkageTask task;
  task.name = "febrl4a-4b";
  ENTENTE_ASSIGN_OR_RETURN(task.watchlist, LoadFebrl(dir + "/dataset4a.csv"));
  ENTENTE_ASSIGN_OR_RETURN(task.queries, LoadFebrl(dir + "/dataset4b.csv"));
  std::map<std::string, std::string> listed;
  for (const auto& e : task.watchlist) listed[PersonOf(e.id)] = e.id;
  for (const auto& q : task.queries) {
    auto it = listed.find(PersonOf(q.id));
    if (it != listed.end()) task.truth.Add(q.id, it->second);
  }
  return task;
}

Result<LinkageTask> FebrlDeduplication(const std::string& dir) {
  LinkageTask task;
  task.name = "febrl3-dedup";
  task.deduplicate = true;
  ENTENTE_ASSIGN_OR_RETURN(task.watchlist, LoadFebrl(dir + "/dataset3.csv"));
  task.queries = task.watchlist;
  std::map<std::string, std::vector<std::string>> people;
  for (const auto& e : task.watchlist) people[PersonOf(e.id)].push_back(e.id);
  for (const auto& [person, ids] : people) {
    for (const auto& a : ids) {
      for (const auto& b : ids) {
        if (a != b) task.truth.Add(a, b);
      }
    }
  }
  return task;
}

Result<LinkageTask> Fake1000(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(path + ": cannot open");
  model::CsvRowReader rows(in, path);
  model::Problems problems;
  if (rows.Next({}, &problems) != model::CsvRowReader::Outcome::kRow) return InvalidArgument(path);
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < rows.field_count(); ++i) column[rows.fields()[i].text] = i;
  LinkageTask task;
  task.name = "fake_1000-dedup";
  task.deduplicate = true;
  std::map<std::string, std::vector<std::string>> clusters;
  while (rows.Next({}, &problems) == model::CsvRowReader::Outcome::kRow) {
    if (rows.blank()) continue;
    auto cell = [&](const char* name) { return rows.fields()[column.at(name)].text; };
    model::Entity e;
    e.id = "F" + cell("unique_id");
    if (!cell("first_name").empty()) e.Add("firstName", cell("first_name"));
    if (!cell("surname").empty()) e.Add("lastName", cell("surname"));
    if (model::PartialDate::Parse(cell("dob")).ok()) e.Add("birthDate", cell("dob"));
    if (!cell("email").empty()) e.Add("email", cell("email"));
    if (!cell("city").empty()) e.Add("address", cell("city"));
    clusters[cell("cluster")].push_back(e.id);
    task.watchlist.push_back(std::move(e));
  }
  task.queries = task.watchlist;
  for (const auto& [cluster, ids] : clusters) {
    for (const auto& a : ids) {
      for (const auto& b : ids) {
        if (a != b) task.truth.Add(a, b);
      }
    }
  }
  return task;
}

Result<LinkageTask> Synthetic(uint64_t persons, uint64_t seed, bool hard_noise) {
  std::ostringstream watchlist_csv, queries_csv, truth_csv;
  model::CsvEntityWriter watchlist(watchlist_csv, synth::WatchlistColumns());
  model::CsvEntityWriter queries(queries_csv, synth::QueryColumns());
  synth::SynthSinks sinks;
  sinks.watchlist = &watchlist;
  sinks.queries = &queries;
  sinks.truth = &truth_csv;
  synth::SynthOptions options;
  options.persons = persons;
  options.seed = seed;
  options.hard_noise = hard_noise;
  ENTENTE_RETURN_IF_ERROR(synth::WritePopulation(options, sinks));
  LinkageTask task;
  task.name = "synth-" + std::to_string(persons) + "-seed" + std::to_string(seed) +
              (hard_noise ? "-hard" : "");
  ENTENTE_ASSIGN_OR_RETURN(task.watchlist, ReadEntityCsv(watchlist_csv.str(), "watchlist.csv"));
  ENTENTE_ASSIGN_OR_RETURN(task.queries, ReadEntityCsv(queries_csv.str(), "queries.csv"));
  std::istringstream truth(truth_csv.str());
  std::string line;
  std::getline(truth, line);
  while (std::getline(truth, line)) {
    const size_t comma = line.find(',');
    if (comma != std::string::npos) task.truth.Add(line.substr(0, comma), line.substr(comma + 1));
  }
  return task;
}

namespace {

// The candidate index over the task's watchlist.
match::CandidateIndex BuildIndex(const LinkageTask& task, int threads) {
  std::vector<match::Identity> identities;
  identities.reserve(task.watchlist.size());
  for (const auto& e : task.watchlist) identities.push_back(match::CompileIdentity(e));
  return match::CandidateIndex::Build(std::move(identities), threads);
}

// `model` fitted to the task as screening fits it: on the first 5,000 queries.
match::FsModel Fitted(const LinkageTask& task, const match::FsModel& model,
                      const match::CandidateIndex& index) {
  std::vector<match::Identity> sample;
  for (size_t i = 0; i < task.queries.size() && sample.size() < 5000; ++i) {
    sample.push_back(match::CompileIdentity(task.queries[i]));
  }
  return match::FitModel(model, index, sample, task.deduplicate);
}

}  // namespace

std::array<ScoreDecile, 10> ScoreDeciles(const LinkageTask& task, const match::FsModel& model,
                                         int threads) {
  const match::CandidateIndex index = BuildIndex(task, threads);
  const match::Screener screener(index, Fitted(task, model, index));
  match::ScreenOptions options;
  options.ranked = true;
  options.skip_same_id = task.deduplicate;
  std::vector<std::array<ScoreDecile, 10>> per_thread(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      match::Screener::Scratch scratch;
      auto& bins = per_thread[static_cast<size_t>(t)];
      for (size_t i = static_cast<size_t>(t); i < task.queries.size();
           i += static_cast<size_t>(threads)) {
        const match::Identity query = match::CompileIdentity(task.queries[i]);
        for (const auto& m : screener.Screen(query, options, scratch)) {
          const auto bin = static_cast<size_t>(std::min(9.0, std::floor(m.probability * 10)));
          ++bins[bin].pairs;
          if (task.truth.Contains(task.queries[i].id, index.identity(m.index).id)) {
            ++bins[bin].true_pairs;
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  std::array<ScoreDecile, 10> out{};
  for (const auto& bins : per_thread) {
    for (size_t b = 0; b < out.size(); ++b) {
      out[b].pairs += bins[b].pairs;
      out[b].true_pairs += bins[b].true_pairs;
    }
  }
  return out;
}

TaskResult RunTask(const LinkageTask& task, const match::FsModel& model,
                   const match::ScreenOptions& options, int threads) {
  TaskResult result;
  const double t0 = Seconds();
  const match::CandidateIndex index = BuildIndex(task, threads);
  const match::FsModel adapted = Fitted(task, model, index);
  std::fprintf(stderr, "%s: estimated query match rate %.3f\n", task.name.c_str(),
               adapted.query_match_rate);
  const double t1 = Seconds();
  result.index_seconds = t1 - t0;

  const match::Screener screener(index, adapted);
  match::ScreenOptions screen_options = options;
  screen_options.skip_same_id = task.deduplicate;
  std::vector<std::vector<std::pair<uint32_t, double>>> found(task.queries.size());
  std::vector<size_t> candidates_found(task.queries.size()), true_candidates(task.queries.size());
  std::vector<std::vector<uint32_t>> true_candidate_ids(task.queries.size());
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      match::Screener::Scratch scratch;
      for (size_t i = static_cast<size_t>(t); i < task.queries.size();
           i += static_cast<size_t>(threads)) {
        const match::Identity query = match::CompileIdentity(task.queries[i]);
        const auto& candidates = screener.Candidates(query, screen_options, scratch);
        candidates_found[i] = candidates.size();
        for (uint32_t c : candidates) {
          if (task.truth.Contains(task.queries[i].id, index.identity(c).id)) {
            ++true_candidates[i];
            true_candidate_ids[i].push_back(c);
          }
        }
        for (const auto& m : screener.Screen(query, screen_options, scratch)) {
          found[i].emplace_back(m.index, m.probability);
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  result.screen_seconds = Seconds() - t1;

  match::PairSet predicted;
  size_t total_candidates = 0, found_true = 0;
  for (size_t i = 0; i < task.queries.size(); ++i) {
    total_candidates += candidates_found[i];
    found_true += true_candidates[i];
    for (const auto& [index_id, probability] : found[i]) {
      predicted.Add(task.queries[i].id, index.identity(index_id).id);
    }
  }
  std::unordered_map<std::string, std::array<bool, match::kSliceCount>> slices;
  if (!task.deduplicate) {
    for (const auto& q : task.queries) slices[q.id] = match::SlicesOf(q);
  }
  result.scores = match::Evaluate(task.truth, predicted, slices);
  if (task.deduplicate) {
    std::vector<std::string> ids;
    ids.reserve(task.watchlist.size());
    for (const auto& e : task.watchlist) ids.push_back(e.id);
    result.clusters = match::EvaluateClusters(task.truth, predicted, ids);
  }
  // ENTENTE_QUALITY_LEVELS=1 prints how the true pairs fall into the levels of each field.
  if (std::getenv("ENTENTE_QUALITY_LEVELS") != nullptr) {
    std::map<std::string, uint32_t> index_of;
    for (uint32_t i = 0; i < index.size(); ++i) index_of[index.identity(i).id] = i;
    std::map<std::string, const model::Entity*> query_of;
    for (const auto& e : task.queries) query_of[e.id] = &e;
    std::array<std::array<double, match::kMaxLevels>, match::kFieldCount> counts{};
    task.truth.ForEach([&](std::string_view q, std::string_view w) {
      const match::Identity qi = match::CompileIdentity(*query_of[std::string(q)]);
      const auto c = match::CompareIdentities(qi, index.identity(index_of[std::string(w)]));
      for (int f = 0; f < match::kFieldCount; ++f)
        counts[static_cast<size_t>(f)][c.levels[static_cast<size_t>(f)]] += 1;
    });
    for (int f = 0; f < match::kFieldCount; ++f) {
      const auto field = static_cast<match::Field>(f);
      double total = 0;
      for (int l = 1; l < match::LevelCount(field); ++l)
        total += counts[static_cast<size_t>(f)][static_cast<size_t>(l)];
      std::fprintf(stderr, "m %s:", std::string(match::FieldName(field)).c_str());
      for (int l = 1; l < match::LevelCount(field); ++l) {
        std::fprintf(
            stderr, " %s=%.3f", std::string(match::LevelName(field, l)).c_str(),
            total > 0 ? counts[static_cast<size_t>(f)][static_cast<size_t>(l)] / total : 0.0);
      }
      std::fprintf(stderr, "\n");
    }
  }
  // ENTENTE_QUALITY_DEBUG=N prints the first N misses and false hits with their explanations.
  if (const char* debug = std::getenv("ENTENTE_QUALITY_DEBUG")) {
    int budget = std::atoi(debug);
    std::map<std::string, const model::Entity*> by_id;
    for (const auto& e : task.watchlist) by_id[e.id] = &e;
    for (const auto& e : task.queries) by_id.emplace(e.id, &e);
    std::map<std::string, uint32_t> index_of;
    for (uint32_t i = 0; i < index.size(); ++i) index_of[index.identity(i).id] = i;
    auto show = [&](const char* kind, std::string_view q, std::string_view w) {
      if (budget-- <= 0) return;
      std::string text = std::string(kind) + " " + std::string(q) + " ~ " + std::string(w) + "\n";
      for (const auto* e : {by_id[std::string(q)], by_id[std::string(w)]}) {
        text += "   ";
        for (const auto& [k, v] : e->properties) {
          if (k == "name" || k == "firstName" || k == "lastName" || k == "alias" ||
              k == "birthDate" || k == "nationality" || k == "gender" || k == "idNumber" ||
              k == "passportNumber" || k == "address") {
            for (const auto& x : v) text += x + "; ";
          }
        }
        text += "\n";
      }
      const match::Identity qi = match::CompileIdentity(*by_id[std::string(q)]);
      const auto m = screener.Score(qi, index_of[std::string(w)]);
      text += "   " + screener.model().Explain(m.comparison) + "\n";
      std::fputs(text.c_str(), stderr);
    };
    std::map<std::string, size_t> query_position;
    for (size_t i = 0; i < task.queries.size(); ++i) query_position[task.queries[i].id] = i;
    task.truth.ForEach([&](std::string_view q, std::string_view w) {
      if (predicted.Contains(q, w)) return;
      const auto& ids = true_candidate_ids[query_position[std::string(q)]];
      const bool candidate =
          std::find(ids.begin(), ids.end(), index_of[std::string(w)]) != ids.end();
      show(candidate ? "MISS" : "MISS-NOT-CANDIDATE", q, w);
    });
    budget = std::atoi(debug);
    predicted.ForEach([&](std::string_view q, std::string_view w) {
      if (!task.truth.Contains(q, w)) show("FALSE", q, w);
    });
    std::fputs(screener.model().ToJson().c_str(), stderr);
  }
  result.candidate_recall = task.truth.size() == 0 ? 1.0
                                                   : static_cast<double>(found_true) /
                                                         static_cast<double>(task.truth.size());
  result.mean_candidates = task.queries.empty() ? 0
                                                : static_cast<double>(total_candidates) /
                                                      static_cast<double>(task.queries.size());
  return result;
}

TaskResult RunEncodedTask(const LinkageTask& task, const pprl::EncodingKey& key, int threads) {
  TaskResult result;
  const double t0 = Seconds();
  const pprl::Encoder encoder(key);
  std::vector<pprl::EncodedIndex::Entry> entries;
  entries.reserve(task.watchlist.size());
  for (const auto& e : task.watchlist) entries.push_back({e.id, encoder.Encode(e)});
  const pprl::EncodedIndex index = pprl::EncodedIndex::Build(key, std::move(entries));
  std::vector<pprl::QueryCode> codes;
  codes.reserve(task.queries.size());
  for (const auto& e : task.queries) codes.push_back(encoder.EncodeQuery(e));
  const pprl::EncodedModel model = index.FitQueryMatchRate(
      std::span(codes).first(std::min<size_t>(codes.size(), 5000)), task.deduplicate);
  std::fprintf(stderr, "%s (encoded): estimated query match rate %.3f\n", task.name.c_str(),
               model.query_match_rate);
  const double t1 = Seconds();
  result.index_seconds = t1 - t0;
  // ENTENTE_QUALITY_ENCODED_THRESHOLD: another threshold than the default, to see the curve.
  float threshold = pprl::kDefaultScoreThreshold;
  if (const char* t = std::getenv("ENTENTE_QUALITY_ENCODED_THRESHOLD")) {
    threshold = std::strtof(t, nullptr);
  }
  std::vector<std::vector<pprl::IndexHit>> found(task.queries.size());
  std::vector<size_t> candidates(task.queries.size());
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < task.queries.size();
           i += static_cast<size_t>(threads)) {
        found[i] = index.Query(codes[i], threshold, model, /*one_person=*/!task.deduplicate);
        candidates[i] = index.CandidateCount(codes[i].code);
      }
    });
  }
  for (auto& w : workers) w.join();
  result.screen_seconds = Seconds() - t1;
  std::map<std::string, uint32_t> index_of;
  for (uint32_t i = 0; i < index.size(); ++i) index_of[index.id(i)] = i;
  match::PairSet predicted;
  size_t total_candidates = 0;
  for (size_t i = 0; i < task.queries.size(); ++i) {
    total_candidates += candidates[i];
    for (const pprl::IndexHit& hit : found[i]) {
      if (task.deduplicate && index.id(hit.index) == task.queries[i].id) continue;
      predicted.Add(task.queries[i].id, index.id(hit.index));
    }
  }
  std::unordered_map<std::string, std::array<bool, match::kSliceCount>> slices;
  if (!task.deduplicate) {
    for (const auto& q : task.queries) slices[q.id] = match::SlicesOf(q);
  }
  result.scores = match::Evaluate(task.truth, predicted, slices);
  if (task.deduplicate) {
    std::vector<std::string> ids;
    ids.reserve(task.watchlist.size());
    for (const auto& e : task.watchlist) ids.push_back(e.id);
    result.clusters = match::EvaluateClusters(task.truth, predicted, ids);
  }
  // Candidate recall of the bands: true pairs whose listed record the bands propose.
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < task.queries.size(); ++i) position[task.queries[i].id] = i;
  size_t found_true = 0;
  task.truth.ForEach([&](std::string_view q, std::string_view w) {
    const auto query = position.find(std::string(q));
    const auto listed = index_of.find(std::string(w));
    if (query == position.end() || listed == index_of.end()) return;
    const auto proposed = index.Candidates(codes[query->second].code);
    if (std::find(proposed.begin(), proposed.end(), listed->second) != proposed.end()) ++found_true;
  });
  result.candidate_recall = task.truth.size() == 0 ? 1.0
                                                   : static_cast<double>(found_true) /
                                                         static_cast<double>(task.truth.size());
  result.mean_candidates = task.queries.empty() ? 0
                                                : static_cast<double>(total_candidates) /
                                                      static_cast<double>(task.queries.size());
  // ENTENTE_QUALITY_ENCODED_DEBUG=N: N missed true pairs with their range levels, and how the
  // misses spread over the levels of names and birth dates.
  if (const char* debug = std::getenv("ENTENTE_QUALITY_ENCODED_DEBUG")) {
    int budget = std::atoi(debug);
    std::map<std::pair<int, int>, int> spread;
    std::map<std::string, const model::Entity*> listed_by_id;
    for (const auto& e : task.watchlist) listed_by_id[e.id] = &e;
    task.truth.ForEach([&](std::string_view q, std::string_view w) {
      if (predicted.Contains(q, w)) return;
      const auto query = position.find(std::string(q));
      const auto listed = index_of.find(std::string(w));
      if (query == position.end() || listed == index_of.end()) return;
      const pprl::BloomCode& a = codes[query->second].code;
      const pprl::BloomCode& b = index.code(listed->second);
      const pprl::RangeLevels levels =
          pprl::CompareQuery(codes[query->second], b, pprl::RangeIntersections(a, b),
                             pprl::RangePopcounts(a), pprl::RangePopcounts(b));
      ++spread[{levels[0], levels[1]}];
      if (budget-- <= 0) return;
      const model::Entity& qe = task.queries[query->second];
      const model::Entity& le = *listed_by_id[std::string(w)];
      auto first = [](const model::Entity& e, const char* p) {
        const auto& v = e.Values(p);
        return v.empty() ? std::string("-") : v.front();
      };
      const pprl::RangeCounts both = pprl::RangeIntersections(a, b);
      double pairwise = 0;  // the pair's score without the one-person rule
      for (const auto& h : index.Query(codes[query->second], 0.01F, model, false)) {
        if (h.index == listed->second) pairwise = h.score;
      }
      std::fprintf(stderr,
                   "MISS %s | %s  vs  %s | %s  levels name %d birth %d traits %d id %d"
                   "  (name bits %u of %u and %u; pair score %.3f, pairwise %.3f, %zu hits)\n",
                   first(qe, "name").c_str(), first(qe, "birthDate").c_str(),
                   first(le, "name").c_str(), first(le, "birthDate").c_str(), levels[0], levels[1],
                   levels[2], levels[3], both[0], pprl::RangePopcounts(a)[0],
                   pprl::RangePopcounts(b)[0], model.MatchProbability(levels), pairwise,
                   found[query->second].size());
    });
    for (const auto& [levels_pair, count] : spread) {
      std::fprintf(stderr, "misses at name level %d, birth level %d: %d\n", levels_pair.first,
                   levels_pair.second, count);
    }
  }
  return result;
}

}  // namespace entente::quality
