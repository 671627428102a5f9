#pragma once
// Issuing the card of a delivered enrollment: personalize the blank chip in the reader with the card
// pipeline (card/perso), the EF.SOD signed by the server (which rebuilds and compares the data groups),
// then report the read-back so the server activates the card. Runs on the station's worker thread.
#include <functional>
#include <string>
#include <vector>

#include "card/channel/channel.hpp"
#include "card/perso/personalizer.hpp"
#include "station/core/enrollment_queue.hpp"
#include "station/core/issuance_client.hpp"
#include "station/core/station_config.hpp"

namespace cccd::station {

// The server will not sign this card's EF.SOD before a supervisor other than the submitting officer
// approves the enrollment's identity change (409 approval_required). Personalization stopped at the
// signing step, before anything was written to the chip: the card stays blank and unlocked, and the
// same card is issued by running again once the change is approved. what(): the server's message; the
// officer's words come from the front end (failure_of: Failure::AwaitingApproval with the fields).
class AwaitingApprovalError : public ServerRefusal {
public:
    AwaitingApprovalError(const ServerRefusal& refusal, std::vector<std::string> fields);
    // The identity fields the enrollment changes, as the queue last knew them (may be empty).
    const std::vector<std::string>& fields() const noexcept { return fields_; }

private:
    std::vector<std::string> fields_;
};

struct IssueOptions {
    perso::TransportKeyLookup transport_key;  // the blank card's issuer transport key, by chip serial
    const pa::TrustStore* trust = nullptr;    // CSCAs for the read-back's Passive Authentication
    std::function<void(const perso::PersonalizationStep&)> on_step;
};

struct IssueOutcome {
    perso::PersonalizationResult personalization;
    std::string card_number;
    std::string status;  // the server's card status after activation ("issued"), empty when not activated
    bool issued() const { return personalization.issued && status == "issued"; }
};

// The record the server holds for a delivered queue entry: the queued record with the card number it
// allocated (DG13 card serial). InvalidArgument when the entry is not delivered.
identity::EnrollmentRecord server_record_of(const QueuedEnrollment& delivered);

// channel::CardRemovedError when the card leaves the reader (run again with the same card); ServerRefusal
// or net::ClientError when the server refuses or cannot be reached (run again later: nothing is lost,
// the card stays unlocked until the SOD is written, and a locked card is only verified and reported);
// AwaitingApprovalError (a ServerRefusal) while the enrollment waits for a supervisor's approval.
// Returning at all means the server signed the SOD: the enrollment needs no (more) approval.
IssueOutcome issue_card(channel::CardChannel& channel, IssuanceClient& client, const QueuedEnrollment& delivered,
                        const IssueOptions& options);

// The same with the blank card in a PC/SC reader (`reader`, else the configuration's, else the first),
// the station's CSCAs and the card's transport key (by its chip serial: TransportKeyStore::lookup, or
// perso::fixed_transport_key), all in one reader transaction. `reader_used` receives the reader's name.
// Reader failures throw as the reader layer does; perso::UnknownBlankCardError when the card is in no
// imported batch.
IssueOutcome issue_card_in_reader(const StationConfig& config, const std::string& reader, IssuanceClient& client,
                                  const QueuedEnrollment& delivered, const perso::TransportKeyLookup& transport_key,
                                  const std::function<void(const perso::PersonalizationStep&)>& on_step,
                                  std::string* reader_used = nullptr);

}  // namespace cccd::station
