#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "common/result.h"

namespace entente::cli {

// Opens `path` for reading in binary mode; NotFound or IoError naming the path on failure.
Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path);

// A file written under a temporary name beside its destination and renamed into place only by
// Commit(), so that a failed run never leaves a half-written file (or clobbers an old one).
// Destroying it without Commit() removes the temporary file. Not thread-safe.
class AtomicFile {
 public:
  // Fails if the directory cannot be written, or if `path` exists and !overwrite.
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path, bool overwrite);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::string& path() const { return path_; }
  // Flushes, syncs and renames the file into place.
  Status Commit();

 private:
  AtomicFile(std::string path, std::string temp_path);
  std::string path_;
  std::string temp_path_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace entente::cli
