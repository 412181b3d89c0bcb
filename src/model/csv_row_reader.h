#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "model/problem.h"

namespace entente::model {

// Reads the rows of an RFC 4180 CSV file (quoted fields, doubled quotes, CRLF or LF, a UTF-8
// BOM skipped), streaming in constant memory, and locates every field by line and column (in
// characters). Knows nothing of what the columns mean. `in` must outlive it. Not thread-safe.
class CsvRowReader {
 public:
  static constexpr size_t kMaxRowBytes = 1 << 20;

  struct Field {
    std::string text;
    int64_t line = 0;
    int64_t column = 0;
  };
  enum class Outcome {
    kRow,  // fields() holds the row
    kBad,  // this row is malformed (problems says why); reading may go on
    kEnd,
    kFatal,  // unterminated quote or read error
  };

  CsvRowReader(std::istream& in, std::string file);

  // Reads the next row. `names` (may be empty) names the fields in problems by position.
  Outcome Next(const std::vector<std::string>& names, Problems* problems);

  // The fields of the last row read; only the first field_count() are meaningful.
  const std::vector<Field>& fields() const { return fields_; }
  size_t field_count() const { return field_count_; }
  int64_t row_line() const { return row_line_; }
  // Whether the last row was an empty line.
  bool blank() const { return field_count_ == 1 && fields_[0].text.empty(); }
  const std::string& file() const { return file_; }

 private:
  int Peek();
  void Advance();
  bool Refill();
  Problem At(int64_t line, int64_t column, std::string field, std::string message) const;

  std::istream& in_;
  std::string file_;
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool io_error_ = false;
  bool started_ = false;
  int64_t line_ = 1;
  int64_t column_ = 1;
  std::vector<Field> fields_;
  size_t field_count_ = 0;
  int64_t row_line_ = 0;
};

}  // namespace entente::model
