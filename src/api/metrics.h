#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "common/mutex.h"

namespace entente::api {

// Request counters and latency histograms per route, rendered in Prometheus' text format.
// Thread-safe.
class Metrics {
 public:
  // Counts one request of `route` ("GET /api/v1/subjects/{id}") answered with `status`.
  void Record(const std::string& route, int status, double seconds);
  // The exposition text; `gauges` are appended as entente_<name> values.
  std::string Render(const std::map<std::string, double>& gauges) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                      0.05,   0.1,   0.2,   0.5,   1,    5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mutex_;
  std::map<std::pair<std::string, int>, uint64_t> requests_ GUARDED_BY(mutex_);
  std::map<std::string, Histogram> latency_ GUARDED_BY(mutex_);
};

}  // namespace entente::api
