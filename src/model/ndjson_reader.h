#pragma once

#include <istream>
#include <memory>
#include <string>

#include "model/entity_io.h"

namespace entente::model {

// Reads FollowTheMoney entities from NDJSON, one JSON object a line:
//   {"id": "...", "schema": "Person", "properties": {"name": ["..."], ...}}
// Property values are arrays of strings (a lone string is taken as a one-value array); the
// register's own properties may be under a top-level "entente" object (NdjsonStyle::
// kFollowTheMoney), whose values win; the relationship entities of links (Family, Associate,
// Membership, UnknownLink) are skipped, the link being read from its source; other top-level keys
// of FollowTheMoney exports (caption, datasets, referents, first_seen, ...) are ignored. Blank
// lines are skipped. Streaming in constant memory (one line at a time, lines longer than
// kMaxLineBytes are rejected). A malformed line is a kBadRecord located by line, column and field;
// reading goes on. A read error is kFatal. Not thread-safe.
class NdjsonEntityReader final : public EntityReader {
 public:
  static constexpr size_t kMaxLineBytes = 1 << 20;

  NdjsonEntityReader(std::istream& in, std::string file);
  ~NdjsonEntityReader() override;
  ReadOutcome Next(Record* record, Problems* problems) override;

 private:
  struct Parser;
  // One line's entity; `derived` set for a link's relationship entity (NdjsonStyle::
  // kFollowTheMoney), which Next skips.
  ReadOutcome NextLine(Record* record, Problems* problems, bool* derived);
  // Reads the next physical line into line_; false at the end of input.
  bool ReadLine(bool* too_long);

  std::istream& in_;
  std::string file_;
  std::string line_;
  int64_t line_number_ = 0;
  std::unique_ptr<Parser> parser_;
};

}  // namespace entente::model
