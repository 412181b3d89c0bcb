#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace entente::model {

// One thing wrong with an input, located as precisely as the reader knows: a person reads
// "people.csv:12:7: birthDate: month 13 is not 1-12". line and column are 1-based; 0 means
// unknown. field is a property or column name, or "" when the problem is not in one field.
struct Problem {
  std::string file;
  int64_t line = 0;
  int64_t column = 0;
  std::string field;
  std::string message;

  std::string ToString() const;
  friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

}  // namespace entente::model
