#pragma once

#include "federation/inbox.h"

namespace entente::service {

// The hook the node's Inbox runs in the transaction that stores a received message: audits the
// reception (action "receive_message", actor "partner:CC"), marks a release notice acknowledged
// when its acknowledgement arrives, and hands each hit/no-hit message to its job: an index
// update to ApplyIndexUpdate, a hit notification to RecordIncomingHit, a request quoting one of
// this node's references to RecordFollowUps; lists the records a message carries in full as
// copies held, and applies a record notice to them (record_notices.h); keeps the keys a partner
// announces in a key rotation (federation/key_rotation.h). What it refuses, the inbox
// refuses: the message is not stored and its sender retries.
federation::AcceptHook ReceptionHook();

}  // namespace entente::service
