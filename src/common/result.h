#pragma once

#include <optional>
#include <utility>

#include "common/check.h"
#include "common/status.h"

namespace entente {

// Either a value of type T or a non-ok Status. Accessing the value of a failed Result is a
// programmer error (ENTENTE_CHECK).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    ENTENTE_CHECK(!status_.ok());
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    ENTENTE_CHECK(ok());
    return *value_;
  }
  const T& value() const& {
    ENTENTE_CHECK(ok());
    return *value_;
  }
  T&& value() && {
    ENTENTE_CHECK(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace entente

#define ENTENTE_CONCAT_INNER(a, b) a##b
#define ENTENTE_CONCAT(a, b) ENTENTE_CONCAT_INNER(a, b)

// ENTENTE_ASSIGN_OR_RETURN(auto x, Call()) declares x from an ok Result, else returns its Status.
#define ENTENTE_ASSIGN_OR_RETURN(lhs, expr) \
  ENTENTE_ASSIGN_OR_RETURN_IMPL(ENTENTE_CONCAT(entente_result_, __COUNTER__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): lhs is a declaration, tmp a name.
#define ENTENTE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return tmp.status();                 \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
