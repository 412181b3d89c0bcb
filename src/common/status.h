#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace entente {

// The kinds of expected failure. Each maps to one HTTP status and one CLI exit code
// (see StatusToExitCode).
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // bad input: a file, a field, a flag
  kNotFound,          // the thing asked for does not exist
  kAlreadyExists,     // conflict with something stored
  kPermissionDenied,  // refused by policy
  kUnauthenticated,   // who you are is not established
  kFailedPrecondition,
  kResourceExhausted,
  kIoError,  // the operating system refused a read or write
  kInternal,
};

// The outcome of an operation that can fail for an expected reason. Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "INVALID_ARGUMENT: message", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "context: message".
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

std::string_view StatusCodeName(StatusCode code);

// Exit codes of the command line: 0 ok, 1 bad input, 2 usage (CLI11), 3 not found, 4 policy,
// 5 I/O, 70 internal.
int StatusToExitCode(const Status& status);

inline Status InvalidArgument(std::string message) {
  return {StatusCode::kInvalidArgument, std::move(message)};
}
inline Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status AlreadyExists(std::string message) {
  return {StatusCode::kAlreadyExists, std::move(message)};
}
inline Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}
inline Status FailedPrecondition(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}
inline Status IoError(std::string message) { return {StatusCode::kIoError, std::move(message)}; }
inline Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

}  // namespace entente

// Returns from the enclosing function if `expr` (a Status) is not ok. The variable's name is
// unique per use, so that uses nested in one another (a lambda in `expr`) do not shadow.
#define ENTENTE_RETURN_IF_ERROR(expr) \
  ENTENTE_RETURN_IF_ERROR_IMPL(ENTENTE_STATUS_CONCAT(entente_status_, __COUNTER__), expr)
#define ENTENTE_STATUS_CONCAT_INNER(a, b) a##b
#define ENTENTE_STATUS_CONCAT(a, b) ENTENTE_STATUS_CONCAT_INNER(a, b)
// NOLINTBEGIN(bugprone-macro-parentheses): `name` is a declared name.
#define ENTENTE_RETURN_IF_ERROR_IMPL(name, expr) \
  do {                                           \
    ::entente::Status name = (expr);             \
    if (!name.ok()) return name;                 \
  } while (false)
// NOLINTEND(bugprone-macro-parentheses)
