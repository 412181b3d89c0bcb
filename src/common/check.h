#pragma once

// ENTENTE_CHECK(cond) aborts with the condition and its location when a programmer error is
// detected. It is never used for bad input: that is a Status.
#define ENTENTE_CHECK(cond)                                                   \
  do {                                                                        \
    if (!(cond)) ::entente::internal::CheckFailed(#cond, __FILE__, __LINE__); \
  } while (false)

namespace entente::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace entente::internal
