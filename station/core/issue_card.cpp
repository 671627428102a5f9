#include "station/core/issue_card.hpp"

#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "base/error.hpp"
#include "card/reader/pcsc.hpp"
#include "crypto/random.hpp"
#include "identity/record_json.hpp"

namespace cccd::station {

namespace json = boost::json;

AwaitingApprovalError::AwaitingApprovalError(const ServerRefusal& refusal, std::vector<std::string> fields)
    : ServerRefusal(refusal.http_status(), refusal.code(), refusal.what(), refusal.request_id()), fields_(std::move(fields)) {}

identity::EnrollmentRecord server_record_of(const QueuedEnrollment& delivered) {
    if (delivered.state != QueueState::Delivered || delivered.card_number.empty())
        throw InvalidArgument("this enrollment has not reached the server yet: deliver the queue first");
    const json::value body = json::parse(delivered.body);
    identity::EnrollmentRecord record = identity::parse_enrollment_record(json::serialize(body.at("record")));
    record.photo_jpeg = base64_decode(std::string(body.at("photo_jpeg").as_string().c_str()));
    record.person.card_serial = delivered.card_number;
    return record;
}

IssueOutcome issue_card(channel::CardChannel& channel, IssuanceClient& client, const QueuedEnrollment& delivered,
                        const IssueOptions& options) {
    IssueOutcome outcome;
    outcome.card_number = delivered.card_number;
    const identity::EnrollmentRecord record = server_record_of(delivered);
    // One key per attempt: a retry after a pulled card brings new chip keys, so a new request.
    const std::string attempt = to_hex(crypto::random_bytes(8));
    perso::PersonalizationOptions perso_options;
    perso_options.transport_key = options.transport_key;
    perso_options.trust = options.trust;
    perso_options.on_step = options.on_step;
    perso_options.sign_sod = [&](const perso::CardFiles& files) {
        // The data groups the profile gives the chip (no DG2 under 6): the server rebuilds and compares
        // each, and never signs what it did not build.
        const std::map<int, Bytes>& groups = files.data_groups;
        try {
            return client.sign_sod(delivered.card_number, groups, files.chip_serial, "sod-" + delivered.card_number + "-" + attempt);
        } catch (const ServerRefusal& refusal) {
            // Step 4, nothing written yet: stop here, with the fields the officer is told about and the card as it was.
            if (refusal.code() == "approval_required") throw AwaitingApprovalError(refusal, delivered.awaiting_approval_of);
            throw;
        }
    };
    outcome.personalization = perso::personalize(channel, record, perso_options);
    if (outcome.personalization.issued) {
        outcome.status = client.activate(delivered.card_number, outcome.personalization.sod, outcome.personalization.checks,
                                         "activate-" + delivered.card_number + "-" + attempt);
    }
    return outcome;
}

IssueOutcome issue_card_in_reader(const StationConfig& config, const std::string& reader, IssuanceClient& client,
                                  const QueuedEnrollment& delivered, const perso::TransportKeyLookup& transport_key,
                                  const std::function<void(const perso::PersonalizationStep&)>& on_step,
                                  std::string* reader_used) {
    const pa::TrustStore trust = station_trust(config);
    IssueOptions options;
    options.transport_key = transport_key;
    options.trust = &trust;
    options.on_step = on_step;
    reader::PcscContext context;
    const std::string name = context.reader_or_first(reader.empty() ? config.reader : reader);
    if (reader_used != nullptr) *reader_used = name;
    reader::PcscCard card(context, name);
    reader::Transaction transaction(card);  // no other program's APDUs in the middle of personalization
    return issue_card(card, client, delivered, options);
}

}  // namespace cccd::station
