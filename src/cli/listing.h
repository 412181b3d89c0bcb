#pragma once

// How every listing command prints (cases, notices, review, radar, partner list, user list,
// audit show, hits, follow-ups, outbox, stats, index status, search...): one --format option,
//   table  columns aligned by display width (text/display_width.h), long cells cut with "…"
//          between whole characters, numbers right-aligned; the default on a terminal;
//   csv    a header, then RFC 4180 rows (cells a spreadsheet would run as formulas start with
//          "'"); the default when the output is not a terminal;
//   json   an array of objects, one per row and per line, values typed (numbers, booleans,
//          null, nested objects as they are).
// Times are ISO 8601 with their zone (common/time_format.h) in all three.

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace entente::cli {

enum class OutputFormat { kTable, kCsv, kJson };

// Adds "--format table|csv|json" to `cmd` (anything else is a usage error naming the choices).
// *format stays "" when not given.
void AddFormatOption(CLI::App* cmd, std::string* format);

// The format asked for, or when none was: table if standard output is a terminal, else csv.
OutputFormat ResolveFormat(const std::string& given);

struct Column {
  std::string name;
  size_t max_width = 48;  // table format: wider cells are cut with "…" (0: never cut)
};

class Listing {
 public:
  explicit Listing(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // One row: a value per column (strings, numbers, booleans, null; arrays and objects are
  // printed as compact JSON in table and csv). ENTENTE_CHECKs the count.
  void Add(std::vector<nlohmann::json> cells);
  size_t size() const { return rows_.size(); }

  // The whole listing. A table with no row prints its header only; json prints [].
  void Print(std::ostream& out, OutputFormat format) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<nlohmann::json>> rows_;
};

// A time for a listing: ISO 8601 in UTC ("2026-12-07T06:25:21Z"); null when `micros` <= 0 (not
// set), which prints "-" in a table, "" in csv and null in json.
nlohmann::json TimeCell(int64_t micros);

}  // namespace entente::cli
