#include "cli/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace entente::cli {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) return InvalidArgument(path + ": is a directory");
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return IoError(path + ": cannot open: " + ErrnoText());
  return in;
}

AtomicFile::AtomicFile(std::string path, std::string temp_path)
    : path_(std::move(path)), temp_path_(std::move(temp_path)) {}

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(path, ec)) {
    return AlreadyExists(path + ": exists already (use --force to replace it)");
  }
  const std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  std::string temp =
      (dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
  std::unique_ptr<AtomicFile> file(new AtomicFile(path, temp));
  file->out_.open(temp, std::ios::binary | std::ios::trunc);
  if (!file->out_) return IoError(path + ": cannot write in " + dir.string() + ": " + ErrnoText());
  // A large buffer: these files are written in one stream of small rows.
  return file;
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_path_, ec);
  }
}

Status AtomicFile::Commit() {
  out_.flush();
  if (!out_) return IoError(path_ + ": write failed: " + ErrnoText());
  out_.close();
  const int fd = ::open(temp_path_.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(temp_path_, path_, ec);
  if (ec) return IoError(path_ + ": cannot rename into place: " + ec.message());
  committed_ = true;
  return Status::Ok();
}

}  // namespace entente::cli
