#include "server/issuance/service.hpp"

#include <algorithm>
#include <set>
#include <utility>

#include "base/clock.hpp"
#include "base/encoding.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/perso/personalizer.hpp"
#include "crypto/ec.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "identity/record_json.hpp"
#include "server/audit/audit_log.hpp"

namespace cccd::server::issuance {

namespace {

[[noreturn]] void refuse(IssuanceError code, const std::string& message, std::string subject = {}) {
    throw IssuanceRefusal(code, message, std::move(subject));
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : ", ") + word;
    return out;
}

std::string status_text(CardStatus status) { return std::string(to_string(status)); }

std::optional<Enrollment> enrollment_of_card(Transaction& t, const Card& card) {
    for (auto& e : t.enrollments_of(card.personal_id)) {
        if (e.card_number == card.card_number) return e;
    }
    return std::nullopt;
}

// Step 3 of sign_sod and activate: the card, still being personalized.
Card personalizing_card(Transaction& t, std::string_view card_number) {
    auto card = t.get_card(card_number);
    if (!card) refuse(IssuanceError::CardUnknown, "no card with this number");
    if (card->status != CardStatus::Personalizing) {
        refuse(IssuanceError::CardNotPersonalizing, "this card is " + status_text(card->status) + ", not being personalized");
    }
    return *card;
}

// The chip's Active Authentication key (DG15) and Chip Authentication key (DG14), SubjectPublicKeyInfo DER.
struct ChipKeys {
    Bytes active_auth;
    Bytes chip_auth;
};

const Bytes& group_or_empty(const std::map<int, Bytes>& groups, int number) {
    static const Bytes kNone;
    const auto it = groups.find(number);
    return it == groups.end() ? kNone : it->second;
}

// Step 5 of sign_sod.
ChipKeys read_chip_keys(const std::map<int, Bytes>& groups) {
    ChipKeys keys;
    try {
        keys.active_auth = lds::decode_dg15(group_or_empty(groups, 15)).public_key_info;
        auto ca = lds::decode_dg14(group_or_empty(groups, 14)).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
        if (ca.empty()) throw ParseError("DG14 has no Chip Authentication key");
        keys.chip_auth = ca.front().public_key_info;
    } catch (const Error& e) {
        refuse(IssuanceError::ChipKeysUnreadable, std::string("DG14/DG15 cannot be read: ") + e.what());
    }
    return keys;
}

// Step 6 of sign_sod: AA on brainpoolP256r1 or RSA-2048 without the ROCA fingerprint, CA on brainpoolP256r1.
void check_chip_keys(const ChipKeys& keys) {
    crypto::PKeyPtr aa_key;
    try {
        aa_key = crypto::parse_public_key(keys.active_auth);
    } catch (const Error&) {
        refuse(IssuanceError::ChipKeyRejected, "the Active Authentication key in DG15 is unusable");
    }
    const perso::KeySpec aa_spec =
        EVP_PKEY_get_base_id(aa_key.get()) == EVP_PKEY_RSA ? perso::KeySpec::rsa(2048) : perso::KeySpec::ec(13);
    for (const auto& check : {perso::check_chip_key("Active Authentication key", keys.active_auth, aa_spec),
                              perso::check_chip_key("Chip Authentication key", keys.chip_auth, perso::KeySpec::ec(13))}) {
        if (check.verdict != pa::Verdict::Pass) refuse(IssuanceError::ChipKeyRejected, check.name + ": " + check.reason);
    }
}

// Step 7 of sign_sod: exactly the data groups the server built (DG2 only for a profile with a face),
// in order, each byte for byte.
void check_data_groups(const std::map<int, Bytes>& submitted, const std::map<int, Bytes>& expected) {
    std::set<int> numbers;
    for (const auto& [number, bytes] : expected) numbers.insert(number);
    for (const auto& [number, bytes] : submitted) numbers.insert(number);
    for (const int number : numbers) {
        const std::string name = "DG" + std::to_string(number);
        const auto sent = submitted.find(number);
        const auto built = expected.find(number);
        if (built == expected.end()) {
            refuse(IssuanceError::DataGroupMismatch, name + " is not on a card of the enrolled record's profile: nothing was signed");
        }
        if (sent == submitted.end() || sent->second != built->second) {
            refuse(IssuanceError::DataGroupMismatch, name + " is not the one the enrolled record gives: nothing was signed");
        }
    }
}

}  // namespace

Clock system_clock() {
    return [] { return std::chrono::system_clock::now(); };
}

bool permitted(Role role, Operation operation) noexcept {
    switch (operation) {
        case Operation::Lookup:
        case Operation::SubmitEnrollment:
        case Operation::SignSod:
        case Operation::Activate:
        case Operation::ReportLost:
            return true;
        case Operation::Suspend:
        case Operation::Revoke:
        case Operation::ListApprovals:
        case Operation::Approve:
        case Operation::Reject:
            return role == Role::Supervisor || role == Role::Administrator;
    }
    return false;
}

Operation operation_of(StatusChange change) noexcept {
    switch (change) {
        case StatusChange::Suspend: return Operation::Suspend;
        case StatusChange::Revoke: return Operation::Revoke;
        case StatusChange::ReportLost: return Operation::ReportLost;
    }
    return Operation::Revoke;
}

std::vector<std::string> identity_changes(const Citizen& registered, const identity::EnrollmentRecord& submitted) {
    std::vector<std::string> changed;
    if (registered.person.full_name != submitted.person.full_name) changed.emplace_back("full_name");
    if (registered.date_of_birth != submitted.date_of_birth) changed.emplace_back("date_of_birth");
    if (registered.sex != submitted.sex) changed.emplace_back("sex");
    if (!registered.photo_jpeg.empty() && registered.photo_jpeg != submitted.photo_jpeg) changed.emplace_back("photo");
    return changed;
}

identity::EnrollmentRecord record_of(const Enrollment& enrollment) {
    identity::EnrollmentRecord record = identity::parse_enrollment_record(enrollment.record_json);
    record.photo_jpeg = enrollment.photo_jpeg;
    return record;
}

IssuanceService::IssuanceService(Storage& storage, const DocumentSigner* signer, Clock clock, IssuanceOptions options)
    : storage_(storage), signer_(signer), clock_(std::move(clock)), options_(options) {
    if (!clock_) throw InvalidArgument("the issuance service needs a clock");
}

std::string IssuanceService::now() const { return utc_time(clock_()); }

void IssuanceService::authorize(const Actor& actor, Operation operation) const {
    // Only supervisors' operations are restricted, so there is one way to say it.
    if (!permitted(actor.role, operation)) refuse(IssuanceError::ForbiddenRole, "only a supervisor or an administrator may do this");
}

void IssuanceService::check_record(const identity::EnrollmentRecord& record) const {
    try {
        perso::validate(record);  // the identity rules, the ID number's and the card profile's included
    } catch (const InvalidArgument& e) {
        refuse(IssuanceError::RecordInvalid, e.what());
    }
    const identity::CardProfile& profile = identity::profile_of(record);  // validate() knows the profile
    if (!profile.issued_now && !(profile.id == identity::CardProfileId::Cccd2021 && options_.legacy_cccd_2021)) {
        refuse(IssuanceError::ProfileNotIssued, "Thẻ " + std::string(profile.name_vi) +
                                                    " không còn được cấp từ ngày 01/07/2024: cấp thẻ Căn cước");
    }
}

void IssuanceService::check_signer() const {
    if (signer_ == nullptr) refuse(IssuanceError::SignerUnavailable, "no Document Signer is configured on this server");
}

void IssuanceService::check_readback(const std::map<std::string, std::string>& verdicts) const {
    for (const auto& [name, verdict] : verdicts) {
        if (verdict == "FAIL") refuse(IssuanceError::ReadbackNotVerified, "the read-back failed: " + name);
    }
    for (const std::string_view essential : kEssentialReadbackChecks) {
        const auto v = verdicts.find(std::string(essential));
        if (v == verdicts.end() || v->second != "PASS") {
            refuse(IssuanceError::ReadbackNotVerified, "the read-back did not pass: " + std::string(essential));
        }
    }
}

// ---- reads ----

CitizenFile IssuanceService::lookup_citizen(const Actor& actor, std::string_view personal_id) {
    authorize(actor, Operation::Lookup);
    auto found = storage_.read([&](Transaction& t) -> std::optional<CitizenFile> {
        auto citizen = t.get_citizen(personal_id);
        if (!citizen) return std::nullopt;
        return CitizenFile{*citizen, t.cards_of(personal_id)};
    });
    if (!found) refuse(IssuanceError::CitizenUnknown, "no citizen with this ID number in the population register");
    return std::move(*found);
}

std::vector<Citizen> IssuanceService::search_citizens(const Actor& actor, std::string_view name, std::size_t limit) {
    authorize(actor, Operation::Lookup);
    return storage_.read([&](Transaction& t) { return t.search_citizens_by_name(name, limit); });
}

Card IssuanceService::lookup_card(const Actor& actor, std::string_view card_number) {
    authorize(actor, Operation::Lookup);
    auto card = storage_.read([&](Transaction& t) { return t.get_card(card_number); });
    if (!card) refuse(IssuanceError::CardUnknown, "no card with this number");
    return std::move(*card);
}

std::vector<PendingApproval> IssuanceService::pending_approvals(const Actor& actor, std::size_t limit) {
    authorize(actor, Operation::ListApprovals);
    auto found = storage_.read([&](Transaction& t) {
        std::vector<std::pair<Enrollment, std::optional<Citizen>>> pending;
        for (auto& e : t.enrollments_with_status(EnrollmentStatus::AwaitingApproval, limit))
            pending.emplace_back(e, t.get_citizen(e.personal_id));
        return pending;
    });
    std::vector<PendingApproval> out;
    for (auto& [enrollment, citizen] : found) {
        PendingApproval p;
        p.submitted = record_of(enrollment);
        if (citizen) p.changes = identity_changes(*citizen, p.submitted);
        p.submitted_by_actor = enrollment.officer_id == actor.officer_id;
        p.enrollment = std::move(enrollment);
        p.registered = std::move(citizen);
        out.push_back(std::move(p));
    }
    return out;
}

// ---- writes ----

SubmittedEnrollment IssuanceService::submit_enrollment(Transaction& t, const Actor& actor, identity::EnrollmentRecord record) {
    // 1. role
    authorize(actor, Operation::SubmitEnrollment);
    // 2. the record's identity rules, its card profile's included; 3. the profile issued now
    check_record(record);
    // 4. the citizen in the register, 5. living
    const std::string id = record.person.personal_id;
    const auto citizen = t.get_citizen(id);
    if (!citizen) refuse(IssuanceError::CitizenUnknown, "no citizen with this ID number in the population register");
    if (citizen->status != CitizenStatus::Active)
        refuse(IssuanceError::CitizenNotLiving, "the population register does not list this citizen as living");
    // 6. identity changes: the register is not touched here, it takes the record when the new card is
    // activated; a change waits for a second person first.
    SubmittedEnrollment out;
    out.approval_required_for = identity_changes(*citizen, record);
    // 7. a card number, the card and the enrollment; the stored record names its profile
    const std::string card_number = t.allocate_card_number();
    record.person.card_serial = card_number;
    record.card_profile = std::string(identity::profile_of(record).code);
    const std::string stamp = now();

    Card& card = out.card;
    card.card_number = card_number;
    card.document_number = id.substr(3);
    card.personal_id = id;
    card.card_profile = record.card_profile;
    card.status = CardStatus::Personalizing;
    card.date_of_issue = identity::iso_date(record.person.date_of_issue);
    card.date_of_expiry = record.date_of_expiry;
    card.station_id = actor.station_id;
    card.officer_id = actor.officer_id;
    card.updated_at = stamp;
    t.put_card(card);

    Enrollment& e = out.enrollment;
    e.id = "E" + lower_hex(crypto::random_bytes(8));
    e.personal_id = id;
    e.station_id = card.station_id;
    e.officer_id = card.officer_id;
    e.record_json = identity::to_json(record);
    e.photo_jpeg = record.photo_jpeg;
    e.card_number = card_number;
    e.status = out.approval_required_for.empty() ? EnrollmentStatus::Personalizing : EnrollmentStatus::AwaitingApproval;
    e.created_at = stamp;
    t.put_enrollment(e);

    out.audit_detail = "card " + card_number + " (" + card.card_profile + ")";
    if (!out.approval_required_for.empty()) out.audit_detail += "; awaiting approval of " + joined(out.approval_required_for);
    return out;
}

SignedSod IssuanceService::sign_sod(Transaction& t, const Actor& actor, const SodRequest& request) {
    // 1. role
    authorize(actor, Operation::SignSod);
    // 2. a Document Signer
    check_signer();
    // 3. the card, being personalized
    Card card = personalizing_card(t, request.card_number);
    // 4. its enrollment, approved
    const auto enrollment = enrollment_of_card(t, card);
    if (!enrollment) refuse(IssuanceError::EnrollmentMissing, "this card has no enrollment");
    if (enrollment->status == EnrollmentStatus::AwaitingApproval) {
        refuse(IssuanceError::ApprovalRequired,
               "this enrollment changes the citizen's identity: a supervisor must approve it before the card is signed");
    }
    if (enrollment->status != EnrollmentStatus::Personalizing) {
        refuse(IssuanceError::EnrollmentNotPersonalizing,
               "this card's enrollment is " + std::string(to_string(enrollment->status)));
    }
    const identity::EnrollmentRecord record = record_of(*enrollment);
    // 5. the chip's keys, 6. the chip-key policy
    const ChipKeys keys = read_chip_keys(request.data_groups);
    check_chip_keys(keys);
    // 7. sign only what this server would have built from its own record and the chip's keys
    const perso::CardFiles expected = perso::build_card_files(record, keys.active_auth, keys.chip_auth);
    check_data_groups(request.data_groups, expected.data_groups);
    // 8. sign; pin the digest, the keys and the chip on the card
    SignedSod out;
    out.ef_sod = lds::build_sod(expected.security_object, signer_->key->key(), signer_->certificate.get());
    card.sod_digest = crypto::sha256(out.ef_sod);
    card.active_auth_public_key = keys.active_auth;
    card.chip_auth_public_key = keys.chip_auth;
    card.ds_certificate = pa::certificate_to_der(signer_->certificate.get());
    card.chip_serial = request.chip_serial;
    card.updated_at = now();
    t.put_card(card);
    out.audit_detail = "SOD " + to_hex(ByteView(card.sod_digest).first(8));
    out.card = std::move(card);
    return out;
}

Activated IssuanceService::activate(Transaction& t, const Actor& actor, const Activation& activation) {
    // 1. role
    authorize(actor, Operation::Activate);
    // 2. the read-back's verdicts
    check_readback(activation.verdicts);
    // 3. the card, being personalized
    Card card = personalizing_card(t, activation.card_number);
    // 4. the EF.SOD signed for it
    if (card.sod_digest.empty()) refuse(IssuanceError::SodNotSigned, "EF.SOD was never signed for this card");
    if (card.sod_digest != activation.sod_digest) {
        refuse(IssuanceError::SodDigestMismatch, "the card read back carries another EF.SOD than the one signed for it");
    }
    // 5. its enrollment, being personalized
    const auto enrollment = enrollment_of_card(t, card);
    if (!enrollment) refuse(IssuanceError::EnrollmentMissing, "this card's enrollment is not being personalized");
    if (enrollment->status != EnrollmentStatus::Personalizing)
        refuse(IssuanceError::EnrollmentNotPersonalizing, "this card's enrollment is not being personalized");
    // 6. the card issued, the enrollment completed; the holder's other cards in use are replaced by it
    const std::string stamp = now();
    t.update_card_status(card.card_number, CardStatus::Personalizing, CardStatus::Issued, stamp);
    t.update_enrollment_status(enrollment->id, EnrollmentStatus::Personalizing, EnrollmentStatus::Completed);
    Activated out;
    for (const Card& other : t.cards_of(card.personal_id)) {
        if (other.card_number == card.card_number) continue;
        if (other.status != CardStatus::Issued && other.status != CardStatus::Suspended) continue;
        t.update_card_status(other.card_number, other.status, CardStatus::Replaced, stamp);
        out.replaced_cards.push_back(other.card_number);
    }
    // 7. only now, with the new card in the citizen's hands, does the register take the record
    auto citizen = t.get_citizen(card.personal_id);
    if (!citizen) refuse(IssuanceError::CitizenGone, "the citizen is no longer in the population register");
    const identity::EnrollmentRecord record = record_of(*enrollment);
    citizen->person = record.person;
    citizen->sex = record.sex;
    citizen->date_of_birth = record.date_of_birth;
    citizen->photo_jpeg = record.photo_jpeg;
    citizen->updated_at = stamp;
    t.put_citizen(*citizen);
    card.status = CardStatus::Issued;
    card.updated_at = stamp;
    out.card = std::move(card);
    if (!out.replaced_cards.empty()) out.audit_detail = "replaced card " + joined(out.replaced_cards);
    return out;
}

Card IssuanceService::change_status(Transaction& t, const Actor& actor, std::string_view card_number, StatusChange change) {
    // Where each change leads and from which states.
    struct Rule {
        CardStatus next;
        std::vector<CardStatus> from;
    };
    const Rule rule = [&]() -> Rule {
        switch (change) {
            case StatusChange::Suspend: return {CardStatus::Suspended, {CardStatus::Issued}};
            case StatusChange::Revoke: return {CardStatus::Revoked, {CardStatus::Issued, CardStatus::Suspended, CardStatus::Lost}};
            case StatusChange::ReportLost: return {CardStatus::Lost, {CardStatus::Issued, CardStatus::Suspended}};
        }
        throw InvalidArgument("unknown card status change");
    }();
    // 1. role
    authorize(actor, operation_of(change));
    // 2. the card
    auto card = t.get_card(card_number);
    if (!card) refuse(IssuanceError::CardUnknown, "no card with this number");
    // 3. a change its status allows
    if (std::find(rule.from.begin(), rule.from.end(), card->status) == rule.from.end()) {
        refuse(IssuanceError::StatusChangeNotAllowed,
               "a card that is " + status_text(card->status) + " cannot become " + status_text(rule.next));
    }
    const std::string stamp = now();
    t.update_card_status(card_number, card->status, rule.next, stamp);
    card->status = rule.next;
    card->updated_at = stamp;
    return *card;
}

Decision IssuanceService::approve(Transaction& t, const Actor& actor, std::string_view enrollment_id) {
    return decide(t, actor, enrollment_id, true);
}

Decision IssuanceService::reject(Transaction& t, const Actor& actor, std::string_view enrollment_id) {
    return decide(t, actor, enrollment_id, false);
}

Decision IssuanceService::decide(Transaction& t, const Actor& actor, std::string_view enrollment_id, bool approve) {
    // 1. role
    authorize(actor, approve ? Operation::Approve : Operation::Reject);
    // 2. the enrollment
    auto enrollment = t.get_enrollment(enrollment_id);
    if (!enrollment) refuse(IssuanceError::EnrollmentUnknown, "no enrollment with this id");
    const std::string subject = enrollment->personal_id;
    // 3. waiting for a decision
    if (enrollment->status != EnrollmentStatus::AwaitingApproval) {
        refuse(IssuanceError::EnrollmentNotAwaitingApproval,
               "this enrollment is not waiting for approval (it is " + std::string(to_string(enrollment->status)) + ")", subject);
    }
    // 4. a second person: never the officer who submitted it
    if (enrollment->officer_id == actor.officer_id) {
        refuse(IssuanceError::SecondPersonRequired,
               "the officer who submitted an enrollment cannot decide on it: another supervisor must", subject);
    }
    // 5. the decision
    Decision out;
    const auto citizen = t.get_citizen(enrollment->personal_id);
    if (citizen) out.changes = identity_changes(*citizen, record_of(*enrollment));
    try {
        if (approve) {
            t.update_enrollment_status(enrollment_id, EnrollmentStatus::AwaitingApproval, EnrollmentStatus::Personalizing);
            enrollment->status = EnrollmentStatus::Personalizing;
        } else {
            t.update_enrollment_status(enrollment_id, EnrollmentStatus::AwaitingApproval, EnrollmentStatus::Rejected);
            t.update_card_status(enrollment->card_number, CardStatus::Personalizing, CardStatus::Revoked, now());
            enrollment->status = EnrollmentStatus::Rejected;
        }
    } catch (const StaleStateError&) {
        // The compare-and-set lost: told as a refusal so that it carries the subject found above.
        refuse(IssuanceError::DecidedMeanwhile, "the card's status changed meanwhile: reload it and try again", subject);
    }
    out.audit_detail = "card " + enrollment->card_number + "; " + (approve ? "approved: " : "rejected: ") + joined(out.changes) +
                       "; submitted by officer:" + enrollment->officer_id + "@station:" + enrollment->station_id;
    out.enrollment = std::move(*enrollment);
    return out;
}

std::string_view to_string(IssuanceError error) noexcept {
    switch (error) {
        case IssuanceError::ForbiddenRole: return "forbidden_role";
        case IssuanceError::RecordInvalid: return "record_invalid";
        case IssuanceError::ProfileNotIssued: return "profile_not_issued";
        case IssuanceError::CitizenUnknown: return "citizen_unknown";
        case IssuanceError::CitizenNotLiving: return "citizen_not_living";
        case IssuanceError::SignerUnavailable: return "signer_unavailable";
        case IssuanceError::CardUnknown: return "card_unknown";
        case IssuanceError::CardNotPersonalizing: return "card_not_personalizing";
        case IssuanceError::EnrollmentMissing: return "enrollment_missing";
        case IssuanceError::ApprovalRequired: return "approval_required";
        case IssuanceError::EnrollmentNotPersonalizing: return "enrollment_not_personalizing";
        case IssuanceError::ChipKeysUnreadable: return "chip_keys_unreadable";
        case IssuanceError::ChipKeyRejected: return "chip_key_rejected";
        case IssuanceError::DataGroupMismatch: return "data_group_mismatch";
        case IssuanceError::ReadbackNotVerified: return "readback_not_verified";
        case IssuanceError::SodNotSigned: return "sod_not_signed";
        case IssuanceError::SodDigestMismatch: return "sod_digest_mismatch";
        case IssuanceError::CitizenGone: return "citizen_gone";
        case IssuanceError::StatusChangeNotAllowed: return "status_change_not_allowed";
        case IssuanceError::EnrollmentUnknown: return "enrollment_unknown";
        case IssuanceError::EnrollmentNotAwaitingApproval: return "enrollment_not_awaiting_approval";
        case IssuanceError::SecondPersonRequired: return "second_person_required";
        case IssuanceError::DecidedMeanwhile: return "decided_meanwhile";
    }
    return "unknown";
}

}  // namespace cccd::server::issuance
