#include "station/core/delivery.hpp"

namespace cccd::station {

DeliveryReport deliver_waiting(EnrollmentQueue& queue, IssuanceClient& client,
                               const std::function<void(const QueuedEnrollment&, const std::string&)>& on_entry) {
    DeliveryReport report;
    const auto waiting = queue.waiting();
    std::size_t index = 0;
    for (; index < waiting.size(); ++index) {
        const QueuedEnrollment& entry = waiting[index];
        try {
            const EnrollmentAccepted accepted = client.submit_enrollment(entry.body, entry.idempotency_key);
            const std::vector<std::string> awaiting =
                accepted.awaiting_approval() ? accepted.approval_required_for : std::vector<std::string>{};
            queue.mark_delivered(entry.id, accepted.enrollment_id, accepted.card_number, awaiting);
            ++report.delivered;
            std::string outcome = "delivered, card " + accepted.card_number;
            if (accepted.awaiting_approval()) {
                ++report.awaiting_approval;
                std::string fields;
                for (const auto& field : accepted.approval_required_for) fields += (fields.empty() ? "" : ", ") + field;
                outcome += ", awaiting a supervisor's approval of " + (fields.empty() ? std::string("an identity change") : fields);
            }
            if (on_entry) on_entry(entry, outcome);
        } catch (const ServerRefusal& refusal) {
            if (refusal.needs_login() || refusal.try_later()) {
                queue.note_failed_attempt(entry.id, refusal.what());
                report.needs_login = refusal.needs_login();
                report.stopped_because = refusal.what();
                break;
            }
            queue.mark_refused(entry.id, refusal.code() + ": " + refusal.what());
            ++report.refused;
            if (on_entry) on_entry(entry, "refused: " + std::string(refusal.what()));
        } catch (const net::ClientError& unreachable) {
            queue.note_failed_attempt(entry.id, unreachable.what());
            report.stopped_because = unreachable.what();
            break;
        }
    }
    report.still_waiting = static_cast<int>(queue.waiting().size());
    return report;
}

}  // namespace cccd::station
