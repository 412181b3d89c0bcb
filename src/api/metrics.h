#pragma once

// The node's metrics in Prometheus' text exposition format (version 0.0.4): every family with
// its HELP and TYPE, label values escaped, histograms with cumulative buckets. Checked by
// `promtool check metrics` in the tests.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "common/mutex.h"

namespace entente::api {

// One value of a family: its labels as `name="value",...` (already escaped: LabelValue), or "".
struct MetricSample {
  std::string labels;
  double value = 0;
};

// A metric family computed when rendered (gauges of the store, the server, the process).
struct MetricFamily {
  std::string name;  // full name, entente_... or process_...
  std::string help;
  std::string type;  // "gauge" or "counter"
  std::vector<MetricSample> samples;
};

// `value` escaped for a label value (backslash, double quote, newline).
std::string LabelValue(std::string_view value);

// The process's own metrics, as Prometheus' client libraries name them: CPU seconds, resident
// and virtual memory, open and maximum file descriptors, start time. Read from /proc (Linux);
// a family whose source cannot be read is left out.
std::vector<MetricFamily> ProcessMetrics();

// Request counters and latency histograms per method and route. Thread-safe.
class Metrics {
 public:
  // Counts one request of `method` `route` ("/api/v1/subjects/{id}") answered with `status`.
  void Record(const std::string& method, const std::string& route, int status, double seconds);
  // The exposition text: the request families, then `more`.
  std::string Render(const std::vector<MetricFamily>& more) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                      0.05,   0.1,   0.2,   0.5,   1,    5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mutex_;
  // (method, route, status) -> count
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_ GUARDED_BY(mutex_);
  // (method, route) -> latencies
  std::map<std::pair<std::string, std::string>, Histogram> latency_ GUARDED_BY(mutex_);
};

}  // namespace entente::api
