#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "common/result.h"
#include "model/entity_io.h"

namespace entente::model {

// What reading and validating a whole stream of entities found.
struct StreamReport {
  int64_t records = 0;        // rows or lines holding an entity, good or bad
  int64_t valid_records = 0;  // those with no problem
  int64_t problem_count = 0;  // all problems, including those not kept
  bool fatal = false;         // reading stopped early (see problems)
  Problems problems;          // the first max_problems problems, in input order
};

// Reads `reader` to the end, validating each entity (ValidateEntity) and checking that ids are
// unique within the stream. Each valid entity is passed to `on_valid` (may be empty); if
// on_valid fails, reading stops and that Status is returned. Memory grows with the number of
// distinct ids (for the duplicate check), not with the size of the records.
Result<StreamReport> CheckEntityStream(EntityReader& reader, std::string_view file,
                                       size_t max_problems,
                                       const std::function<Status(const Record&)>& on_valid);

}  // namespace entente::model
