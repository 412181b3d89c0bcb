#pragma once

#include <string>

#include "common/result.h"
#include "federation/keys.h"
#include "federation/message.h"
#include "store/store.h"

namespace entente::federation {

// The stored form of a message (for the messages table); `document` is its signed JSON.
store::StoredMessage StoredFromMessage(const Message& message, store::MessageDirection direction,
                                       std::string document);

// Sends `message` as part of the transaction `txn` (that of the change that causes it): stores
// it as sent and queues it, signed and sealed, for each recipient country, due at `now`. Nothing
// leaves before the transaction commits; a Deliverer then carries it. FailedPrecondition if a
// recipient country is not a registered partner; InvalidArgument if the message is not valid.
// Returns the message's JSON document.
Result<std::string> PostMessage(store::WriteTxn& txn, const Message& message, const NodeKeys& keys,
                                int64_t now);

}  // namespace entente::federation
