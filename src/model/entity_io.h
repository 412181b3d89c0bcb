#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "model/entity.h"
#include "model/problem.h"

namespace entente::model {

// One entity as read from a file, with where it came from, so that validation problems can
// point at the line and column of the offending field.
struct Record {
  Entity entity;
  int64_t line = 0;  // 1-based line where the record starts
  // Column (1-based, in characters) where each field's value starts, by property name;
  // "id" and "schema" included.
  std::vector<std::pair<std::string, int64_t>> columns;

  int64_t ColumnOf(std::string_view field) const;
};

enum class ReadOutcome {
  kRecord,     // *record holds the next entity
  kBadRecord,  // this record is malformed; problems says why; reading may go on
  kEnd,        // no more records
  kFatal,      // the input cannot be read further (I/O error, bad header, unterminated quote)
};

// A streaming reader of entities. Memory use is bounded by the longest record, not the file.
// Not thread-safe.
class EntityReader {
 public:
  virtual ~EntityReader() = default;
  // Reads the next record. On kBadRecord and kFatal, appends located problems to *problems.
  virtual ReadOutcome Next(Record* record, Problems* problems) = 0;
};

// A streaming writer of entities. Not thread-safe.
class EntityWriter {
 public:
  virtual ~EntityWriter() = default;
  // Writes one entity; fails if it cannot be represented (e.g. a CSV column is missing).
  [[nodiscard]] virtual Status Write(const Entity& entity) = 0;
  // Flushes; reports a failed write of the underlying stream.
  [[nodiscard]] virtual Status Finish() = 0;
};

// Collects entities in a vector (tests, benchmarks, in-memory pipelines). `out` must outlive the
// writer; never fails.
class VectorEntityWriter final : public EntityWriter {
 public:
  explicit VectorEntityWriter(std::vector<Entity>* out) : out_(out) {}
  Status Write(const Entity& entity) override {
    out_->push_back(entity);
    return Status::Ok();
  }
  Status Finish() override { return Status::Ok(); }

 private:
  std::vector<Entity>* out_;
};

}  // namespace entente::model
