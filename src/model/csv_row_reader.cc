#include "model/csv_row_reader.h"

#include "common/utf8.h"

namespace entente::model {
namespace {

constexpr size_t kChunkBytes = 1 << 16;

}  // namespace

CsvRowReader::CsvRowReader(std::istream& in, std::string file) : in_(in), file_(std::move(file)) {}

Problem CsvRowReader::At(int64_t line, int64_t column, std::string field,
                         std::string message) const {
  return Problem{file_, line, column, std::move(field), std::move(message)};
}

bool CsvRowReader::Refill() {
  if (eof_) return false;
  buffer_.resize(kChunkBytes);
  in_.read(buffer_.data(), static_cast<std::streamsize>(kChunkBytes));
  const auto got = static_cast<size_t>(in_.gcount());
  buffer_.resize(got);
  pos_ = 0;
  if (got == 0) {
    eof_ = true;
    if (in_.bad()) io_error_ = true;
    return false;
  }
  if (!started_) {
    started_ = true;
    if (buffer_.size() >= 3 && buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;
  }
  return pos_ < buffer_.size() || Refill();
}

int CsvRowReader::Peek() {
  if (pos_ >= buffer_.size() && !Refill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

void CsvRowReader::Advance() {
  const char c = buffer_[pos_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    ++column_;
  }
}

CsvRowReader::Outcome CsvRowReader::Next(const std::vector<std::string>& names,
                                         Problems* problems) {
  field_count_ = 0;
  row_line_ = line_;
  if (Peek() < 0) return io_error_ ? Outcome::kFatal : Outcome::kEnd;
  bool bad = false;
  size_t row_bytes = 0;
  auto new_field = [&]() -> Field& {
    if (field_count_ == fields_.size()) fields_.push_back({});
    Field& f = fields_[field_count_++];
    f.text.clear();
    f.line = line_;
    f.column = column_;
    return f;
  };
  auto add_byte = [&](Field& f, char c) {
    if (++row_bytes > kMaxRowBytes) {
      if (!bad) {
        problems->push_back(
            At(row_line_, 0, "",
               "row longer than " + std::to_string(kMaxRowBytes) + " bytes; skipped"));
      }
      bad = true;
      return;
    }
    f.text += c;
  };
  // Consumes the rest of the physical line after an error in an unquoted field.
  auto skip_line = [&] {
    for (int c = Peek(); c >= 0 && c != '\n'; c = Peek()) Advance();
    if (Peek() == '\n') Advance();
  };

  while (true) {
    Field& field = new_field();
    const int64_t header_index = static_cast<int64_t>(field_count_) - 1;
    auto field_name = [&]() -> std::string {
      if (header_index < static_cast<int64_t>(names.size())) {
        return names[static_cast<size_t>(header_index)];
      }
      return "";
    };
    int c = Peek();
    if (c == '"') {
      const int64_t open_line = line_, open_column = column_;
      Advance();
      while (true) {
        c = Peek();
        if (c < 0) {
          if (io_error_) {
            problems->push_back(At(line_, 0, "", "read error"));
          } else {
            problems->push_back(At(open_line, open_column, field_name(),
                                   "quoted field never closed (a '\"' is missing)"));
          }
          return Outcome::kFatal;
        }
        Advance();
        if (c == '"') {
          if (Peek() == '"') {
            Advance();
            add_byte(field, '"');
            continue;
          }
          break;
        }
        add_byte(field, static_cast<char>(c));
      }
      c = Peek();
      if (c != ',' && c != '\n' && c != '\r' && c >= 0) {
        problems->push_back(At(line_, column_, field_name(),
                               "unexpected character after a closing quote (expected ',' or "
                               "the end of the row); row skipped"));
        skip_line();
        return Outcome::kBad;
      }
    } else {
      while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
        if (c == '"') {
          problems->push_back(At(line_, column_, field_name(),
                                 "quote inside an unquoted field (quote the whole field and "
                                 "double the quote); row skipped"));
          skip_line();
          return Outcome::kBad;
        }
        Advance();
        add_byte(field, static_cast<char>(c));
        c = Peek();
      }
    }
    if (auto invalid = FindInvalidUtf8(field.text)) {
      problems->push_back(
          At(field.line, field.column + static_cast<int64_t>(CountCodePoints(field.text, *invalid)),
             field_name(),
             "invalid UTF-8 (byte offset " + std::to_string(*invalid) +
                 " in the field); row skipped"));
      bad = true;
    }
    c = Peek();
    if (c == ',') {
      Advance();
      continue;
    }
    if (c == '\r') {
      Advance();
      if (Peek() == '\n') Advance();
    } else if (c == '\n') {
      Advance();
    }
    break;
  }
  if (io_error_) {
    problems->push_back(At(line_, 0, "", "read error"));
    return Outcome::kFatal;
  }
  return bad ? Outcome::kBad : Outcome::kRow;
}

}  // namespace entente::model
