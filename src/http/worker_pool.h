#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "common/mutex.h"

namespace entente::http {

// A fixed set of threads running tasks from a bounded queue. Thread-safe.
class WorkerPool {
 public:
  WorkerPool(int threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task; false (and the task is not run) when the queue is full or the pool stopping.
  bool TryPost(std::function<void()> task);
  // Takes no new task, runs those queued, joins the threads. Idempotent.
  void Shutdown();
  // Tasks queued or running.
  size_t pending() const;

 private:
  void Run();

  const size_t max_queued_;
  mutable Mutex mutex_;
  CondVar wake_;
  std::deque<std::function<void()>> queue_ GUARDED_BY(mutex_);
  size_t running_ GUARDED_BY(mutex_) = 0;
  bool stopping_ GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace entente::http
