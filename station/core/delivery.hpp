#pragma once
// Sends the queue's waiting enrollments, oldest first, each under the key it was queued with.
// Stops at the first attempt that got no answer (server unreachable, busy, session expired): the rest
// wait for the next round. A refusal about the record itself (4xx) marks that entry refused and goes on.
// An enrollment that changes the citizen's identity is delivered all the same (the server has it) and
// waits there for a supervisor's approval before its card can be signed.
#include <functional>
#include <string>

#include "station/core/enrollment_queue.hpp"
#include "station/core/issuance_client.hpp"

namespace cccd::station {

struct DeliveryReport {
    int delivered = 0;
    int refused = 0;
    int awaiting_approval = 0;  // of the delivered: identity changes a supervisor must approve first
    int still_waiting = 0;
    bool needs_login = false;  // the session expired: log in, then deliver again
    std::string stopped_because;  // words, when a round stopped early
};

DeliveryReport deliver_waiting(EnrollmentQueue& queue, IssuanceClient& client,
                               const std::function<void(const QueuedEnrollment&, const std::string& outcome)>& on_entry = {});

}  // namespace cccd::station
