#include "model/csv_reader.h"

#include "common/utf8.h"
#include "model/property.h"

namespace entente::model {
namespace {

constexpr size_t kChunkBytes = 1 << 16;

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
    if (c == '\\' && i + 1 < cell.size() && (cell[i + 1] == '|' || cell[i + 1] == '\\')) {
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

CsvEntityReader::CsvEntityReader(std::istream& in, std::string file)
    : in_(in), file_(std::move(file)) {}

Problem CsvEntityReader::At(int64_t line, int64_t column, std::string field,
                            std::string message) const {
  return Problem{file_, line, column, std::move(field), std::move(message)};
}

bool CsvEntityReader::Refill() {
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

int CsvEntityReader::Peek() {
  if (pos_ >= buffer_.size() && !Refill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_]);
}

void CsvEntityReader::Advance() {
  const char c = buffer_[pos_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
    ++column_;
  }
}

CsvEntityReader::RawOutcome CsvEntityReader::ReadRawRecord(Problems* problems) {
  field_count_ = 0;
  record_line_ = line_;
  if (Peek() < 0) return io_error_ ? RawOutcome::kFatal : RawOutcome::kEnd;
  bool bad = false;
  size_t record_bytes = 0;
  auto new_field = [&]() -> Field& {
    if (field_count_ == fields_.size()) fields_.push_back({});
    Field& f = fields_[field_count_++];
    f.text.clear();
    f.line = line_;
    f.column = column_;
    return f;
  };
  auto add_byte = [&](Field& f, char c) {
    if (++record_bytes > kMaxRecordBytes) {
      if (!bad) {
        problems->push_back(
            At(record_line_, 0, "",
               "row longer than " + std::to_string(kMaxRecordBytes) + " bytes; skipped"));
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
      if (header_read_ && header_index < static_cast<int64_t>(header_.size())) {
        return header_[static_cast<size_t>(header_index)];
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
          return RawOutcome::kFatal;
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
        return RawOutcome::kBad;
      }
    } else {
      while (c >= 0 && c != ',' && c != '\n' && c != '\r') {
        if (c == '"') {
          problems->push_back(At(line_, column_, field_name(),
                                 "quote inside an unquoted field (quote the whole field and "
                                 "double the quote); row skipped"));
          skip_line();
          return RawOutcome::kBad;
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
    return RawOutcome::kFatal;
  }
  return bad ? RawOutcome::kBad : RawOutcome::kRecord;
}

bool CsvEntityReader::ReadHeader(Problems* problems) {
  RawOutcome outcome;
  do {
    outcome = ReadRawRecord(problems);
  } while (outcome == RawOutcome::kRecord && field_count_ == 1 && fields_[0].text.empty());
  if (outcome == RawOutcome::kEnd) {
    problems->push_back(At(1, 0, "", "empty file: expected a header row naming the columns"));
    return false;
  }
  if (outcome != RawOutcome::kRecord) return false;
  bool ok = true;
  for (size_t i = 0; i < field_count_; ++i) {
    std::string name(TrimSpaces(fields_[i].text));
    const auto column = fields_[i].column;
    for (const auto& seen : header_) {
      if (seen == name) {
        problems->push_back(At(record_line_, column, name, "column named twice in the header"));
        ok = false;
      }
    }
    if (name == "id") {
      id_column_ = static_cast<int>(i);
    } else if (name == "schema") {
      schema_column_ = static_cast<int>(i);
    } else if (name.empty()) {
      problems->push_back(At(record_line_, column, "", "empty column name in the header"));
      ok = false;
    } else if (FindProperty(name) == nullptr) {
      problems->push_back(At(record_line_, column, name,
                             "unknown column: not a FollowTheMoney or Entente property"));
      ok = false;
    }
    header_.push_back(std::move(name));
  }
  if (id_column_ < 0) {
    problems->push_back(At(record_line_, 0, "id", "the header has no 'id' column"));
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
    const RawOutcome outcome = ReadRawRecord(problems);
    switch (outcome) {
      case RawOutcome::kEnd:
        return ReadOutcome::kEnd;
      case RawOutcome::kFatal:
        failed_ = true;
        return ReadOutcome::kFatal;
      case RawOutcome::kBad:
        return ReadOutcome::kBadRecord;
      case RawOutcome::kRecord:
        break;
    }
    if (field_count_ == 1 && fields_[0].text.empty()) continue;  // blank line
    if (field_count_ != header_.size()) {
      problems->push_back(At(record_line_, 0, "",
                             "expected " + std::to_string(header_.size()) + " fields, got " +
                                 std::to_string(field_count_) + "; row skipped"));
      return ReadOutcome::kBadRecord;
    }
    Entity& entity = record->entity;
    entity.id.assign(TrimSpaces(fields_[static_cast<size_t>(id_column_)].text));
    entity.schema = Schema::kPerson;
    entity.properties.clear();
    record->line = record_line_;
    record->columns.clear();
    record->columns.emplace_back("id", fields_[static_cast<size_t>(id_column_)].column);
    if (schema_column_ >= 0) {
      const Field& f = fields_[static_cast<size_t>(schema_column_)];
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
    for (size_t i = 0; i < field_count_; ++i) {
      if (static_cast<int>(i) == id_column_ || static_cast<int>(i) == schema_column_) continue;
      std::vector<std::string> values = SplitCellValues(fields_[i].text);
      if (values.empty()) continue;
      record->columns.emplace_back(header_[i], fields_[i].column);
      entity.Set(header_[i], std::move(values));
    }
    return ReadOutcome::kRecord;
  }
}

}  // namespace entente::model
