// The web console's files, served by the API's server on the same origin (docs/console.md):
// its pages answer index.html (deep links work on reload), its assets are read once at start.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "api/server.h"

namespace entente::api {
namespace {

namespace fs = std::filesystem;

// The console's pages: a reload of any of them answers index.html, which routes in the browser.
constexpr std::string_view kPages[] = {"/",      "/signin", "/search", "/subjects/", "/network/",
                                       "/radar", "/inbox",  "/stats",  "/audit",     "/admin"};

bool IsPage(std::string_view path) {
  for (std::string_view page : kPages) {
    if (page.back() == '/' && page.size() > 1) {
      if (path.starts_with(page) && path.size() > page.size()) return true;
    } else if (path == page) {
      return true;
    }
  }
  return false;
}

std::string ContentType(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".json") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

// What every console answer carries: a strict policy (no inline script or style, nothing from
// another origin), no framing, no sniffing, no referrer.
void AddSecurityHeaders(http::Response& response) {
  response.headers.push_back(
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'"});
  response.headers.push_back({"X-Content-Type-Options", "nosniff"});
  response.headers.push_back({"X-Frame-Options", "DENY"});
  response.headers.push_back({"Referrer-Policy", "no-referrer"});
  response.headers.push_back({"Cache-Control", "no-cache"});
}

}  // namespace

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

void ApiServer::LoadConsole() {
  console_.clear();
  if (options_.console_dir.empty()) return;
  std::error_code error;
  const fs::path root(options_.console_dir);
  if (!fs::exists(root / "index.html", error)) {
    spdlog::warn("console: {} holds no index.html; the console is not served",
                 options_.console_dir);
    return;
  }
  for (auto it = fs::recursive_directory_iterator(root, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    const std::string relative = "/" + fs::relative(it->path(), root).generic_string();
    console_[relative] = {content.str(), ContentType(it->path())};
  }
}

std::optional<http::Response> ApiServer::ConsoleAnswer(const http::Request& head) const {
  if (head.method != "GET" && head.method != "HEAD") return std::nullopt;
  const std::string& path = head.path;
  const bool page = IsPage(path);
  auto file = console_.find(path);
  if (!page && (file == console_.end() || path == "/index.html")) return std::nullopt;
  http::Response response;
  if (console_.empty()) {
    response.status = 503;
    response.content_type = "text/plain; charset=utf-8";
    response.body =
        "The web console is not built on this node: run scripts/install-deps.sh, then build "
        "(cmake --build), or give `entente serve --console-dir DIR`.\n";
  } else {
    const ConsoleFile& served = page ? console_.at("/index.html") : file->second;
    response.content_type = served.content_type;
    response.body = served.content;
  }
  AddSecurityHeaders(response);
  return response;
}

}  // namespace entente::api
