// libFuzzer target: the API's JSON bodies. Whatever a caller sends, parsing (depth-capped before
// any DOM), the entity codec and the serialisation back never crash, and a parsed document is
// never deeper than the cap.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/json.h"
#include "model/entity_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace entente;  // NOLINT(google-build-using-namespace): a fuzzer's main file
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Result<nlohmann::json> body = ParseJson(text, "body");
  if (!body.ok()) return 0;
  if (JsonDepth(text) > kMaxJsonDepth) __builtin_trap();
  (void)DumpJson(*body);
  (void)model::EntityFromJson(*body, "body");
  if (body->is_object()) {
    for (const char* field : {"query", "queries"}) {
      auto it = body->find(field);
      if (it == body->end()) continue;
      (void)model::EntityFromJson(*it, "body.query");
      if (it->is_object()) {
        for (const auto& [key, value] : it->items()) {
          (void)model::EntityFromJson(value, "body.queries." + key);
        }
      }
    }
  }
  return 0;
}
