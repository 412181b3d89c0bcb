#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

#include "common/clock.h"

namespace entente::cli {

double MonotonicSeconds() { return static_cast<double>(SystemClock().MonotonicMicros()) / 1e6; }

ProgressLine::ProgressLine(std::string label)
    : label_(std::move(label)),
      enabled_(::isatty(STDERR_FILENO) == 1),
      start_(MonotonicSeconds()) {}

ProgressLine::~ProgressLine() { Finish(); }

void ProgressLine::Update(int64_t done, int64_t total) {
  if (!enabled_) return;
  const double now = MonotonicSeconds();
  if (now - last_draw_ < 0.1) return;
  last_draw_ = now;
  const double rate = now > start_ ? static_cast<double>(done) / (now - start_) : 0;
  if (total > 0) {
    const int width = 30;
    const int filled =
        static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total));
    std::string bar(static_cast<size_t>(std::min(filled, width)), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%s [%s] %lld/%lld %.0f/s", label_.c_str(), bar.c_str(),
                 static_cast<long long>(done), static_cast<long long>(total), rate);
  } else {
    std::fprintf(stderr, "\r%s %lld records %.0f/s", label_.c_str(), static_cast<long long>(done),
                 rate);
  }
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressLine::Phase(const std::string& label) {
  if (label == label_) return;
  Finish();
  label_ = label;
  start_ = MonotonicSeconds();
  if (!enabled_) return;
  std::fprintf(stderr, "%s...", label_.c_str());
  std::fflush(stderr);
  drawn_ = true;
  last_draw_ = -1;
}

void ProgressLine::Report(std::string_view phase, int64_t done) {
  Phase(std::string(phase));
  if (done > 0) Update(done, 0);
}

void ProgressLine::Finish() {
  if (drawn_) {
    std::fprintf(stderr, "\n");
    drawn_ = false;
  }
}

}  // namespace entente::cli
