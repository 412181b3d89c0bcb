#include "service/batch_screening.h"

#include <algorithm>
#include <optional>
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

// Reads every valid record of `reader` in batches and prepares each (`prepare(entity)`) on
// `threads` threads, in file order.
template <typename T, typename Prepare>
Result<std::vector<T>> ReadPrepared(model::EntityReader& reader, bool strict, int threads,
                                    const ProblemFn& on_problem, int64_t* bad_rows,
                                    const Prepare& prepare, const ProgressFn& on_progress = {}) {
  std::vector<T> out;
  std::vector<model::Entity> batch;
  while (true) {
    ENTENTE_ASSIGN_OR_RETURN(bool more,
                             ReadBatch(reader, 16384, strict, on_problem, batch, bad_rows));
    const size_t base = out.size();
    out.resize(base + batch.size());
    ParallelFor(batch.size(), threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) out[base + i] = prepare(batch[i]);
    });
    if (on_progress) on_progress("reading the watchlist", static_cast<int64_t>(out.size()));
    if (!more) break;
  }
  return out;
}

// The query pass both screenings share. The queries are read a batch at a time and prepared
// (`prepare(entity) -> Q`) on `threads` threads; the first batch, of at least `fit_sample`
// records, is handed to `fit(span<const Q>)` before anything is screened, as the sample the
// model is fitted on. Each batch is then screened on `threads` threads
// (`screen(thread, entity, query, rows)` appends the query's rows, query_id left empty) and its
// rows go to `on_match` in query order. Counts go to `summary`.
template <typename Q, typename Prepare, typename Fit, typename ScreenOne>
Status ScreenQueries(model::EntityReader& queries, bool strict, int threads, size_t batch_size,
                     size_t fit_sample, const Prepare& prepare, const Fit& fit,
                     const ScreenOne& screen,
                     const std::function<Status(const MatchRow&)>& on_match,
                     const ProblemFn& on_problem, const ProgressFn& on_progress,
                     BatchScreenSummary& summary) {
  std::vector<model::Entity> batch;
  std::vector<Q> prepared;
  auto prepare_batch = [&] {
    prepared.resize(batch.size());
    ParallelFor(batch.size(), threads, [&](int, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) prepared[i] = prepare(batch[i]);
    });
  };
  ENTENTE_ASSIGN_OR_RETURN(bool more, ReadBatch(queries, std::max(batch_size, fit_sample), strict,
                                                on_problem, batch, &summary.bad_rows));
  prepare_batch();
  fit(std::span<const Q>(prepared).first(std::min(prepared.size(), fit_sample)));
  std::vector<std::vector<MatchRow>> rows;
  while (true) {
    rows.assign(batch.size(), {});
    ParallelFor(batch.size(), threads, [&](int t, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) screen(t, batch[i], prepared[i], rows[i]);
    });
    for (size_t i = 0; i < batch.size(); ++i) {
      for (MatchRow& row : rows[i]) {
        row.query_id = batch[i].id;
        ENTENTE_RETURN_IF_ERROR(on_match(row));
        ++summary.pairs;
      }
    }
    summary.query_records += static_cast<int64_t>(batch.size());
    if (on_progress) on_progress("screening", summary.query_records);
    if (!more) break;
    ENTENTE_ASSIGN_OR_RETURN(
        more, ReadBatch(queries, batch_size, strict, on_problem, batch, &summary.bad_rows));
    prepare_batch();
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<match::Identity>> ReadIdentities(model::EntityReader& reader, bool strict,
                                                    const ProblemFn& on_problem,
                                                    int64_t* bad_rows) {
  return ReadPrepared<match::Identity>(reader, strict, 1, on_problem, bad_rows,
                                       match::CompileIdentity);
}

Result<BatchScreenSummary> ScreenBatch(model::EntityReader& watchlist, model::EntityReader& queries,
                                       const match::FsModel& model,
                                       const BatchScreenOptions& options,
                                       const std::function<Status(const MatchRow&)>& on_match,
                                       const ProblemFn& on_problem, const ProgressFn& on_progress,
                                       const std::function<double()>& now_seconds) {
  BatchScreenSummary summary;
  const double t0 = now_seconds();
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<match::Identity> identities,
      ReadPrepared<match::Identity>(watchlist, options.strict, options.threads, on_problem,
                                    &summary.bad_rows, match::CompileIdentity, on_progress));
  summary.watchlist_records = static_cast<int64_t>(identities.size());
  if (on_progress) on_progress("building the index", 0);
  const match::CandidateIndex index =
      match::CandidateIndex::Build(std::move(identities), options.threads);
  summary.index_bytes = index.MemoryBytes();
  const double t1 = now_seconds();
  summary.index_seconds = t1 - t0;

  std::optional<match::Screener> screener;
  std::vector<match::Screener::Scratch> scratch(static_cast<size_t>(std::max(1, options.threads)));
  auto fit = [&](std::span<const match::Identity> sample) {
    match::FsModel effective = model;
    if (options.fit_model) {
      effective = match::FitModel(model, index, sample,
                                  /*same_list=*/options.screen.skip_same_id);
    }
    summary.query_match_rate = effective.query_match_rate;
    screener.emplace(index, effective);
  };
  auto screen = [&](int t, const model::Entity&, const match::Identity& query,
                    std::vector<MatchRow>& rows) {
    for (const auto& m : screener->Screen(query, options.screen, scratch[static_cast<size_t>(t)])) {
      MatchRow& row = rows.emplace_back();
      row.match_id = index.identity(m.index).id;
      row.score = m.probability;
      if (options.explain) row.explanation = screener->model().Explain(m.comparison);
    }
  };
  ENTENTE_RETURN_IF_ERROR(ScreenQueries<match::Identity>(
      queries, options.strict, options.threads, options.batch_size, options.fit_sample,
      match::CompileIdentity, fit, screen, on_match, on_problem, on_progress, summary));
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
  auto encode = [&encoder](const model::Entity& e) { return encoder.EncodeQuery(e); };
  ENTENTE_ASSIGN_OR_RETURN(
      std::vector<pprl::EncodedIndex::Entry> entries,
      ReadPrepared<pprl::EncodedIndex::Entry>(
          watchlist, options.strict, options.threads, on_problem, &summary.bad_rows,
          [&encoder](const model::Entity& e) {
            return pprl::EncodedIndex::Entry{e.id, encoder.Encode(e)};
          },
          on_progress));
  summary.watchlist_records = static_cast<int64_t>(entries.size());
  if (on_progress) on_progress("building the index", 0);
  const pprl::EncodedIndex index = pprl::EncodedIndex::Build(options.key, std::move(entries));
  summary.index_bytes = index.MemoryBytes();
  const double t1 = now_seconds();
  summary.index_seconds = t1 - t0;

  pprl::EncodedModel model = index.model();
  auto fit = [&](std::span<const pprl::QueryCode> sample) {
    if (options.fit_model) model = index.FitQueryMatchRate(sample, options.skip_same_id);
    summary.query_match_rate = model.query_match_rate;
  };
  auto screen = [&](int, const model::Entity& entity, const pprl::QueryCode& code,
                    std::vector<MatchRow>& rows) {
    // A file screened against itself holds a person as often as it has records of them.
    for (const pprl::IndexHit& hit :
         index.Query(code, options.threshold, model,
                     /*one_person=*/options.one_person && !options.skip_same_id)) {
      const std::string& match_id = index.id(hit.index);
      if (options.skip_same_id && match_id == entity.id) continue;
      MatchRow& row = rows.emplace_back();
      row.match_id = match_id;
      row.score = hit.score;
    }
  };
  ENTENTE_RETURN_IF_ERROR(ScreenQueries<pprl::QueryCode>(
      queries, options.strict, options.threads, options.batch_size, options.fit_sample, encode, fit,
      screen, on_match, on_problem, on_progress, summary));
  summary.screen_seconds = now_seconds() - t1;
  return summary;
}

}  // namespace entente::service
