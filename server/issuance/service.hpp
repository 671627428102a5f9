#pragma once
// The issuance core: what issuing a card does to the register, without HTTP. Typed inputs (the
// enrollment record, the acting officer at their station, the data groups a station built), typed
// results, and one IssuanceError per refusal, thrown as IssuanceRefusal. The issuance API
// (server/api/issuance_api.cpp) parses requests into these inputs, calls the service and answers;
// docs/issuance.md maps every refusal to its HTTP answer.
//
// The lifecycle it keeps (server/model/model.hpp):
//   submit_enrollment -> [awaiting_approval -> approve | reject] -> personalizing -> sign_sod -> activate
//   card: personalizing -> issued -> suspended / lost -> revoked
//
// Each write runs inside a transaction the caller opens, so that what the caller keeps with it (the
// API: its idempotent answer and the audit entry) commits with the write or not at all; a refusal
// rolls that transaction back. The checks that need no storage are public too (check_*, authorize),
// so a caller can refuse before it opens its transaction; every operation runs them again itself.
// Steps, in order, each with its refusals:
//   submit_enrollment  1 role                              forbidden_role (never: every role may)
//                      2 the record's identity rules,      record_invalid
//                        its card profile's included (perso::validate)
//                      3 the profile issued now            profile_not_issued (the 2021 CCCD, unless
//                                                          IssuanceOptions::legacy_cccd_2021)
//                      4 the citizen in the register       citizen_unknown
//                      5 living                            citizen_not_living
//                      6 identity changes against the register: awaiting_approval when there are any
//                      7 card number, the card (personalizing, its profile recorded) and the enrollment
//                        (its record naming the profile) written
//   sign_sod           1 role                              forbidden_role (never)
//                      2 a Document Signer                 signer_unavailable
//                      3 the card, being personalized      card_unknown, card_not_personalizing
//                      4 its enrollment, approved          enrollment_missing, approval_required,
//                                                          enrollment_not_personalizing
//                      5 the chip's keys from DG15, DG14   chip_keys_unreadable
//                      6 the chip-key policy               chip_key_rejected
//                      7 the data groups, rebuilt          data_group_mismatch (DG2 only when the
//                                                          record's profile has a face)
//                      8 EF.SOD signed; its digest, the chip's keys and serial pinned on the card
//   activate           1 role                              forbidden_role (never)
//                      2 the read-back's verdicts          readback_not_verified
//                      3 the card, being personalized      card_unknown, card_not_personalizing
//                      4 the EF.SOD signed for it          sod_not_signed, sod_digest_mismatch
//                      5 its enrollment, personalizing     enrollment_missing, enrollment_not_personalizing
//                      6 card issued, enrollment completed; every other card of the holder that is
//                        issued or suspended becomes replaced (a renewal)
//                      7 the register takes the record     citizen_gone (rolls 6 back)
//   change_status      1 role (suspend, revoke: supervisors)  forbidden_role
//                      2 the card                          card_unknown
//                      3 a change its status allows        status_change_not_allowed
//   approve, reject    1 role (supervisors)                forbidden_role
//                      2 the enrollment                    enrollment_unknown
//                      3 waiting for a decision            enrollment_not_awaiting_approval
//                      4 a second person                   second_person_required
//                      5 approve: personalizing; reject: rejected, its card revoked
//                                                          decided_meanwhile (a concurrent decision won)
// Storage failures (StaleStateError when a card's status changed meanwhile, BusyError, ...) pass
// through: they are the server's, not a refusal.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "certs/signing_key.hpp"
#include "crypto/openssl.hpp"
#include "identity/enrollment_record.hpp"
#include "server/issuance/refusal.hpp"
#include "server/model/model.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::issuance {

// The time the register's records are stamped with (cards' updated_at, enrollments' created_at).
using Clock = std::function<std::chrono::system_clock::time_point()>;
Clock system_clock();

// Who acts: an officer, at a station, in their role (as their session names them).
struct Actor {
    std::string officer_id;
    std::string station_id;
    Role role = Role::EnrollmentOfficer;
};

// The key that signs EF.SOD and its certificate.
struct DocumentSigner {
    std::unique_ptr<certs::SigningKey> key;  // PKCS#11 token or encrypted key file
    crypto::X509Ptr certificate;
};

// ---- who may do what: one table ----

enum class Operation {
    Lookup,            // a citizen, a name search, a card
    SubmitEnrollment,
    SignSod,
    Activate,
    ReportLost,
    Suspend,
    Revoke,
    ListApprovals,
    Approve,
    Reject,
};
bool permitted(Role role, Operation operation) noexcept;

// ---- the rules, as pure functions ----

// The identity fields an enrollment would change against what the register holds ("full_name",
// "date_of_birth", "sex", "photo"): these need a second person's approval. A first photo (the
// register held none) is not a change; a different one is.
std::vector<std::string> identity_changes(const Citizen& registered, const identity::EnrollmentRecord& submitted);

// The record an enrollment submitted, its photo included.
identity::EnrollmentRecord record_of(const Enrollment& enrollment);

// The read-back checks that must PASS before a card is activated (any FAIL refuses too). For a card
// without DG2 the read-back's "Data matches the record: DG2" passes when the card has none either
// (card/perso/personalizer.hpp).
inline constexpr std::string_view kEssentialReadbackChecks[] = {
    "SOD signature", "Chip Authentication", "Active Authentication",
    "Data matches the record: DG1", "Data matches the record: DG2", "Data matches the record: DG13"};

// The data groups a card may carry and the server rebuilds before it signs: exactly those the enrolled
// record's profile gives (perso::build_card_files), so DG2 only for a profile with a face.
inline constexpr int kSignedDataGroups[] = {1, 2, 13, 14, 15};
// Of those, the ones a station sends only when the card's profile has them.
inline constexpr int kProfileDataGroups[] = {2};

// How this server issues.
struct IssuanceOptions {
    // Also issue the 2021 CCCD (cccd-2021), no longer issued since 1 July 2024: for demonstrations and
    // tests that need a 2021 card to renew. Off by default (cccd-server: issuance_legacy_cccd_2021).
    bool legacy_cccd_2021 = false;
};

// ---- inputs and results ----

struct SubmittedEnrollment {
    Enrollment enrollment;  // record_json carries the allocated card number as card_serial
    Card card;              // personalizing
    std::vector<std::string> approval_required_for;  // identity_changes; empty: personalizing at once
    std::string audit_detail;                        // "card N[; awaiting approval of full_name, ...]"
};

struct SodRequest {
    std::string card_number;
    std::map<int, Bytes> data_groups;  // DG1, DG2 (when the profile has a face), DG13, DG14, DG15 as the station built them
    Bytes chip_serial;                 // from GET DATA
};

struct SignedSod {
    Bytes ef_sod;
    Card card;                 // as now registered: SOD digest, AA and CA keys, DS certificate pinned
    std::string audit_detail;  // "SOD <first 8 bytes of the digest>"
};

struct Activation {
    std::string card_number;
    Bytes sod_digest;                             // SHA-256 of the EF.SOD the card was read back with
    std::map<std::string, std::string> verdicts;  // the read-back: check name -> "PASS", "FAIL", ...
};

struct Activated {
    Card card;                                  // issued
    std::vector<std::string> replaced_cards;    // the holder's other cards that became replaced, by number
    std::string audit_detail;                   // "replaced card N[, M]" (empty when none)
};

enum class StatusChange { Suspend, Revoke, ReportLost };
// Who may make the change: Operation::Suspend, ::Revoke, ::ReportLost.
Operation operation_of(StatusChange change) noexcept;

struct Decision {
    Enrollment enrollment;             // with its new status
    std::vector<std::string> changes;  // the identity fields decided on
    std::string audit_detail;          // "card N; approved: full_name; submitted by officer:O@station:S"
};

struct CitizenFile {
    Citizen citizen;
    std::vector<Card> cards;
};

struct PendingApproval {
    Enrollment enrollment;
    std::optional<Citizen> registered;  // as the register holds the citizen (gone: nothing)
    identity::EnrollmentRecord submitted;
    std::vector<std::string> changes;   // identity_changes(registered, submitted)
    bool submitted_by_actor = false;    // the asking officer submitted it: they cannot decide on it
};

class IssuanceService {
public:
    // `storage` must outlive the service. `signer` may be null: sign_sod is then refused
    // (signer_unavailable). Thread-safe when the storage is.
    explicit IssuanceService(Storage& storage, const DocumentSigner* signer = nullptr, Clock clock = system_clock(),
                             IssuanceOptions options = {});

    // forbidden_role unless the actor's role may do `operation`.
    void authorize(const Actor& actor, Operation operation) const;
    // Steps 2 and 3 of submit_enrollment: record_invalid, in the officer's words; profile_not_issued.
    void check_record(const identity::EnrollmentRecord& record) const;
    // Step 2 of sign_sod: signer_unavailable.
    void check_signer() const;
    // Step 2 of activate: readback_not_verified for a FAIL (the first by name) or an essential check
    // that did not PASS.
    void check_readback(const std::map<std::string, std::string>& verdicts) const;

    // ---- reads, each in a read transaction of its own ----
    CitizenFile lookup_citizen(const Actor& actor, std::string_view personal_id);  // citizen_unknown
    std::vector<Citizen> search_citizens(const Actor& actor, std::string_view name, std::size_t limit);
    Card lookup_card(const Actor& actor, std::string_view card_number);  // card_unknown
    // The enrollments waiting for a second person, oldest first (supervisors only).
    std::vector<PendingApproval> pending_approvals(const Actor& actor, std::size_t limit = 100);

    // ---- writes, in the caller's transaction `t` ----
    // The card is the actor's and their station's, of the record's profile (identity::profile_of), which
    // the stored record names; the register is not touched until activation.
    SubmittedEnrollment submit_enrollment(Transaction& t, const Actor& actor, identity::EnrollmentRecord record);
    // Signs EF.SOD over what this server builds from its own record and the chip's keys, only when
    // every data group the station sent is byte for byte that.
    SignedSod sign_sod(Transaction& t, const Actor& actor, const SodRequest& request);
    // The card issued, and the holder's other issued or suspended cards replaced by it; the register
    // takes the enrolled record (name, sex, date of birth, photo, cancelled ID numbers, every field).
    Activated activate(Transaction& t, const Actor& actor, const Activation& activation);
    Card change_status(Transaction& t, const Actor& actor, std::string_view card_number, StatusChange change);
    Decision approve(Transaction& t, const Actor& actor, std::string_view enrollment_id);
    // The enrollment rejected and its card revoked: never issued.
    Decision reject(Transaction& t, const Actor& actor, std::string_view enrollment_id);

private:
    Decision decide(Transaction& t, const Actor& actor, std::string_view enrollment_id, bool approve);
    std::string now() const;

    Storage& storage_;
    const DocumentSigner* signer_;
    Clock clock_;
    IssuanceOptions options_;
};

}  // namespace cccd::server::issuance
