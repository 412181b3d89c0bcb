#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace entente::cli {

// A one-line progress display on stderr, drawn only when stderr is a terminal, at most ten
// times a second. Not thread-safe: call from one thread.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label);
  ~ProgressLine();
  void Update(int64_t done, int64_t total_or_zero);
  // Moves to another phase of the work under `label`: the line of the previous one is ended,
  // and the new label is shown at once (a phase may give no count, as an index build).
  void Phase(const std::string& label);
  // For a ProgressFn of service/batch_screening.h: a new phase's label, then its counts.
  void Report(std::string_view phase, int64_t done);
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
