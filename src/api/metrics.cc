#include "api/metrics.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace entente::api {
namespace {

std::string Number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

void Head(std::string& out, std::string_view name, std::string_view help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

std::string ReadWhole(const char* path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string LabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<MetricFamily> ProcessMetrics() {
  std::vector<MetricFamily> out;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // /proc/self/stat: the fields after the command's closing parenthesis, from field 3 (state).
  const std::string stat = ReadWhole("/proc/self/stat");
  const size_t close = stat.rfind(')');
  if (close != std::string::npos && ticks > 0) {
    std::istringstream fields(stat.substr(close + 2));
    std::vector<std::string> f;
    for (std::string field; fields >> field;) f.push_back(field);
    // Field n of the manual is f[n - 3]: utime 14, stime 15, starttime 22, vsize 23, rss 24.
    if (f.size() > 21) {
      const double cpu = (std::stod(f[11]) + std::stod(f[12])) / ticks;
      out.push_back({"process_cpu_seconds_total",
                     "Total user and system CPU time spent in seconds.",
                     "counter",
                     {{"", cpu}}});
      out.push_back({"process_virtual_memory_bytes",
                     "Virtual memory size in bytes.",
                     "gauge",
                     {{"", std::stod(f[20])}}});
      out.push_back({"process_resident_memory_bytes",
                     "Resident memory size in bytes.",
                     "gauge",
                     {{"", std::stod(f[21]) * page}}});
      // Start time: boot time (/proc/stat btime) plus the start in ticks since boot.
      std::istringstream proc_stat(ReadWhole("/proc/stat"));
      for (std::string line; std::getline(proc_stat, line);) {
        if (line.rfind("btime ", 0) != 0) continue;
        const double start = std::stod(line.substr(6)) + std::stod(f[19]) / ticks;
        out.push_back({"process_start_time_seconds",
                       "Start time of the process since unix epoch in seconds.",
                       "gauge",
                       {{"", start}}});
      }
    }
  }
  if (DIR* fds = opendir("/proc/self/fd"); fds != nullptr) {
    double open = 0;
    while (const dirent* entry = readdir(fds)) open += entry->d_name[0] != '.' ? 1 : 0;
    closedir(fds);
    out.push_back(
        {"process_open_fds", "Number of open file descriptors.", "gauge", {{"", open - 1}}});
  }
  if (rlimit limit{}; getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back({"process_max_fds",
                   "Maximum number of open file descriptors.",
                   "gauge",
                   {{"", static_cast<double>(limit.rlim_cur)}}});
  }
  return out;
}

void Metrics::Record(const std::string& method, const std::string& route, int status,
                     double seconds) {
  MutexLock lock(&mutex_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render(const std::vector<MetricFamily>& more) const {
  std::string out;
  {
    MutexLock lock(&mutex_);
    Head(out, "entente_http_requests_total", "HTTP requests answered, by method, route and status.",
         "counter");
    for (const auto& [key, count] : requests_) {
      const auto& [method, route, status] = key;
      out += "entente_http_requests_total{method=\"" + LabelValue(method) + "\",route=\"" +
             LabelValue(route) + "\",status=\"" + std::to_string(status) + "\"} " +
             std::to_string(count) + "\n";
    }
    Head(out, "entente_http_request_seconds", "Time to answer a request, by method and route.",
         "histogram");
    for (const auto& [key, h] : latency_) {
      const std::string label =
          "method=\"" + LabelValue(key.first) + "\",route=\"" + LabelValue(key.second) + "\"";
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out += "entente_http_request_seconds_bucket{" + label + ",le=\"" + Number(kBuckets[i]) +
               "\"} " + std::to_string(h.buckets[i]) + "\n";
      }
      out += "entente_http_request_seconds_bucket{" + label + ",le=\"+Inf\"} " +
             std::to_string(h.count) + "\n";
      out += "entente_http_request_seconds_sum{" + label + "} " + Number(h.sum) + "\n";
      out += "entente_http_request_seconds_count{" + label + "} " + std::to_string(h.count) + "\n";
    }
  }
  for (const MetricFamily& family : more) {
    Head(out, family.name, family.help, family.type);
    for (const MetricSample& s : family.samples) {
      out += family.name;
      if (!s.labels.empty()) out += "{" + s.labels + "}";
      out += " " + Number(s.value) + "\n";
    }
  }
  return out;
}

}  // namespace entente::api
