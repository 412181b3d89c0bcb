#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "common/mutex.h"

namespace entente {

// A task run again and again on a thread of its own, until stopped: every `period`, at once
// when woken, and at once again while the task says it has more to do (a full batch). The
// node's background work (delivery, release notices, retention sweeps, audit anchoring, index
// publication) runs on these. Start, Wake and Stop may be called from any thread.
class BackgroundLoop {
 public:
  // `pass` runs once per turn; it returns true to run again at once, false to wait for the
  // period or a Wake. The first turn runs `first_delay` after Start (or when woken).
  BackgroundLoop(std::string name, std::chrono::microseconds period, std::function<bool()> pass,
                 std::chrono::microseconds first_delay = std::chrono::microseconds(0));
  ~BackgroundLoop();
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  // Starts the thread; does nothing if it runs already.
  void Start();
  // Runs the next turn now (or as soon as the one in progress ends).
  void Wake();
  // Lets the turn in progress finish, and joins the thread. Idempotent; Start may follow.
  void Stop();

  const std::string& name() const { return name_; }
  // Turns run so far (for tests and metrics).
  int64_t turns() const;

 private:
  void Run();

  const std::string name_;
  const std::chrono::microseconds period_;
  const std::function<bool()> pass_;
  const std::chrono::microseconds first_delay_;
  mutable Mutex mutex_;
  CondVar wake_;
  bool woken_ GUARDED_BY(mutex_) = false;
  bool stopping_ GUARDED_BY(mutex_) = false;
  int64_t turns_ GUARDED_BY(mutex_) = 0;
  Mutex thread_mutex_;  // Start and Stop, one at a time
  std::thread thread_ GUARDED_BY(thread_mutex_);
};

}  // namespace entente
