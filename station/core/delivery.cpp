#include "station/core/delivery.hpp"

namespace cccd::station {

DeliveryReport deliver_waiting(EnrollmentQueue& queue, IssuanceClient& client,
                               const std::function<void(const QueuedEnrollment&, const EntryDelivery&)>& on_entry) {
    DeliveryReport report;
    for (const QueuedEnrollment& entry : queue.waiting()) {
        EntryDelivery answer;
        try {
            const EnrollmentAccepted accepted = client.submit_enrollment(entry.body, entry.idempotency_key);
            answer.delivered = true;
            answer.card_number = accepted.card_number;
            answer.awaiting_approval = accepted.awaiting_approval();
            if (answer.awaiting_approval) answer.awaiting_approval_of = accepted.approval_required_for;
            queue.mark_delivered(entry.id, accepted.enrollment_id, accepted.card_number, answer.awaiting_approval_of);
            ++report.delivered;
            if (answer.awaiting_approval) ++report.awaiting_approval;
        } catch (const ServerRefusal& refusal) {
            if (refusal.needs_login() || refusal.try_later()) {
                queue.note_failed_attempt(entry.id, refusal.what());
                report.stopped = failure_of(Operation::Deliver, std::current_exception());
                break;
            }
            queue.mark_refused(entry.id, refusal.code() + ": " + refusal.what());
            ++report.refused;
            answer.refusal_code = refusal.code();
            answer.refusal_message = refusal.what();
        } catch (const net::ClientError& unreachable) {
            queue.note_failed_attempt(entry.id, unreachable.what());
            report.stopped = failure_of(Operation::Deliver, std::current_exception());
            break;
        }
        if (on_entry) on_entry(entry, answer);
    }
    report.still_waiting = static_cast<int>(queue.waiting().size());
    return report;
}

}  // namespace cccd::station
