#include "cli/file_io.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <streambuf>
#include <vector>

namespace entente::cli {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

// Named temporary files still in the making, removed by the signal handler below. A slot holds
// a pointer to a path that lives until the slot is cleared.
constexpr size_t kTempSlots = 64;
std::array<std::atomic<const char*>, kTempSlots> temp_paths{};
std::atomic<bool> handlers_installed{false};

void RemoveTempFilesAndDie(int signal) {
  for (auto& slot : temp_paths) {
    if (const char* path = slot.load()) ::unlink(path);
  }
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

// Installs the handler for the signals that interrupt a command, unless the program already
// handles or blocks them (entente serve takes them with sigwait).
void InstallSignalCleanup() {
  if (handlers_installed.exchange(true)) return;
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current {};
    if (::sigaction(signal, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = RemoveTempFilesAndDie;
    sigemptyset(&action.sa_mask);
    ::sigaction(signal, &action, nullptr);
  }
}

void RegisterTemp(const std::string& path) {
  for (auto& slot : temp_paths) {
    const char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, path.c_str())) return;
  }
}

void UnregisterTemp(const std::string& path) {
  for (auto& slot : temp_paths) {
    const char* expected = path.c_str();
    if (slot.compare_exchange_strong(expected, nullptr)) return;
  }
}

std::string RandomSuffix() {
  std::random_device random;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08x", random());
  return buffer;
}

}  // namespace

// An output buffer over a file descriptor (1 MiB: these files are written in many small rows).
class AtomicFile::FdBuffer final : public std::streambuf {
 public:
  explicit FdBuffer(int fd) : fd_(fd), buffer_(size_t{1} << 20) {
    setp(buffer_.data(), buffer_.data() + buffer_.size());
  }
  bool failed() const { return failed_; }

 protected:
  int_type overflow(int_type c) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return Drain() ? 0 : -1; }

 private:
  bool Drain() {
    const char* at = pbase();
    while (at < pptr()) {
      const ssize_t written = ::write(fd_, at, static_cast<size_t>(pptr() - at));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) {
        failed_ = true;
        return false;
      }
      at += written;
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return true;
  }

  int fd_;
  std::vector<char> buffer_;
  bool failed_ = false;
};

Result<std::unique_ptr<std::ifstream>> OpenInput(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFound(path + ": no such file");
  if (std::filesystem::is_directory(path, ec)) return InvalidArgument(path + ": is a directory");
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return IoError(path + ": cannot open: " + ErrnoText());
  return in;
}

AtomicFile::AtomicFile(std::string path, int fd, std::string temp_path)
    : path_(std::move(path)),
      fd_(fd),
      temp_path_(std::move(temp_path)),
      buffer_(std::make_unique<FdBuffer>(fd)),
      out_(buffer_.get()) {
  if (!temp_path_.empty()) RegisterTemp(temp_path_);
}

Result<std::unique_ptr<AtomicFile>> AtomicFile::Create(const std::string& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && std::filesystem::exists(path, ec)) {
    return AlreadyExists(path + ": exists already (use --force to replace it)");
  }
  const std::filesystem::path target(path);
  std::filesystem::path dir = target.parent_path();
  if (dir.empty()) dir = ".";
  // An unnamed file first: nothing to clean up whatever happens to the process.
  int fd = ::open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) return std::unique_ptr<AtomicFile>(new AtomicFile(path, fd, ""));
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    return IoError(path + ": cannot write in " + dir.string() + ": " + ErrnoText());
  }
  InstallSignalCleanup();
  const std::string temp =
      (dir / ("." + target.filename().string() + ".tmp-" + RandomSuffix())).string();
  fd = ::open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return IoError(path + ": cannot write in " + dir.string() + ": " + ErrnoText());
  return std::unique_ptr<AtomicFile>(new AtomicFile(path, fd, temp));
}

AtomicFile::~AtomicFile() {
  out_.rdbuf(nullptr);
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
  if (!temp_path_.empty()) UnregisterTemp(temp_path_);
}

Status AtomicFile::Commit() {
  out_.flush();
  if (!out_ || buffer_->failed()) return IoError(path_ + ": write failed: " + ErrnoText());
  if (::fsync(fd_) != 0) return IoError(path_ + ": cannot be synced: " + ErrnoText());
  // umask does not narrow an unnamed file's mode: say it again.
  ::fchmod(fd_, 0600);
  std::string named = temp_path_;
  if (named.empty()) {
    // Give the unnamed file a hidden name, then rename it over the destination in one step.
    const std::filesystem::path target(path_);
    std::filesystem::path dir = target.parent_path();
    if (dir.empty()) dir = ".";
    named = (dir / ("." + target.filename().string() + ".tmp-" + RandomSuffix())).string();
    const std::string self = "/proc/self/fd/" + std::to_string(fd_);
    if (::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, named.c_str(), AT_SYMLINK_FOLLOW) != 0) {
      return IoError(path_ + ": cannot be given its name: " + ErrnoText());
    }
  }
  std::error_code ec;
  std::filesystem::rename(named, path_, ec);
  if (ec) {
    ::unlink(named.c_str());
    return IoError(path_ + ": cannot rename into place: " + ec.message());
  }
  committed_ = true;
  return Status::Ok();
}

}  // namespace entente::cli
