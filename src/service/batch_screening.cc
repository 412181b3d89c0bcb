#include "service/batch_screening.h"

#include <algorithm>
#include <span>
#include <thread>

#include "match/candidate_index.h"
#include "match/identity.h"
#include "match/training.h"
#include "model/validation.h"

namespace entente::service {
namespace {

// Reads up to `limit` records into `out`; returns false when the input is exhausted.
Result<bool> ReadBatch(model::EntityReader& reader, size_t limit, bool strict,
                       const ProblemFn& on_problem, std::vector<model::Entity>& out,
                       int64_t* bad_rows) {
  out.clear();
  model::Record record;
  model::Problems problems;
  while (out.size() < limit) {
    problems.clear();
    const model::ReadOutcome outcome = reader.Next(&record, &problems);
    if (outcome == model::ReadOutcome::kEnd) return false;
    if (outcome == model::ReadOutcome::kFatal) {
      for (const auto& p : problems) on_problem(p);
      return InvalidArgument(problems.empty() ? "read failed" : problems.front().ToString());
    }
    if (outcome == model::ReadOutcome::kBadRecord) {
      ++*bad_rows;
      for (const auto& p : problems) on_problem(p);
      if (strict) return InvalidArgument(problems.front().ToString());
      continue;
    }
    out.push_back(std::move(record.entity));
  }
  return true;
}

template <typename Fn>
void ParallelFor(size_t n, int threads, Fn fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(1, n / 64))));
  if (threads == 1) {
    fn(0, 0, n);
    return;
  }
  std::vector<std::thread> workers;
  const size_t chunk = (n + static_cast<size_t>(threads) - 1) / static_cast<size_t>(threads);
  for (int t = 0; t < threads; ++t) {
    const size_t begin = std::min(n, static_cast<size_t>(t) * chunk);
    const size_t end = std::min(n, begin + chunk);
    workers.emplace_back([&fn, t, begin, end] { fn(t, begin, end); });
  }
  for (auto& w : workers) w.join();
}

}  // namespace

Result<std::vector<match::Identity>> ReadIdentities(model::EntityReader& reader, bool strict,
                                                    const ProblemFn& on_problem,
                                                    int64_t* bad_rows) {
  std::vector<match::Identity> identities;
  std::vector<model::Entity> batch;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(bool more,
                             ReadBatch(reader, 8192, strict, on_problem, batch, bad_rows));
    for (const auto& e : batch) identities.push_back(match::CompileIdentity(e));
    if (!more) break;
  }
  return identities;
}

Result<BatchScreenSummary> ScreenBatch(model::EntityReader& watchlist, model::EntityReader& queries,
                                       const match::FsModel& model,
                                       const BatchScreenOptions& options,
                                       const std::function<Status(const MatchRow&)>& on_match,
                                       const ProblemFn& on_problem, const ProgressFn& on_progress,
                                       const std::function<double()>& now_seconds) {
  BatchScreenSummary summary;
  const double t0 = now_seconds();
  // The watchlist: read in batches, compiled in parallel.
  std::vector<match::Identity> identities;
  {
    std::vector<model::Entity> batch;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(bool more, ReadBatch(watchlist, 16384, options.strict, on_problem,
                                                    batch, &summary.bad_rows));
      const size_t base = identities.size();
      identities.resize(base + batch.size());
      ParallelFor(batch.size(), options.threads, [&](int, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i)
          identities[base + i] = match::CompileIdentity(batch[i]);
      });
      if (!more) break;
    }
  }
  summary.watchlist_records = static_cast<int64_t>(identities.size());
  const match::CandidateIndex index =
      match::CandidateIndex::Build(std::move(identities), options.threads);
  summary.index_bytes = index.MemoryBytes();
  const double t1 = now_seconds();
  summary.index_seconds = t1 - t0;

  // Queries are read and compiled a batch at a time. The first batch is read before screening
  // starts: it is also the sample the model is fitted on.
  std::vector<model::Entity> batch;
  std::vector<match::Identity> compiled;
  auto compile = [&] {
    compiled.resize(batch.size());
    ParallelFor(batch.size(), options.threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) compiled[i] = match::CompileIdentity(batch[i]);
    });
  };
  ENTENTE_ASSIGN_OR_RETURN(bool more,
                           ReadBatch(queries, std::max(options.batch_size, options.fit_sample),
                                     options.strict, on_problem, batch, &summary.bad_rows));
  compile();
  match::FsModel effective_model = model;
  if (options.fit_model) {
    const size_t sample = std::min(compiled.size(), options.fit_sample);
    effective_model = match::FitModel(model, index, std::span(compiled).first(sample),
                                      /*same_list=*/options.screen.skip_same_id);
  }
  summary.query_match_rate = effective_model.query_match_rate;
  const match::Screener screener(index, effective_model);
  std::vector<match::Screener::Scratch> scratch(static_cast<size_t>(std::max(1, options.threads)));
  std::vector<std::vector<match::ScreenMatch>> results;
  while (true) {
    results.assign(batch.size(), {});
    ParallelFor(batch.size(), options.threads, [&](int t, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        results[i] = screener.Screen(compiled[i], options.screen, scratch[static_cast<size_t>(t)]);
      }
    });
    for (size_t i = 0; i < batch.size(); ++i) {
      for (const auto& m : results[i]) {
        MatchRow row;
        row.query_id = batch[i].id;
        row.match_id = index.identity(m.index).id;
        row.score = m.probability;
        if (options.explain) row.explanation = screener.model().Explain(m.comparison);
        ENTENTE_RETURN_IF_ERROR(on_match(row));
        ++summary.pairs;
      }
    }
    summary.query_records += static_cast<int64_t>(batch.size());
    if (on_progress) on_progress(summary.query_records);
    if (!more) break;
    ENTENTE_ASSIGN_OR_RETURN(more, ReadBatch(queries, options.batch_size, options.strict,
                                             on_problem, batch, &summary.bad_rows));
    compile();
  }
  summary.screen_seconds = now_seconds() - t1;
  return summary;
}

Result<BatchScreenSummary> ScreenBatchEncoded(
    model::EntityReader& watchlist, model::EntityReader& queries,
    const EncodedScreenOptions& options, const std::function<Status(const MatchRow&)>& on_match,
    const ProblemFn& on_problem, const ProgressFn& on_progress,
    const std::function<double()>& now_seconds) {
  BatchScreenSummary summary;
  const double t0 = now_seconds();
  const pprl::Encoder encoder(options.key);
  std::vector<pprl::EncodedIndex::Entry> entries;
  {
    std::vector<model::Entity> batch;
    while (true) {
      ENTENTE_ASSIGN_OR_RETURN(bool more, ReadBatch(watchlist, 16384, options.strict, on_problem,
                                                    batch, &summary.bad_rows));
      const size_t base = entries.size();
      entries.resize(base + batch.size());
      ParallelFor(batch.size(), options.threads, [&](int, size_t begin, size_t end) {
        for (size_t i = begin; i < end; ++i) {
          entries[base + i] = {batch[i].id, encoder.Encode(batch[i])};
        }
      });
      if (!more) break;
    }
  }
  summary.watchlist_records = static_cast<int64_t>(entries.size());
  const pprl::EncodedIndex index = pprl::EncodedIndex::Build(options.key, std::move(entries));
  summary.index_bytes = index.MemoryBytes();
  const double t1 = now_seconds();
  summary.index_seconds = t1 - t0;

  // The first batch is read before screening starts: it is also the sample the query match
  // rate is fitted on.
  std::vector<model::Entity> batch;
  std::vector<pprl::BloomCode> codes;
  auto encode = [&] {
    codes.resize(batch.size());
    ParallelFor(batch.size(), options.threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) codes[i] = encoder.Encode(batch[i]);
    });
  };
  ENTENTE_ASSIGN_OR_RETURN(bool more,
                           ReadBatch(queries, std::max(options.batch_size, options.fit_sample),
                                     options.strict, on_problem, batch, &summary.bad_rows));
  encode();
  pprl::EncodedModel model = index.model();
  if (options.fit_model) {
    model = index.FitQueryMatchRate(
        std::span(codes).first(std::min(codes.size(), options.fit_sample)), options.skip_same_id);
  }
  summary.query_match_rate = model.query_match_rate;
  std::vector<std::vector<pprl::IndexHit>> results;
  while (true) {
    results.assign(batch.size(), {});
    ParallelFor(batch.size(), options.threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        results[i] = index.Query(codes[i], options.threshold, model);
      }
    });
    for (size_t i = 0; i < batch.size(); ++i) {
      for (const pprl::IndexHit& hit : results[i]) {
        const std::string& match_id = index.id(hit.index);
        if (options.skip_same_id && match_id == batch[i].id) continue;
        MatchRow row;
        row.query_id = batch[i].id;
        row.match_id = match_id;
        row.score = hit.score;
        ENTENTE_RETURN_IF_ERROR(on_match(row));
        ++summary.pairs;
      }
    }
    summary.query_records += static_cast<int64_t>(batch.size());
    if (on_progress) on_progress(summary.query_records);
    if (!more) break;
    ENTENTE_ASSIGN_OR_RETURN(more, ReadBatch(queries, options.batch_size, options.strict,
                                             on_problem, batch, &summary.bad_rows));
    encode();
  }
  summary.screen_seconds = now_seconds() - t1;
  return summary;
}

}  // namespace entente::service
