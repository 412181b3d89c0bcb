#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "common/result.h"

namespace entente::cli {

// Opens `path` for reading in binary mode; NotFound or IoError naming the path on failure.
Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path);

// A file written where no other user can read it and where no one sees it half-written: an
// unnamed file (O_TMPFILE, mode 0600) in the destination's directory, given its name only by
// Commit(), which replaces any old file in one rename. A run that fails, is interrupted or is
// killed (even by SIGKILL) leaves nothing behind. On a file system without unnamed files, a
// hidden temporary name is used instead (still 0600), removed on failure and on SIGINT, SIGTERM
// and SIGHUP. Not thread-safe.
class AtomicFile {
 public:
  // Fails if the directory cannot be written, or if `path` exists and !overwrite.
  static Result<std::unique_ptr<AtomicFile>> Create(const std::string& path, bool overwrite);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  const std::string& path() const { return path_; }
  // Flushes, syncs and gives the file its name (replacing an old one). The file keeps mode 0600.
  Status Commit();

 private:
  class FdBuffer;
  AtomicFile(std::string path, int fd, std::string temp_path);
  std::string path_;
  int fd_ = -1;
  std::string temp_path_;  // "" for an unnamed file
  std::unique_ptr<FdBuffer> buffer_;
  std::ostream out_;
  bool committed_ = false;
};

}  // namespace entente::cli
