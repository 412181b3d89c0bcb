#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace entente {

// The source of time for everything that is not pure. Tests use FakeClock.
// Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, microseconds since the Unix epoch (UTC).
  virtual int64_t NowMicros() const = 0;
  // Monotonic time for measuring durations, in microseconds from an arbitrary origin.
  virtual int64_t MonotonicMicros() const = 0;
};

// The real clock. The returned reference lives for the whole program.
Clock& SystemClock();

// A clock that moves only when told to; for tests. Thread-safe (a background worker may read it
// while the test moves it).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t now_micros = 0) : now_(now_micros) {}
  int64_t NowMicros() const override { return now_.load(std::memory_order_relaxed); }
  int64_t MonotonicMicros() const override { return now_.load(std::memory_order_relaxed); }
  void Advance(int64_t micros) { now_.fetch_add(micros, std::memory_order_relaxed); }
  void Set(int64_t micros) { now_.store(micros, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace entente
