#pragma once

// Helpers for match/ tests only: jellyfish's expected-value files and random symbol strings.
// Never included by library code.

#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/testing.h"
#include "common/utf8.h"
#include "model/csv_row_reader.h"

namespace entente::match::testing {

// One row of a jellyfish `testdata/*.csv` file (RFC 4180, read with model::CsvRowReader), with
// its line number.
struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

inline std::vector<CsvRow> ReadJellyfishCsv(const std::string& file_name) {
  const std::string path = entente::testing::PublicDataPath("jellyfish/" + file_name);
  std::ifstream in(path, std::ios::binary);
  model::CsvRowReader reader(in, path);
  std::vector<CsvRow> rows;
  model::Problems problems;
  while (reader.Next({}, &problems) == model::CsvRowReader::Outcome::kRow) {
    if (reader.blank()) continue;
    CsvRow row;
    row.line = static_cast<int>(reader.row_line());
    for (size_t i = 0; i < reader.field_count(); ++i) row.cells.push_back(reader.fields()[i].text);
    rows.push_back(std::move(row));
  }
  return rows;
}

// Code points of UTF-8 text (invalid bytes left out).
inline std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const char32_t code_point = DecodeUtf8At(text, &i);
    if (code_point != kInvalidCodePoint) out.push_back(code_point);
  }
  return out;
}

// A random string of `length` symbols drawn from `alphabet`.
inline std::u32string RandomString(Rng& rng, int length, std::u32string_view alphabet) {
  std::u32string out;
  for (int i = 0; i < length; ++i) out.push_back(alphabet[rng.Below(alphabet.size())]);
  return out;
}

// Narrows a string of code points below 256 to bytes, for the byte overloads.
inline std::string ToBytes(std::u32string_view text) {
  std::string out;
  for (char32_t c : text) out.push_back(static_cast<char>(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace entente::match::testing
