#pragma once

// Helpers for match/ tests only: jellyfish's expected-value files and random symbol strings.
// Never included by library code.

#include <string>
#include <string_view>
#include <vector>

#include "common/random.h"
#include "common/testing.h"

namespace entente::match::testing {

// One row of a jellyfish `testdata/*.csv` file: comma-separated cells, double-quoted when they
// hold a comma (a doubled quote inside quotes is one quote), with its line number.
struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

inline std::vector<CsvRow> ReadJellyfishCsv(const std::string& file_name) {
  const std::string text =
      entente::testing::ReadFile(entente::testing::SharedDataPath("jellyfish/" + file_name));
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string cell;
  bool quoted = false;
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.cells.push_back(std::move(cell));
      cell.clear();
    } else if (c == '\n') {
      row.cells.push_back(std::move(cell));
      cell.clear();
      row.line = line++;
      rows.push_back(std::move(row));
      row = CsvRow();
    } else if (c != '\r') {
      cell += c;
    }
  }
  if (!cell.empty() || !row.cells.empty()) {
    row.cells.push_back(std::move(cell));
    row.line = line;
    rows.push_back(std::move(row));
  }
  return rows;
}

// Code points of valid UTF-8 (the test files are valid; this decoder does not check).
inline std::u32string DecodeUtf8(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    uint32_t code_point = length == 1 ? lead : lead & (0x7Fu >> length);
    for (int k = 1; k < length; ++k) {
      code_point = (code_point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    }
    out.push_back(static_cast<char32_t>(code_point));
    i += static_cast<size_t>(length);
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
