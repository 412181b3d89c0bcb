#pragma once

#include <cstdint>
#include <string>

namespace entente::cli {

// A one-line progress display on stderr, drawn only when stderr is a terminal, at most ten
// times a second. Not thread-safe: call from one thread.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();
  void Update(int64_t done, int64_t total_or_zero);
  void Finish();

 private:
  std::string label_;
  bool enabled_;
  double last_draw_ = -1;
  double start_;
  bool drawn_ = false;
};

// Seconds on a monotonic clock.
double MonotonicSeconds();

}  // namespace entente::cli
