#include "model/csv_reader.h"

#include <unordered_map>

#include "model/property.h"

namespace entente::model {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<std::string> SplitCellValues(std::string_view cell) {
  std::vector<std::string> values;
  std::string current;
  auto flush = [&] {
    std::string_view trimmed = TrimSpaces(current);
    if (!trimmed.empty()) values.emplace_back(trimmed);
    current.clear();
  };
  for (size_t i = 0; i < cell.size(); ++i) {
    const char c = cell[i];
    // "\|" and "\\" are a literal '|' and '\'; "\=" (and +, -, @, tab, CR) the value's first
    // character, escaped so that a spreadsheet does not read the cell as a formula.
    if (c == '\\' && i + 1 < cell.size() &&
        std::string_view("|\\=+-@\t\r").find(cell[i + 1]) != std::string_view::npos) {
      current += cell[++i];
    } else if (c == '|') {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return values;
}

int64_t Record::ColumnOf(std::string_view field) const {
  for (const auto& [name, column] : columns) {
    if (name == field) return column;
  }
  return 0;
}

CsvEntityReader::CsvEntityReader(std::istream& in, std::string file) : rows_(in, std::move(file)) {}

Problem CsvEntityReader::At(int64_t line, int64_t column, std::string field,
                            std::string message) const {
  return Problem{rows_.file(), line, column, std::move(field), std::move(message)};
}

bool CsvEntityReader::ReadHeader(Problems* problems) {
  CsvRowReader::Outcome outcome;
  do {
    outcome = rows_.Next({}, problems);
  } while (outcome == CsvRowReader::Outcome::kRow && rows_.blank());
  if (outcome == CsvRowReader::Outcome::kEnd) {
    problems->push_back(At(1, 0, "", "empty file: expected a header row naming the columns"));
    return false;
  }
  if (outcome != CsvRowReader::Outcome::kRow) return false;
  const auto& fields = rows_.fields();
  const int64_t header_line = rows_.row_line();
  bool ok = true;
  // Each name once, with the columns it heads: a header that repeats a name thousands of times
  // costs linear time and one problem per name, not one per pair.
  struct Seen {
    int64_t first_column = 0;
    int64_t times = 0;
    int64_t second_column = 0;
  };
  std::unordered_map<std::string, Seen> seen;
  std::vector<std::string> repeated;  // in the order of their second appearance
  for (size_t i = 0; i < rows_.field_count(); ++i) {
    std::string name(TrimSpaces(fields[i].text));
    const auto column = fields[i].column;
    Seen& entry = seen[name];
    if (++entry.times == 1) {
      entry.first_column = column;
    } else {
      if (entry.times == 2) {
        entry.second_column = column;
        repeated.push_back(name);
      }
      header_.push_back(std::move(name));
      continue;  // its other problems are the first occurrence's
    }
    if (name == "id") {
      id_column_ = static_cast<int>(i);
    } else if (name == "schema") {
      schema_column_ = static_cast<int>(i);
    } else if (name.empty()) {
      problems->push_back(At(header_line, column, "", "empty column name in the header"));
      ok = false;
    } else if (FindProperty(name) == nullptr) {
      problems->push_back(At(header_line, column, name,
                             "unknown column: not a FollowTheMoney or Entente property"));
      ok = false;
    }
    header_.push_back(std::move(name));
  }
  for (const std::string& name : repeated) {
    const Seen& entry = seen[name];
    const std::string times = entry.times == 2 ? "twice" : std::to_string(entry.times) + " times";
    problems->push_back(At(header_line, entry.second_column, name,
                           "column named " + times + " in the header (first at column " +
                               std::to_string(entry.first_column) + ")"));
    ok = false;
  }
  if (id_column_ < 0) {
    problems->push_back(At(header_line, 0, "id", "the header has no 'id' column"));
    ok = false;
  }
  return ok;
}

ReadOutcome CsvEntityReader::Next(Record* record, Problems* problems) {
  if (failed_) return ReadOutcome::kFatal;
  if (!header_read_) {
    if (!ReadHeader(problems)) {
      failed_ = true;
      return ReadOutcome::kFatal;
    }
    header_read_ = true;
  }
  while (true) {
    switch (rows_.Next(header_, problems)) {
      case CsvRowReader::Outcome::kEnd:
        return ReadOutcome::kEnd;
      case CsvRowReader::Outcome::kFatal:
        failed_ = true;
        return ReadOutcome::kFatal;
      case CsvRowReader::Outcome::kBad:
        return ReadOutcome::kBadRecord;
      case CsvRowReader::Outcome::kRow:
        break;
    }
    if (rows_.blank()) continue;
    const auto& fields = rows_.fields();
    const size_t field_count = rows_.field_count();
    const int64_t record_line = rows_.row_line();
    if (field_count != header_.size()) {
      problems->push_back(At(record_line, 0, "",
                             "expected " + std::to_string(header_.size()) + " fields, got " +
                                 std::to_string(field_count) + "; row skipped"));
      return ReadOutcome::kBadRecord;
    }
    Entity& entity = record->entity;
    entity.id.assign(TrimSpaces(fields[static_cast<size_t>(id_column_)].text));
    entity.schema = Schema::kPerson;
    entity.properties.clear();
    record->line = record_line;
    record->columns.clear();
    record->columns.emplace_back("id", fields[static_cast<size_t>(id_column_)].column);
    if (schema_column_ >= 0) {
      const CsvRowReader::Field& f = fields[static_cast<size_t>(schema_column_)];
      std::string_view schema = TrimSpaces(f.text);
      record->columns.emplace_back("schema", f.column);
      if (!schema.empty() && !ParseSchema(schema, &entity.schema)) {
        problems->push_back(At(f.line, f.column, "schema",
                               "'" + std::string(schema) +
                                   "' is not a schema (expected Person or Organization); row "
                                   "skipped"));
        return ReadOutcome::kBadRecord;
      }
    }
    for (size_t i = 0; i < field_count; ++i) {
      if (static_cast<int>(i) == id_column_ || static_cast<int>(i) == schema_column_) continue;
      std::vector<std::string> values = SplitCellValues(fields[i].text);
      if (values.empty()) continue;
      record->columns.emplace_back(header_[i], fields[i].column);
      entity.Set(header_[i], std::move(values));
    }
    return ReadOutcome::kRecord;
  }
}

}  // namespace entente::model
