#pragma once
// Why the issuance core refused: one code per rule, in the order the operations check them
// (server/issuance/service.hpp; the API's answer to each is in docs/issuance.md). A refusal is thrown
// as IssuanceRefusal, so that a transaction it interrupts rolls back whatever the operation wrote
// before it (activate refuses after its first writes when the citizen has left the register).
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace cccd::server::issuance {

enum class IssuanceError {
    ForbiddenRole,                  // the officer's role may not do this (suspend, revoke, approvals)
    RecordInvalid,                  // the enrollment record breaks an identity rule (perso::validate)
    ProfileNotIssued,               // the record's card profile is no longer issued (the 2021 CCCD), unless configured
    CitizenUnknown,                 // no citizen with this ID number in the population register
    CitizenNotLiving,               // the register does not list the citizen as living
    SignerUnavailable,              // no Document Signer is configured on this server
    CardUnknown,                    // no card with this number
    CardNotPersonalizing,           // the card is issued, suspended, ...: not being personalized
    EnrollmentMissing,              // the card has no enrollment
    ApprovalRequired,               // the enrollment changes an identity and waits for a second person
    EnrollmentNotPersonalizing,     // the card's enrollment is completed or rejected
    ChipKeysUnreadable,             // DG15 or DG14 cannot be decoded, or DG14 has no Chip Authentication key
    ChipKeyRejected,                // a chip key is unusable or breaks the key policy (curve, size, ROCA)
    DataGroupMismatch,              // a data group is not the one the enrolled record and the chip's keys give
    ReadbackNotVerified,            // the read-back failed a check, or an essential check did not pass
    SodNotSigned,                   // activation of a card whose EF.SOD was never signed
    SodDigestMismatch,              // the card read back carries another EF.SOD than the one signed for it
    CitizenGone,                    // the citizen left the register before the card was activated
    StatusChangeNotAllowed,         // the card's status does not allow this change (a revoked card stays so)
    EnrollmentUnknown,              // no enrollment with this id
    EnrollmentNotAwaitingApproval,  // the enrollment is not waiting for a decision
    SecondPersonRequired,           // the officer who submitted an enrollment cannot decide on it
    DecidedMeanwhile,               // another decision changed the enrollment or its card meanwhile
};

// "forbidden_role", "record_invalid", ... (for logs and tests; the API answers with its own codes).
std::string_view to_string(IssuanceError error) noexcept;

// A refusal: the code, the words the officer is shown (never personal data or key material) and, when
// the operation found it before refusing, the audit subject (the personal ID of an enrollment that an
// approval names only by its id).
class IssuanceRefusal : public Error {
public:
    IssuanceRefusal(IssuanceError code, const std::string& message, std::string subject = {})
        : Error(message), code_(code), subject_(std::move(subject)) {}
    IssuanceError code() const noexcept { return code_; }
    const std::string& subject() const noexcept { return subject_; }

private:
    IssuanceError code_;
    std::string subject_;
};

}  // namespace cccd::server::issuance
