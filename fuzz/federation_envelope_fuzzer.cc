// libFuzzer target: what a partner's node (or anyone who reaches the federation port) sends:
// envelopes, the messages inside them (a partner signs whatever it likes), receipts and inbox
// answers. None may crash the receiving node.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "federation/envelope.h"
#include "federation/https_transport.h"
#include "federation/message.h"
#include "fuzz_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace entente;  // NOLINT(google-build-using-namespace): a fuzzer's main file
  static const federation::NodeKeys recipient = fuzz::FixedKeys("BE", 1);
  static const federation::NodeKeys sender = fuzz::FixedKeys("FR", 2);
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)federation::ReadEnvelopeHeader(bytes);
  federation::Refusal refusal;
  (void)federation::OpenEnvelope(bytes, recipient, sender.sign_public, fuzz::kFuzzNow, &refusal);
  (void)federation::ParseMessage(bytes);
  (void)federation::VerifyReceipt(bytes, "msg-1", "BE", "FR", sender.sign_public);
  (void)federation::ParseOutcomes(bytes, 2);
  return 0;
}
