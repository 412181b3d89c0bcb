#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

// Clang thread-safety annotations (checked by the clang preset's -Wthread-safety) and a mutex
// that carries them; std::mutex is not annotated in libstdc++.
#if defined(__clang__)
#define ENTENTE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define ENTENTE_THREAD_ANNOTATION(x)
#endif

#ifndef GUARDED_BY
#define GUARDED_BY(x) ENTENTE_THREAD_ANNOTATION(guarded_by(x))
#endif
#ifndef PT_GUARDED_BY
#define PT_GUARDED_BY(x) ENTENTE_THREAD_ANNOTATION(pt_guarded_by(x))
#endif
#ifndef EXCLUSIVE_LOCKS_REQUIRED
#define EXCLUSIVE_LOCKS_REQUIRED(...) \
  ENTENTE_THREAD_ANNOTATION(exclusive_locks_required(__VA_ARGS__))
#endif

namespace entente {

// A std::mutex the thread-safety analysis knows about.
class ENTENTE_THREAD_ANNOTATION(capability("mutex")) Mutex {
 public:
  void Lock() ENTENTE_THREAD_ANNOTATION(acquire_capability()) { mu_.lock(); }
  void Unlock() ENTENTE_THREAD_ANNOTATION(release_capability()) { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// A condition variable that waits on a Mutex the caller holds (annotated, unlike
// std::condition_variable with std::unique_lock). Waits may wake spuriously: loop on the
// condition.
class CondVar {
 public:
  void Wait(Mutex* mu) EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // Waits at most `timeout`; false when it timed out.
  bool WaitFor(Mutex* mu, std::chrono::nanoseconds timeout) EXCLUSIVE_LOCKS_REQUIRED(mu) {
    std::unique_lock<std::mutex> lock(mu->mu_, std::adopt_lock);
    const bool woken = cv_.wait_for(lock, timeout) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }
  void Signal() { cv_.notify_one(); }
  void SignalAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

// Holds a Mutex for the lifetime of the scope.
class ENTENTE_THREAD_ANNOTATION(scoped_lockable) MutexLock {
 public:
  explicit MutexLock(Mutex* mu) ENTENTE_THREAD_ANNOTATION(acquire_capability(mu)) : mu_(mu) {
    mu_->Lock();
  }
  ~MutexLock() ENTENTE_THREAD_ANNOTATION(release_capability()) { mu_->Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex* mu_;
};

}  // namespace entente
