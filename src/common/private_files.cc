#include "common/private_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

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

}  // namespace entente
