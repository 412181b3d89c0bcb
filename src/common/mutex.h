#pragma once

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
  std::mutex mu_;
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
