#include "common/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace entente {

Status MakePrivateDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return IoError(dir + ": cannot be created: " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) {
    return IoError(dir + ": cannot be made private: " + std::strerror(errno));
  }
  return Status::Ok();
}

Status WritePrivateFile(const std::string& path, std::string_view content) {
  const std::string temporary = path + ".new";
  ::unlink(temporary.c_str());
  const int fd = ::open(temporary.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(temporary + ": cannot be written: " + std::strerror(errno));
  ::fchmod(fd, 0600);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t written = ::write(fd, content.data() + done, content.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) break;
    done += static_cast<size_t>(written);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (done != content.size() || !synced) {
    ::unlink(temporary.c_str());
    return IoError(temporary + ": cannot be written");
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return IoError(path + ": cannot be replaced: " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return NotFound(path + ": no such file");
  if (std::filesystem::is_directory(status)) return IoError(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot be read");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return IoError(path + ": cannot be read");
  return text.str();
}

}  // namespace entente
