#include "cli/listing.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "common/check.h"
#include "common/json.h"
#include "common/time_format.h"
#include "model/csv_writer.h"
#include "text/display_width.h"

namespace entente::cli {
namespace {

// The text of a cell in table and csv.
std::string CellText(const nlohmann::json& cell) {
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_null()) return "";
  return DumpJson(cell);
}

std::string CsvCell(const nlohmann::json& cell) {
  std::string text = CellText(cell);
  if (cell.is_string() && model::NeedsFormulaGuard(text)) text.insert(0, "'");
  std::string out;
  model::AppendCsvCell(out, text);
  return out;
}

void PrintTable(std::ostream& out, const std::vector<Column>& columns,
                const std::vector<std::vector<nlohmann::json>>& rows) {
  const size_t n = columns.size();
  std::vector<std::vector<std::string>> texts;
  texts.reserve(rows.size());
  std::vector<size_t> widths(n);
  for (size_t c = 0; c < n; ++c) widths[c] = text::DisplayWidth(columns[c].name);
  for (const auto& row : rows) {
    std::vector<std::string> line(n);
    for (size_t c = 0; c < n; ++c) {
      std::string text = row[c].is_null() ? "-" : text::ForDisplay(CellText(row[c]));
      if (columns[c].max_width > 0) text = text::FitToWidth(text, columns[c].max_width);
      widths[c] = std::max(widths[c], text::DisplayWidth(text));
      line[c] = std::move(text);
    }
    texts.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& cells, const std::vector<bool>& right) {
    std::string line;
    for (size_t c = 0; c < n; ++c) {
      const size_t pad = widths[c] - text::DisplayWidth(cells[c]);
      const bool last = c + 1 == n;
      if (right[c]) line.append(pad, ' ');
      line += cells[c];
      if (!right[c] && !last) line.append(pad, ' ');
      if (!last) line += "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  std::vector<std::string> header(n);
  std::vector<bool> right(n, false);
  for (size_t c = 0; c < n; ++c) {
    header[c] = columns[c].name;
    // A column of numbers only is right-aligned (its header too).
    right[c] = !rows.empty() && std::all_of(rows.begin(), rows.end(), [&](const auto& row) {
      return row[c].is_number() || row[c].is_null();
    });
  }
  print_line(header, right);
  for (const auto& line : texts) print_line(line, right);
}

}  // namespace

void AddFormatOption(CLI::App* cmd, std::string* format) {
  cmd->add_option("--format", *format,
                  "table (the default on a terminal), csv (the default otherwise) or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

OutputFormat ResolveFormat(const std::string& given) {
  if (given == "table") return OutputFormat::kTable;
  if (given == "csv") return OutputFormat::kCsv;
  if (given == "json") return OutputFormat::kJson;
  return isatty(fileno(stdout)) != 0 ? OutputFormat::kTable : OutputFormat::kCsv;
}

void Listing::Add(std::vector<nlohmann::json> cells) {
  ENTENTE_CHECK(cells.size() == columns_.size());
  rows_.push_back(std::move(cells));
}

void Listing::Print(std::ostream& out, OutputFormat format) const {
  switch (format) {
    case OutputFormat::kTable:
      PrintTable(out, columns_, rows_);
      return;
    case OutputFormat::kCsv: {
      std::string line;
      for (size_t c = 0; c < columns_.size(); ++c) {
        if (c > 0) line += ',';
        model::AppendCsvCell(line, columns_[c].name);
      }
      out << line << '\n';
      for (const auto& row : rows_) {
        line.clear();
        for (size_t c = 0; c < row.size(); ++c) {
          if (c > 0) line += ',';
          line += CsvCell(row[c]);
        }
        out << line << '\n';
      }
      return;
    }
    case OutputFormat::kJson: {
      out << '[';
      for (size_t r = 0; r < rows_.size(); ++r) {
        // Keys in the columns' order (a json object would sort them).
        std::string object = "{";
        for (size_t c = 0; c < columns_.size(); ++c) {
          if (c > 0) object += ',';
          object += DumpJson(nlohmann::json(columns_[c].name)) + ':' + DumpJson(rows_[r][c]);
        }
        out << (r == 0 ? "\n" : ",\n") << object << '}';
      }
      out << (rows_.empty() ? "]\n" : "\n]\n");
      return;
    }
  }
}

nlohmann::json TimeCell(int64_t micros) {
  if (micros <= 0) return nullptr;
  return FormatIsoTime(micros);
}

}  // namespace entente::cli
