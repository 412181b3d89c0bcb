#pragma once

// Helpers for tests only (test binaries define ENTENTE_TEST_DATA_DIR and
// ENTENTE_PUBLIC_DATA_DIR). Never included by library code.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/random.h"

namespace entente::testing {

#ifdef ENTENTE_TEST_DATA_DIR
// Path of a file under tests/data.
inline std::string TestDataPath(const std::string& relative) {
  return std::string(ENTENTE_TEST_DATA_DIR) + "/" + relative;
}
#endif

#ifdef ENTENTE_PUBLIC_DATA_DIR
// Path of a file under tests/data/public (public data sets, read-only).
inline std::string PublicDataPath(const std::string& relative) {
  return std::string(ENTENTE_PUBLIC_DATA_DIR) + "/" + relative;
}
#endif

// One row of a data-driven test file, with its line number for failure messages.
struct TsvRow {
  int line = 0;
  std::vector<std::string> cells;
  const std::string& operator[](size_t i) const {
    static const std::string kEmpty;
    return i < cells.size() ? cells[i] : kEmpty;
  }
};

// Reads a tab-separated file; lines starting with '#' and blank lines are skipped.
// Returns no rows if the file cannot be opened (callers assert on the count).
inline std::vector<TsvRow> ReadTsv(const std::string& path) {
  std::vector<TsvRow> rows;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    TsvRow row;
    row.line = number;
    std::string cell;
    std::istringstream cells(line);
    while (std::getline(cells, cell, '\t')) row.cells.push_back(cell);
    if (!line.empty() && line.back() == '\t') row.cells.emplace_back();
    rows.push_back(std::move(row));
  }
  return rows;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A made-up name of two tokens of three random syllables each: unrelated people, no real name.
inline std::string RandomSyllableName(Rng& rng) {
  static constexpr const char* kSyllables[] = {"ka", "lo", "mi", "re", "su", "to", "va", "ne",
                                               "bo", "di", "fa", "gu", "ho", "ji", "pe", "ra"};
  std::string name;
  for (int token = 0; token < 2; ++token) {
    if (token > 0) name += ' ';
    for (int s = 0; s < 3; ++s) name += kSyllables[rng.Below(16)];
  }
  return name;
}

// A random full birth date from 1950 to 1999 ("1987-03-14").
inline std::string RandomBirthDate(Rng& rng) {
  return std::to_string(1950 + rng.Below(50)) + "-0" + std::to_string(1 + rng.Below(9)) + "-1" +
         std::to_string(rng.Below(10));
}

}  // namespace entente::testing
