#include "auth/pipeline.hpp"

#include <boost/json.hpp>

#include <map>
#include <utility>
#include <vector>

#include "base/encoding.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/security_infos.hpp"
#include "card/lds/sod.hpp"
#include "card/mrz/mrz.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/chip_auth.hpp"
#include "crypto/hash.hpp"

namespace cccd::auth {
namespace json = boost::json;

namespace {

[[noreturn]] void refuse(AuthError code, const std::string& reason) { throw AuthFailure(code, reason); }

std::time_t to_time_t(Instant t) { return static_cast<std::time_t>(t.time_since_epoch().count()); }

// The registry card this EF.SOD belongs to, and whether the registry pinned it.
struct SodMatch {
    identity::Card card;
    bool pinned = false;
};

Bytes dg15_key(const Bytes& dg15) {
    try {
        return lds::decode_dg15(dg15).public_key_info;
    } catch (const Error&) {
        return {};
    }
}

// The 12-digit ID number a CCCD's MRZ carries in optional data 1, when DG1 holds one.
std::optional<std::string> mrz_id_number(const Bytes& dg1) {
    try {
        return mrz::parse_td1(lds::decode_dg1(dg1).mrz).cccd_id_number;
    } catch (const Error&) {
        return std::nullopt;
    }
}

SodMatch match_sod(const std::vector<identity::Card>& cards, const VerificationRequest& request,
                   const pa::TrustStore* trust, Instant now) {
    const Bytes digest = crypto::sha256(request.ef_sod);
    for (const auto& card : cards) {
        if (!card.sod_digest.empty() && constant_time_equal(card.sod_digest, digest)) return {card, true};
    }
    // No card pins this SOD. Only a card the registry never pinned may still pass, on full PA.
    std::vector<const identity::Card*> unpinned;
    for (const auto& card : cards) {
        if (card.sod_digest.empty()) unpinned.push_back(&card);
    }
    if (unpinned.empty()) refuse(AuthError::SodMismatch, "EF.SOD is not the one signed for this card at issuance");
    if (trust == nullptr) {
        refuse(AuthError::SodNotPinnedAndPaFailed, "the card has no pinned SOD and no trust store is configured");
    }
    // Data groups are left out here: step 6 checks them the same way for both paths.
    const pa::Report report = pa::verify({}, request.ef_sod, *trust, to_time_t(now));
    if (!report.passed()) {
        std::string failed = "Passive Authentication failed";
        for (const auto& check : report.checks) {
            if (check.verdict == pa::Verdict::Fail) {
                failed += ": " + check.name;
                break;
            }
        }
        refuse(AuthError::SodNotPinnedAndPaFailed, failed);
    }
    // Document numbers repeat across provinces: narrow to the holder the MRZ names (DG1 is checked
    // against this SOD in step 6, so a wrong guess here cannot pass).
    if (const auto holder = mrz_id_number(request.dg1)) {
        std::erase_if(unpinned, [&](const identity::Card* card) { return card->personal_id != *holder; });
    }
    // Which unpinned card: the one registered with this AA key, else the only one without a key.
    const Bytes presented_key = dg15_key(request.dg15);
    const identity::Card* chosen = nullptr;
    std::size_t keyless = 0;
    for (const auto* card : unpinned) {
        if (!card->active_auth_public_key.empty() && card->active_auth_public_key == presented_key) chosen = card;
        if (card->active_auth_public_key.empty()) ++keyless;
    }
    if (chosen == nullptr && keyless == 1) {
        for (const auto* card : unpinned) {
            if (card->active_auth_public_key.empty()) chosen = card;
        }
    }
    if (chosen == nullptr) refuse(AuthError::CardUnknown, "no registered card without a pinned SOD matches this chip");
    return {*chosen, false};
}

// The lean form (request.hpp): the card registered with exactly the presented DG15 key. Only a card
// whose EF.SOD was pinned at issuance may be presented so; the AA signature then checks it.
SodMatch match_registered_key(const std::vector<identity::Card>& cards, const VerificationRequest& request) {
    const Bytes presented_key = dg15_key(request.dg15);
    if (presented_key.empty()) refuse(AuthError::CardUnknown, "DG15 does not hold a public key");
    for (const auto& card : cards) {
        if (card.active_auth_public_key.empty() || card.active_auth_public_key != presented_key) continue;
        if (card.sod_digest.empty()) {
            refuse(AuthError::SodNotPinnedAndPaFailed,
                   "the card has no pinned SOD: it must present its files for Passive Authentication");
        }
        return {card, true};
    }
    refuse(AuthError::CardUnknown, "no card with this document number is registered with this Active Authentication key");
}

lds::Sod parse_trusted_sod(ByteView ef_sod) {
    try {
        return lds::parse_sod(ef_sod);
    } catch (const Error&) {
        refuse(AuthError::SodMismatch, "EF.SOD cannot be parsed");
    }
}

void check_data_groups(const lds::Sod& sod, const VerificationRequest& request, const identity::Card& card) {
    const auto hash = sod.security_object.known_hash();
    if (!hash) refuse(AuthError::DataGroupMismatch, "the SOD uses an unknown hash algorithm");
    std::vector<std::pair<int, const Bytes*>> groups{{1, &request.dg1}, {14, &request.dg14}, {15, &request.dg15}};
    if (request.dg2) groups.emplace_back(2, &*request.dg2);
    if (request.dg13) groups.emplace_back(13, &*request.dg13);
    for (const auto& [number, bytes] : groups) {
        const Bytes* listed = sod.security_object.hash_of(number);
        const std::string name = "DG" + std::to_string(number);
        if (listed == nullptr) refuse(AuthError::DataGroupMismatch, name + " is not listed in the SOD");
        if (!constant_time_equal(crypto::digest(*hash, *bytes), *listed)) {
            refuse(AuthError::DataGroupMismatch, name + " does not hash to the value in the SOD");
        }
    }
    // DG1 is authentic now; it must name the document the caller looked up.
    mrz::Td1 td1;
    try {
        td1 = mrz::parse_td1(lds::decode_dg1(request.dg1).mrz);
    } catch (const Error&) {
        refuse(AuthError::DataGroupMismatch, "DG1 does not hold a TD1 MRZ");
    }
    if (td1.document_number != request.document_number) {
        refuse(AuthError::DataGroupMismatch, "DG1 carries another document number than the request");
    }
    if (td1.cccd_id_number && *td1.cccd_id_number != card.personal_id) {
        refuse(AuthError::DataGroupMismatch, "DG1 names another holder than the registered card");
    }
}

struct ChipInfo {
    std::optional<std::string> aa_signature_oid;
    Bytes chip_auth_key;  // from DG14, when there is one
};

ChipInfo read_dg14(const Bytes& dg14) {
    ChipInfo info;
    try {
        const lds::Dg14 decoded = lds::decode_dg14(dg14);
        auto aa = decoded.security_infos.all<lds::ActiveAuthenticationInfo>();
        if (!aa.empty()) info.aa_signature_oid = aa.front().signature_algorithm;
        auto ca = decoded.security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
        if (!ca.empty()) info.chip_auth_key = ca.front().public_key_info;
    } catch (const Error&) {
        refuse(AuthError::DataGroupMismatch, "DG14 cannot be read");
    }
    return info;
}

std::optional<std::chrono::sys_days> date_of(std::string_view yyyy_mm_dd) {
    try {
        return std::chrono::floor<std::chrono::days>(parse_date(yyyy_mm_dd));
    } catch (const InvalidArgument&) {
        return std::nullopt;
    }
}

}  // namespace

std::optional<AuthError> card_status_error(const identity::Card& card, Instant now) {
    switch (card.status) {
        case identity::CardStatus::Issued: break;
        case identity::CardStatus::Personalizing: return AuthError::CardNotIssued;
        case identity::CardStatus::Suspended: return AuthError::CardSuspended;
        case identity::CardStatus::Revoked: return AuthError::CardRevoked;
        case identity::CardStatus::Lost: return AuthError::CardLost;
        case identity::CardStatus::Expired: return AuthError::CardExpired;
        case identity::CardStatus::Replaced: return AuthError::CardReplaced;
    }
    if (card.date_of_expiry == "none") return std::nullopt;
    const auto expiry = date_of(card.date_of_expiry);
    // An unreadable expiry fails closed.
    if (!expiry || now >= Instant{*expiry + std::chrono::days{1}}) return AuthError::CardExpired;
    return std::nullopt;
}

json::object scoped_attributes(const identity::Citizen& citizen, const RelyingParty& party, Instant now) {
    json::object out;
    auto allowed = [&](std::string_view scope) { return party.scopes.contains(scope); };
    if (allowed("name")) out["name"] = citizen.person.full_name;
    if (allowed("date_of_birth")) out["date_of_birth"] = citizen.date_of_birth;
    if (allowed("sex")) out["sex"] = std::string(1, citizen.sex);
    if (allowed("personal_id")) out["personal_id"] = citizen.person.personal_id;
    if (allowed("address")) out["address"] = citizen.person.place_of_residence;
    if (allowed("nationality")) out["nationality"] = citizen.person.nationality;
    if (allowed("photo") && !citizen.photo_jpeg.empty()) {
        out["photo"] = base64_encode(citizen.photo_jpeg);
    }
    if (allowed("age_over_18")) {
        bool over = false;
        if (const auto birth = date_of(citizen.date_of_birth)) {
            const std::chrono::year_month_day born{*birth};
            // 29 February + 18 years on a common year falls on 1 March, as sys_days normalises it.
            const std::chrono::sys_days adult{(born.year() + std::chrono::years{18}) / born.month() / born.day()};
            over = std::chrono::floor<std::chrono::days>(now) >= adult;
        }
        out["age_over_18"] = over;
    }
    return out;
}

VerificationPipeline::VerificationPipeline(ChallengeStore& challenges, CardRegistry& registry,
                                           const RelyingPartyDirectory& parties, const AssertionSigner& signer,
                                           const pa::TrustStore* trust, Clock clock, PipelineOptions options)
    : challenges_(challenges), registry_(registry), parties_(parties), signer_(signer), trust_(trust),
      clock_(std::move(clock)), options_(options) {
    if (!clock_) throw InvalidArgument("the pipeline needs a clock");
}

Challenge VerificationPipeline::issue_challenge(std::string_view relying_party_id) {
    const auto party = is_valid_relying_party_id(relying_party_id) ? parties_.find(relying_party_id) : std::nullopt;
    if (!party || !party->active) refuse(AuthError::RelyingPartyUnknown, "the caller is not a registered relying party");
    Challenge challenge = make_challenge(relying_party_id, clock_(), options_.challenge_lifetime);
    challenges_.put(challenge);
    return challenge;
}

VerificationResult VerificationPipeline::verify_json(std::string_view relying_party_id, std::string_view json) {
    return parse_and_run(relying_party_id, nullptr, json);
}

VerificationResult VerificationPipeline::verify_json(const RelyingParty& party, std::string_view json) {
    return parse_and_run(party.id, &party, json);
}

VerificationResult VerificationPipeline::parse_and_run(std::string_view relying_party_id, const RelyingParty* known,
                                                       std::string_view json) {
    VerificationRequest request;
    try {
        request = parse_verification_request(json);
    } catch (const AuthFailure& failure) {
        VerificationResult result;
        result.error = failure.code();
        result.reason = failure.what();
        return result;
    }
    return run(relying_party_id, known, request);
}

VerificationResult VerificationPipeline::verify(std::string_view relying_party_id, const VerificationRequest& request) {
    return run(relying_party_id, nullptr, request);
}

VerificationResult VerificationPipeline::run(std::string_view relying_party_id, const RelyingParty* known,
                                             const VerificationRequest& request) {
    VerificationResult result;
    try {
        // 1. bounded input
        check_verification_request(request);
        // 2. relying party
        std::optional<RelyingParty> looked_up;
        if (known == nullptr && is_valid_relying_party_id(relying_party_id)) looked_up = parties_.find(relying_party_id);
        const RelyingParty* party = known != nullptr ? known : (looked_up ? &*looked_up : nullptr);
        if (party == nullptr || !party->active) refuse(AuthError::RelyingPartyUnknown, "the caller is not a registered relying party");
        // 3. challenge: taken first, so even a request refused below has used it up
        const auto challenge = challenges_.take(request.challenge_id);
        if (!challenge) refuse(AuthError::ChallengeUnknown, "no such challenge: never issued, already used or long expired");
        if (challenge->relying_party_id != relying_party_id) {
            refuse(AuthError::ChallengeWrongParty, "the challenge was issued to another relying party");
        }
        const Instant now = clock_();
        if (now >= challenge->expires_at) refuse(AuthError::ChallengeExpired, "the challenge has expired");
        // 4. card registry
        const auto cards = registry_.cards_by_document_number(request.document_number);
        if (cards.empty()) refuse(AuthError::CardUnknown, "no card with this document number is registered");
        // 5. EF.SOD: the digest pinned at issuance, or full Passive Authentication; in the lean form, the
        //    pinned card registered with the presented key
        const SodMatch match = request.is_lean() ? match_registered_key(cards, request) : match_sod(cards, request, trust_, now);
        const identity::Card& card = match.card;
        result.card_number = card.card_number;
        // 6. data groups (the lean form carries none: the attributes come from the register)
        ChipInfo chip;
        if (!request.is_lean()) {
            check_data_groups(parse_trusted_sod(request.ef_sod), request, card);
            chip = read_dg14(request.dg14);
        }
        // 7. Active Authentication, with the key the registry holds (DG15 only for a card registered without one)
        const Bytes aa_key = card.active_auth_public_key.empty() ? dg15_key(request.dg15) : card.active_auth_public_key;
        const Bytes expected_challenge = derive_aa_challenge(challenge->nonce, relying_party_id);
        std::shared_ptr<EVP_PKEY> key;
        try {
            key = aa_keys_.get(aa_key);
        } catch (const Error&) {
            refuse(AuthError::AaSignatureInvalid, "the Active Authentication signature does not verify");
        }
        const auto aa = protocol::verify_active_auth(*key, expected_challenge, request.active_auth_signature,
                                                     chip.aa_signature_oid);
        if (!aa.ok) refuse(AuthError::AaSignatureInvalid, "the Active Authentication signature does not verify");
        // 8. Chip Authentication, as the terminal reports it: the same key (curve and point), whether the
        //    terminal spells the curve out as DG14 does or names it
        if (request.chip_auth_public_key) {
            const Bytes& registered = card.chip_auth_public_key.empty() ? chip.chip_auth_key : card.chip_auth_public_key;
            if (!protocol::chip_auth::same_chip_key(registered, *request.chip_auth_public_key)) {
                refuse(AuthError::ChipAuthMismatch, "the reported Chip Authentication key is not the card's");
            }
            result.chip_authenticated = true;
        }
        // 9. card status
        if (const auto status = card_status_error(card, now)) refuse(*status, "the card cannot be used");
        // 10. citizen status
        const auto citizen = registry_.citizen(card.personal_id);
        if (!citizen || citizen->status != identity::CitizenStatus::Active) {
            refuse(AuthError::CitizenNotActive, "the card holder is not an active citizen");
        }
        // 11. assertion
        result.loa = std::string(match.pinned ? kLoaHigh : kLoaSubstantial);
        AssertionContent content;
        content.relying_party_id = std::string(relying_party_id);
        content.personal_id = citizen->person.personal_id;
        content.challenge_id = challenge->id;
        content.loa = result.loa;
        content.chip_authenticated = result.chip_authenticated;
        content.attributes = scoped_attributes(*citizen, *party, now);
        result.assertion = signer_.sign(content, now);
        return result;
    } catch (const AuthFailure& failure) {
        result.error = failure.code();
        result.reason = failure.what();
        result.assertion.clear();
        result.loa.clear();
        result.chip_authenticated = false;
        return result;
    }
}

}  // namespace cccd::auth
