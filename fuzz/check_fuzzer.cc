// libFuzzer target: the checks a partner sends an owner (federation/check.h) and the answers an
// owner sends back. The input is taken as the signed document itself: the fuzzer signs it with
// the partner's (or the owner's) fixed key, so that mutations reach the parsers behind the
// signature. Neither side may crash on anything; what one side accepts must read the same after
// being signed again.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "federation/check.h"
#include "federation/crypto.h"
#include "fuzz_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace entente;  // NOLINT(google-build-using-namespace): a fuzzer's main file
  static const federation::NodeKeys owner = fuzz::FixedKeys("BE", 1);
  static const federation::NodeKeys partner = fuzz::FixedKeys("MA", 2);
  static const std::vector<std::string> partner_keys = {partner.sign_public};
  static const std::vector<std::string> owner_keys = {owner.sign_public};
  const std::string document(reinterpret_cast<const char*>(data), size);
  (void)federation::QueryCodeFromBytes(document, "query");
  const std::string request_body =
      nlohmann::json{
          {"request", document},
          {"signature", federation::Sign("entente-check-v1\n" + document, partner.sign_secret)}}
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto request =
      federation::OpenCheckRequest(request_body, "MA", "BE", partner_keys, fuzz::kFuzzNow);
  if (request.ok()) {
    auto again = federation::OpenCheckRequest(federation::SignCheckRequest(*request, partner), "MA",
                                              "BE", partner_keys, fuzz::kFuzzNow);
    if (!again.ok() || again->id != request->id || again->queries.size() != request->queries.size())
      __builtin_trap();
  }
  federation::CheckRequest asked;
  asked.id = "chk-00000000000000000000000000000001";
  asked.from = "MA";
  asked.to = "BE";
  asked.queries.resize(2);
  const std::string answer_body =
      nlohmann::json{{"answer", document},
                     {"signature",
                      federation::Sign("entente-check-answer-v1\n" + document, owner.sign_secret)}}
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto answer = federation::OpenCheckAnswer(answer_body, asked, owner_keys);
  if (answer.ok()) {
    auto again =
        federation::OpenCheckAnswer(federation::SignCheckAnswer(*answer, owner), asked, owner_keys);
    if (!again.ok() || again->results != answer->results) __builtin_trap();
  }
  return 0;
}
