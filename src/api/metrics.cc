#include "api/metrics.h"

#include <cstdio>

namespace entente::api {
namespace {

std::string Label(const std::string& route) {
  std::string out;
  for (char c : route) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

}  // namespace

void Metrics::Record(const std::string& route, int status, double seconds) {
  MutexLock lock(&mutex_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::map<std::string, double>& gauges) const {
  std::string out;
  out += "# HELP entente_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE entente_http_requests_total counter\n";
  MutexLock lock(&mutex_);
  for (const auto& [key, count] : requests_) {
    out += "entente_http_requests_total{route=\"" + Label(key.first) + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP entente_http_request_seconds Time to answer, by route.\n";
  out += "# TYPE entente_http_request_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string label = "route=\"" + Label(route) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += "entente_http_request_seconds_bucket{" + label + ",le=\"" + Number(kBuckets[i]) +
             "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "entente_http_request_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "entente_http_request_seconds_sum{" + label + "} " + Number(h.sum) + "\n";
    out += "entente_http_request_seconds_count{" + label + "} " + std::to_string(h.count) + "\n";
  }
  // A gauge may carry labels ("outbox_entries{recipient=\"FR\"}"): one TYPE line per family.
  std::string family;
  for (const auto& [name, value] : gauges) {
    const std::string base = name.substr(0, name.find('{'));
    if (base != family) {
      out += "# TYPE entente_" + base + " gauge\n";
      family = base;
    }
    out += "entente_" + name + " " + Number(value) + "\n";
  }
  return out;
}

}  // namespace entente::api
