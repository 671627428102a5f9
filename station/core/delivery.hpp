#pragma once
// Sends the queue's waiting enrollments, oldest first, each under the key it was queued with.
// Stops at the first attempt that got no answer (server unreachable, busy, session expired): the rest
// wait for the next round. A refusal about the record itself (4xx) marks that entry refused and goes on.
// An enrollment that changes the citizen's identity is delivered all the same (the server has it) and
// waits there for a supervisor's approval before its card can be signed.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "station/core/enrollment_queue.hpp"
#include "station/core/issuance_client.hpp"
#include "station/core/outcome.hpp"

namespace cccd::station {

// What the server answered about one entry of a round.
struct EntryDelivery {
    bool delivered = false;          // else refused: set aside, never sent again
    std::string card_number;         // delivered: the card number the server allocated
    bool awaiting_approval = false;  // delivered, waiting for a supervisor's approval of an identity change
    std::vector<std::string> awaiting_approval_of;  // its fields as the server names them (may be empty)
    std::string refusal_code, refusal_message;      // refused: the server's code and message
};

struct DeliveryReport {
    int delivered = 0;
    int refused = 0;
    int awaiting_approval = 0;  // of the delivered: identity changes a supervisor must approve first
    int still_waiting = 0;
    // Why the round stopped early: SessionExpired (log in, then deliver again), ServerBusy or
    // ServerUnreachable, with what the server or the network said as the detail.
    std::optional<OperationFailure> stopped;
    bool needs_login() const noexcept { return stopped && stopped->code == Failure::SessionExpired; }
};

DeliveryReport deliver_waiting(EnrollmentQueue& queue, IssuanceClient& client,
                               const std::function<void(const QueuedEnrollment&, const EntryDelivery&)>& on_entry = {});

}  // namespace cccd::station
