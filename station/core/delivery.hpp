#pragma once
// Sends the queue's waiting enrollments, oldest first, each under the key it was queued with.
// Stops at the first attempt that got no answer (server unreachable, busy, session expired): the rest
// wait for the next round. A refusal about the record itself (4xx) marks that entry refused and goes on.
#include <functional>
#include <string>

#include "station/core/enrollment_queue.hpp"
#include "station/core/issuance_client.hpp"

namespace cccd::station {

struct DeliveryReport {
    int delivered = 0;
    int refused = 0;
    int still_waiting = 0;
    bool needs_login = false;  // the session expired: log in, then deliver again
    std::string stopped_because;  // words, when a round stopped early
};

DeliveryReport deliver_waiting(EnrollmentQueue& queue, IssuanceClient& client,
                               const std::function<void(const QueuedEnrollment&, const std::string& outcome)>& on_entry = {});

}  // namespace cccd::station
