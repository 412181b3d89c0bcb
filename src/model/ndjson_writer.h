#pragma once

#include <ostream>
#include <string>

#include "model/entity_io.h"

namespace entente::model {

// Writes FollowTheMoney NDJSON: one {"id","schema","properties"} object a line, properties in
// name order, values as arrays of strings, UTF-8 passed through, control characters escaped.
// `out` must outlive the writer. Not thread-safe.
class NdjsonEntityWriter final : public EntityWriter {
 public:
  explicit NdjsonEntityWriter(std::ostream& out) : out_(out) {}
  Status Write(const Entity& entity) override;
  Status Finish() override;

 private:
  std::ostream& out_;
  std::string line_;
};

// Appends `text` as a JSON string literal, quotes included.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace entente::model
