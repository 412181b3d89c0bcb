#include <cstdlib>

#include <nlohmann/json.hpp>

#include "api/server.h"
#include "service/network.h"

namespace entente::api {
namespace {

nlohmann::json NetworkJson(const service::Network& network) {
  nlohmann::json out = {{"nodes", nlohmann::json::array()},
                        {"links", nlohmann::json::array()},
                        {"withheld", network.withheld},
                        {"truncated", network.truncated}};
  for (const auto& n : network.nodes) {
    out["nodes"].push_back({{"id", n.id},
                            {"hops", n.hops},
                            {"country", n.country},
                            {"in_register", n.in_register},
                            {"name", n.name}});
  }
  for (const auto& l : network.links) {
    out["links"].push_back({{"src", l.src}, {"dst", l.dst}, {"type", l.type}});
  }
  return out;
}

Reply Render(const Result<service::Network>& network) {
  if (!network.ok()) return ErrorReply(network.status());
  Reply reply;
  reply.body = NetworkJson(*network);
  return reply;
}

}  // namespace

void AddNetworkRoutes(ApiServer& server) {
  server.AddRoute("GET", "/api/v1/network/{id}", RouteSpec(), [&server](Call& call) {
    const std::string depth_text = call.Query("depth");
    char* end = nullptr;
    const long depth = depth_text.empty() ? 2 : std::strtol(depth_text.c_str(), &end, 10);
    if (!depth_text.empty() && *end != '\0') {
      return ErrorReply(InvalidArgument("depth: expected a whole number"));
    }
    return Render(service::Neighbours(*server.deps().store, call.caller, call.params.at(0),
                                      static_cast<int>(depth)));
  });
  server.AddRoute("GET", "/api/v1/network/{id}/path/{other}", RouteSpec(), [&server](Call& call) {
    return Render(service::ShortestPath(*server.deps().store, call.caller, call.params.at(0),
                                        call.params.at(1)));
  });
  server.AddRoute("GET", "/api/v1/network/{id}/group", RouteSpec(), [&server](Call& call) {
    return Render(service::ConnectedGroup(*server.deps().store, call.caller, call.params.at(0)));
  });
  server.AddRoute("GET", "/api/v1/cross-border-links", RouteSpec(), [&server](Call& call) {
    Result<service::CrossBorderReport> report =
        service::CrossBorderLinks(*server.deps().store, call.caller);
    if (!report.ok()) return ErrorReply(report.status());
    Reply reply;
    reply.body = {{"links", nlohmann::json::array()},
                  {"withheld", report->withheld},
                  {"truncated", report->truncated}};
    for (const auto& l : report->links) {
      reply.body["links"].push_back({{"src", l.link.src},
                                     {"dst", l.link.dst},
                                     {"type", l.link.type},
                                     {"country", l.link.country},
                                     {"other_country", l.other_country},
                                     {"other_in_register", l.other_in_register}});
    }
    return reply;
  });
}

}  // namespace entente::api
