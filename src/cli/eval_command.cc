// entente eval --truth T --result R [--queries Q]: precision, recall and F1 of a screening.

#include <cstdio>
#include <iostream>
#include <unordered_map>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "match/evaluation.h"
#include "model/csv_row_reader.h"
#include "model/entity_format.h"

namespace entente::cli {
namespace {

struct EvalOptions {
  std::string truth;
  std::string result;
  std::string queries;
};

// Reads the query_id and match_id columns of a CSV file.
Result<match::PairSet> ReadPairs(const std::string& path) {
  ENTENTE_ASSIGN_OR_RETURN(auto in, OpenInput(path));
  model::CsvRowReader rows(*in, path);
  model::Problems problems;
  if (rows.Next({}, &problems) != model::CsvRowReader::Outcome::kRow) {
    return InvalidArgument(problems.empty() ? path + ": empty file" : problems.front().ToString());
  }
  int query_column = -1, match_column = -1;
  for (size_t i = 0; i < rows.field_count(); ++i) {
    if (rows.fields()[i].text == "query_id") query_column = static_cast<int>(i);
    if (rows.fields()[i].text == "match_id") match_column = static_cast<int>(i);
  }
  if (query_column < 0 || match_column < 0) {
    return InvalidArgument(path + ":1: expected columns query_id and match_id");
  }
  std::vector<std::string> names(rows.field_count());
  for (size_t i = 0; i < names.size(); ++i) names[i] = rows.fields()[i].text;
  match::PairSet pairs;
  while (true) {
    const auto outcome = rows.Next(names, &problems);
    if (outcome == model::CsvRowReader::Outcome::kEnd) break;
    if (outcome != model::CsvRowReader::Outcome::kRow)
      return InvalidArgument(problems.back().ToString());
    if (rows.blank()) continue;
    if (rows.field_count() != names.size()) {
      return InvalidArgument(path + ":" + std::to_string(rows.row_line()) + ": expected " +
                             std::to_string(names.size()) + " fields, got " +
                             std::to_string(rows.field_count()));
    }
    pairs.Add(rows.fields()[static_cast<size_t>(query_column)].text,
              rows.fields()[static_cast<size_t>(match_column)].text);
  }
  return pairs;
}

int RunEval(const EvalOptions& options) {
  auto truth = ReadPairs(options.truth);
  if (!truth.ok()) return ReportFailure(truth.status());
  auto result = ReadPairs(options.result);
  if (!result.ok()) return ReportFailure(result.status());
  std::unordered_map<std::string, std::array<bool, match::kSliceCount>> slices;
  if (!options.queries.empty()) {
    auto format = model::FormatFromPath(options.queries);
    if (!format.ok()) return ReportFailure(format.status());
    auto in = OpenInput(options.queries);
    if (!in.ok()) return ReportFailure(in.status());
    auto reader = model::MakeEntityReader(*format, **in, options.queries);
    model::Record record;
    model::Problems problems;
    while (true) {
      const auto outcome = reader->Next(&record, &problems);
      if (outcome == model::ReadOutcome::kEnd) break;
      if (outcome == model::ReadOutcome::kFatal)
        return ReportFailure(InvalidArgument(problems.back().ToString()));
      if (outcome == model::ReadOutcome::kRecord)
        slices[record.entity.id] = match::SlicesOf(record.entity);
    }
  }
  const auto scores = match::Evaluate(*truth, *result, slices);
  for (int i = 0; i < (slices.empty() ? 1 : match::kSliceCount); ++i) {
    const auto& s = scores[static_cast<size_t>(i)];
    std::printf("%-14s precision=%.4f recall=%.4f f1=%.4f (tp=%lld predicted=%lld true=%lld)\n",
                std::string(match::SliceName(static_cast<match::Slice>(i))).c_str(), s.precision(),
                s.recall(), s.f1(), static_cast<long long>(s.true_positives),
                static_cast<long long>(s.predicted), static_cast<long long>(s.truth));
  }
  return 0;
}

}  // namespace

void AddEvalCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* cmd = app.add_subcommand(
      "eval", "Precision, recall and F1 of a screening result against the truth, per slice");
  cmd->footer(
      "Slices: Arabic script, no or partial birth date, surname first, and the queries as a "
      "whole.");
  cmd->add_option("--truth", options->truth, "CSV with query_id,match_id")->required();
  cmd->add_option("--result", options->result, "CSV with query_id,match_id (from screen)")
      ->required();
  cmd->add_option("--queries", options->queries, "the query records, for the slices");
  cmd->callback([options, exit_code] { *exit_code = RunEval(*options); });
}

}  // namespace entente::cli
