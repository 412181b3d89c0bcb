// entente compare --pairs P --output R: scores pairs of names (and dates, nationalities).

#include <iomanip>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "match/comparison.h"
#include "match/fs_model.h"
#include "match/identity.h"
#include "model/csv_row_reader.h"
#include "model/csv_writer.h"

namespace entente::cli {
namespace {

// Two records put side by side are one person about once in a thousand, unless the user says
// otherwise: a resemblance must earn its score (an exact rare name does, a weak one does not).
constexpr double kDefaultPairPrior = 0.001;

struct CompareOptions {
  std::string pairs;
  std::string output;
  double prior = kDefaultPairPrior;
  bool force = true;
};

int RunCompare(const CompareOptions& options) {
  auto in = OpenInput(options.pairs);
  if (!in.ok()) return ReportFailure(in.status());
  model::CsvRowReader rows(**in, options.pairs);
  model::Problems problems;
  if (rows.Next({}, &problems) != model::CsvRowReader::Outcome::kRow) {
    return ReportFailure(InvalidArgument(problems.empty() ? options.pairs + ": empty file"
                                                          : problems.front().ToString()));
  }
  std::vector<std::string> header;
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < rows.field_count(); ++i) {
    header.push_back(rows.fields()[i].text);
    column[rows.fields()[i].text] = i;
  }
  for (const char* needed : {"name1", "name2"}) {
    if (!column.count(needed)) {
      return ReportFailure(
          InvalidArgument(options.pairs + ":1: " + needed +
                          ": missing column (expected name1,name2 "
                          "and optionally birthDate1,birthDate2,nationality1,nationality2)"));
    }
  }
  auto out = AtomicFile::Create(options.output, options.force);
  if (!out.ok()) return ReportFailure(out.status());
  std::string line;
  for (const auto& h : header) {
    if (!line.empty()) line += ',';
    model::AppendCsvCell(line, h);
  }
  (*out)->stream() << line << ",score,explanation\n";

  // The prior probability that a pair is one person, stated (--prior), and no name-frequency
  // adjustment (there is no watchlist to count names in).
  match::FsModel model = match::DefaultModel();
  model.query_match_rate = options.prior;
  model.listed_records = 1;
  std::cerr << "prior: " << options.prior << " that a pair is one person (" << std::showpos
            << std::fixed << std::setprecision(1) << model.PriorBits() << std::noshowpos
            << std::defaultfloat << " bits; change it with --prior)\n";
  int64_t pairs = 0, bad = 0;
  while (true) {
    const auto outcome = rows.Next(header, &problems);
    if (outcome == model::CsvRowReader::Outcome::kEnd) break;
    if (outcome == model::CsvRowReader::Outcome::kFatal) {
      return ReportFailure(InvalidArgument(problems.back().ToString()));
    }
    if (outcome == model::CsvRowReader::Outcome::kBad || rows.field_count() != header.size()) {
      if (outcome != model::CsvRowReader::Outcome::kBad) {
        std::cerr << options.pairs << ":" << rows.row_line() << ": expected " << header.size()
                  << " fields, got " << rows.field_count() << "; row skipped\n";
      } else {
        std::cerr << problems.back().ToString() << "\n";
      }
      ++bad;
      continue;
    }
    if (rows.blank()) continue;
    model::Entity a, b;
    a.id = "1";
    b.id = "2";
    auto cell = [&](const char* name) -> std::string {
      auto it = column.find(name);
      return it == column.end() ? std::string() : rows.fields()[it->second].text;
    };
    a.Set("name", {cell("name1")});
    b.Set("name", {cell("name2")});
    for (const auto& [suffix, entity] : {std::pair{"1", &a}, std::pair{"2", &b}}) {
      const std::string birth = cell((std::string("birthDate") + suffix).c_str());
      const std::string nationality = cell((std::string("nationality") + suffix).c_str());
      if (!birth.empty()) entity->Set("birthDate", {birth});
      if (!nationality.empty()) entity->Set("nationality", {nationality});
    }
    const match::Comparison c =
        match::CompareIdentities(match::CompileIdentity(a), match::CompileIdentity(b));
    line.clear();
    for (size_t i = 0; i < header.size(); ++i) {
      if (i > 0) line += ',';
      model::AppendCsvCell(line, rows.fields()[i].text);
    }
    char score[32];
    std::snprintf(score, sizeof score, ",%.4f,", model.MatchProbability(c));
    line += score;
    model::AppendCsvCell(line, model.Explain(c));
    (*out)->stream() << line << '\n';
    ++pairs;
  }
  Status status = (*out)->Commit();
  if (!status.ok()) return ReportFailure(status);
  std::cerr << options.output << ": " << pairs << " pairs scored"
            << (bad > 0 ? ", " + std::to_string(bad) + " bad rows skipped" : "") << "\n";
  return 0;
}

}  // namespace

void AddCompareCommand(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare", "Score pairs of names: the file again with a score and its explanation");
  cmd->footer(
      "Columns name1,name2 and optionally birthDate1,birthDate2,nationality1,nationality2.\n"
      "The score is the probability that the two are one person, from the evidence and the prior\n"
      "(--prior, 0.001 unless given: one pair in a thousand); the explanation gives each field's\n"
      "weight in bits and the prior's.");
  cmd->add_option("--pairs", options->pairs, "CSV of pairs")->required();
  cmd->add_option("--output", options->output, "CSV written")->required();
  cmd->add_option("--prior", options->prior,
                  "Probability that a pair is one person before comparing (default 0.001)")
      ->check(CLI::Range(1e-9, 0.999));
  cmd->callback([options, exit_code] { *exit_code = RunCompare(*options); });
}

}  // namespace entente::cli
