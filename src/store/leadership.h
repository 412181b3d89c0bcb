#pragma once

#include <memory>
#include <string>

#include "common/result.h"

namespace entente::store {

// Leadership of a node's background jobs among the processes that serve one store (replicas
// over one PostgreSQL database, or a second process started on one SQLite file): at most one
// process holds it at a time, and it is freed when its holder releases it or dies.
//   PostgreSQL: a session-level advisory lock, on a connection of its own; the server frees it
//   when that connection closes (the process died, or the network parted it from the server).
//   SQLite: an exclusive lock on the file `<database>.leader`; the kernel frees it when the
//   process ends.
// Not thread-safe: one owner calls it.
class Leadership {
 public:
  virtual ~Leadership() = default;
  // Takes leadership if it is free, or checks that this holder still has it (PostgreSQL: its
  // session still answers). True while held; false when another holds it. An error (the
  // database cannot be reached) means it is not held, and the next call tries anew.
  virtual Result<bool> Hold() = 0;
  // Gives it up (the destructor does too).
  virtual void Release() = 0;
};

// The leadership of the store at `location` (as OpenStore takes it).
std::unique_ptr<Leadership> NewLeadership(const std::string& location);

}  // namespace entente::store
