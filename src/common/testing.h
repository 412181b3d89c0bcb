#pragma once

// Helpers for tests only (test binaries define ENTENTE_TEST_DATA_DIR and
// ENTENTE_SHARED_DATA_DIR). Never included by library code.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace entente::testing {

#ifdef ENTENTE_TEST_DATA_DIR
// Path of a file under tests/data.
inline std::string TestDataPath(const std::string& relative) {
  return std::string(ENTENTE_TEST_DATA_DIR) + "/" + relative;
}
#endif

#ifdef ENTENTE_SHARED_DATA_DIR
// Path of a file under ../shared/data (public data sets, read-only).
inline std::string SharedDataPath(const std::string& relative) {
  return std::string(ENTENTE_SHARED_DATA_DIR) + "/" + relative;
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

}  // namespace entente::testing
