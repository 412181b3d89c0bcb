#include "common/check.h"

#include <cstdio>
#include <cstdlib>

namespace entente::internal {

void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "ENTENTE_CHECK failed: %s at %s:%d\n", condition, file, line);
  std::fflush(stderr);
  std::abort();
}

}  // namespace entente::internal
