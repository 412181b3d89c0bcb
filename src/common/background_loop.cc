#include "common/background_loop.h"

#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace entente {

BackgroundLoop::BackgroundLoop(std::string name, std::chrono::microseconds period,
                               std::function<bool()> pass, std::chrono::microseconds first_delay)
    : name_(std::move(name)), period_(period), pass_(std::move(pass)), first_delay_(first_delay) {}

BackgroundLoop::~BackgroundLoop() { Stop(); }

void BackgroundLoop::Start() {
  MutexLock lock(&thread_mutex_);
  if (thread_.joinable()) return;
  {
    MutexLock state(&mutex_);
    stopping_ = false;
    woken_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void BackgroundLoop::Wake() {
  {
    MutexLock lock(&mutex_);
    woken_ = true;
  }
  wake_.SignalAll();
}

void BackgroundLoop::Stop() {
  MutexLock lock(&thread_mutex_);
  {
    MutexLock state(&mutex_);
    stopping_ = true;
  }
  wake_.SignalAll();
  if (thread_.joinable()) thread_.join();
}

int64_t BackgroundLoop::turns() const {
  MutexLock lock(&mutex_);
  return turns_;
}

void BackgroundLoop::Run() {
  std::chrono::microseconds delay = first_delay_;
  for (;;) {
    if (delay.count() > 0) {
      MutexLock lock(&mutex_);
      const auto deadline = std::chrono::steady_clock::now() + delay;
      while (!woken_ && !stopping_ && std::chrono::steady_clock::now() < deadline) {
        wake_.WaitFor(&mutex_, deadline - std::chrono::steady_clock::now());
      }
      woken_ = false;
      if (stopping_) return;
    } else {
      MutexLock lock(&mutex_);
      if (stopping_) return;
    }
    bool more = false;
    try {
      more = pass_();
    } catch (const std::exception& e) {
      // A background task must not take the node down; the next turn tries again.
      spdlog::error("{}: {}", name_, e.what());
    }
    {
      MutexLock lock(&mutex_);
      ++turns_;
    }
    delay = more ? std::chrono::microseconds(0) : period_;
  }
}

}  // namespace entente
