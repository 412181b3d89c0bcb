#include "model/csv_writer.h"

#include <algorithm>

namespace entente::model {

bool NeedsFormulaGuard(std::string_view value) {
  if (value.empty() || std::string_view("=+-@\t\r").find(value.front()) == std::string_view::npos) {
    return false;
  }
  // A number or a phone number ("+32 475 12 34 56", "-3") runs nothing in a spreadsheet.
  return !std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= '0' && c <= '9') || std::string_view(" +-()./").find(c) != std::string_view::npos;
  });
}

std::string JoinCellValues(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '|';
    if (NeedsFormulaGuard(values[i])) out += '\\';
    for (char c : values[i]) {
      if (c == '|' || c == '\\') out += '\\';
      out += c;
    }
  }
  return out;
}

void AppendCsvCell(std::string& out, std::string_view cell) {
  const bool quote = cell.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

CsvEntityWriter::CsvEntityWriter(std::ostream& out, std::vector<std::string> columns)
    : out_(out), columns_(std::move(columns)) {
  std::erase_if(columns_, [](const std::string& c) { return c == "id" || c == "schema"; });
}

void CsvEntityWriter::WriteHeaderOnce() {
  if (header_written_) return;
  header_written_ = true;
  std::string header = "id,schema";
  for (const auto& c : columns_) {
    header += ',';
    AppendCsvCell(header, c);
  }
  header += '\n';
  out_ << header;
}

Status CsvEntityWriter::Write(const Entity& entity) {
  for (const auto& [property, values] : entity.properties) {
    if (std::find(columns_.begin(), columns_.end(), property) == columns_.end()) {
      return InvalidArgument("entity " + entity.id + " has property '" + property +
                             "', which is not a column of this CSV file");
    }
  }
  WriteHeaderOnce();
  row_.clear();
  AppendCsvCell(row_, entity.id);
  row_ += ',';
  row_ += SchemaName(entity.schema);
  for (const auto& column : columns_) {
    row_ += ',';
    auto it = entity.properties.find(column);
    if (it != entity.properties.end()) AppendCsvCell(row_, JoinCellValues(it->second));
  }
  row_ += '\n';
  out_.write(row_.data(), static_cast<std::streamsize>(row_.size()));
  if (!out_) return IoError("write failed");
  return Status::Ok();
}

Status CsvEntityWriter::Finish() {
  WriteHeaderOnce();
  out_.flush();
  if (!out_) return IoError("write failed");
  return Status::Ok();
}

}  // namespace entente::model
