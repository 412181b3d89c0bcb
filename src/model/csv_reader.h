#pragma once

#include <istream>
#include <string>
#include <vector>

#include "model/csv_row_reader.h"
#include "model/entity_io.h"

namespace entente::model {

// Reads entities from CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM
// skipped), streaming in constant memory. The header names FollowTheMoney properties; `id` is
// required, `schema` optional (Person when absent or empty). A cell holds several values
// separated by '|' ("\|" is a literal '|', "\\" a literal '\'); values are trimmed of spaces and
// empty values dropped. Blank lines are skipped.
//
// A malformed row (wrong number of fields, stray quote, invalid UTF-8, a bad schema) is a
// kBadRecord located by line, column and field, and reading goes on with the next row. An
// unknown or duplicate column, a missing id column, an unterminated quote or a read error is
// kFatal. `in` must outlive the reader. Not thread-safe.
class CsvEntityReader final : public EntityReader {
 public:
  static constexpr size_t kMaxRecordBytes = CsvRowReader::kMaxRowBytes;

  CsvEntityReader(std::istream& in, std::string file);
  ReadOutcome Next(Record* record, Problems* problems) override;

  // The columns of the header, once the first Next() has read it.
  const std::vector<std::string>& header() const { return header_; }

 private:
  bool ReadHeader(Problems* problems);
  Problem At(int64_t line, int64_t column, std::string field, std::string message) const;

  CsvRowReader rows_;
  std::vector<std::string> header_;
  int id_column_ = -1;
  int schema_column_ = -1;
  bool header_read_ = false;
  bool failed_ = false;
};

// Splits one cell into its values ('|' separated, '\' escapes, trimmed, empties dropped).
std::vector<std::string> SplitCellValues(std::string_view cell);

}  // namespace entente::model
