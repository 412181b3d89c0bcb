#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "model/entity_io.h"

namespace entente::model {

// Writes entities as CSV: a header "id,schema,<columns...>", one row per entity, several
// values in a cell joined by '|' (a '|' or '\' inside a value is written as "\|" or "\\"),
// RFC 4180 quoting where needed, LF line ends, UTF-8 without BOM.
// `out` must outlive the writer. Not thread-safe.
class CsvEntityWriter final : public EntityWriter {
 public:
  CsvEntityWriter(std::ostream& out, std::vector<std::string> columns);
  // Fails with InvalidArgument, writing nothing, if the entity has a property that is not a column.
  Status Write(const Entity& entity) override;
  Status Finish() override;

 private:
  void WriteHeaderOnce();
  std::ostream& out_;
  std::vector<std::string> columns_;
  bool header_written_ = false;
  std::string row_;
};

// Whether a value would be read by a spreadsheet as a formula (it starts with =, +, -, @, a tab
// or CR and is not merely a number or a phone number): JoinCellValues escapes its first
// character with '\' (CSV formula injection), which the reader takes back off.
bool NeedsFormulaGuard(std::string_view value);
// Escapes one cell's value list: values joined by '|', '|' and '\' escaped by '\', and a
// value NeedsFormulaGuard starts with '\'.
std::string JoinCellValues(const std::vector<std::string>& values);
// Quotes a cell for CSV if it contains a comma, quote, CR or LF, or starts/ends with a space.
void AppendCsvCell(std::string& out, std::string_view cell);

}  // namespace entente::model
