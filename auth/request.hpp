#pragma once
// What a relying party posts to have a card presentation verified: the challenge it redeems, the
// card's document number, the files the terminal read from the chip, the card's Active
// Authentication signature over the derived challenge, and optionally what the terminal reports of
// Chip Authentication. Every field has a size limit; parse_verification_request enforces them on the
// JSON form and refuses unknown fields, so nothing unbounded reaches the card codecs.
//
// JSON (bytes in standard base64 with padding):
//   { "challenge_id": "<22 base64url>",
//     "document_number": "<9 digits, as in the MRZ>",
//     "files": { "EF.SOD": "...", "DG1": "...", "DG14": "...", "DG15": "...",   (required)
//                "DG2": "...", "DG13": "..." },                                    (optional)
//     "active_auth_signature": "...",
//     "chip_authentication": { "public_key": "<SubjectPublicKeyInfo DER>" } }     (optional)
//
// The lean form, for a card whose EF.SOD the registry pinned at issuance, leaves out every file but
// DG15: "files": { "DG15": "..." }. The registered Active Authentication key already proves the
// genuine chip and the attributes come from the register, so the files add nothing the server needs.
// DG15 only picks the card: document numbers repeat across provinces and renewals, and the card
// registered with exactly this key is the one whose key checks the signature. A data group without
// EF.SOD cannot be checked against anything, so the lean form allows no other file.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd::auth {

// Limits in bytes, after base64 decoding (the JSON text as a whole: kMaxRequestJsonBytes).
struct RequestLimits {
    static constexpr std::size_t kMaxRequestJsonBytes = 160 * 1024;
    static constexpr std::size_t kMaxSod = 16 * 1024;
    static constexpr std::size_t kMaxDg1 = 128;
    static constexpr std::size_t kMaxDg2 = 96 * 1024;
    static constexpr std::size_t kMaxDg13 = 8 * 1024;
    static constexpr std::size_t kMaxDg14 = 4 * 1024;
    static constexpr std::size_t kMaxDg15 = 2 * 1024;
    static constexpr std::size_t kMaxSignature = 1024;   // RSA-8192 at most
    static constexpr std::size_t kMaxChipAuthKey = 2 * 1024;
};

struct VerificationRequest {
    std::string challenge_id;
    std::string document_number;  // 9 digits
    Bytes ef_sod;                 // empty in the lean form, with dg1 and dg14
    Bytes dg1;
    std::optional<Bytes> dg2;
    std::optional<Bytes> dg13;
    Bytes dg14;
    Bytes dg15;
    Bytes active_auth_signature;
    // The Chip Authentication public key (SubjectPublicKeyInfo DER) the terminal completed CA with.
    // Terminal-attested: a remote party cannot check CA without the session, see docs.
    std::optional<Bytes> chip_auth_public_key;

    // The lean form: no EF.SOD (and so no data group but DG15).
    bool is_lean() const noexcept { return ef_sod.empty(); }
    friend bool operator==(const VerificationRequest&, const VerificationRequest&) = default;
};

// What a terminal posts: every file it read, or the lean form (a card pinned at issuance).
enum class PresentationForm { Full, Lean };

// The lean form of a full request: the same challenge, document number, DG15, signature and Chip
// Authentication report, without the other files.
VerificationRequest lean_form(const VerificationRequest& full);

// The JSON body of POST /api/v1/auth/verifications, as parse_verification_request reads it (the lean
// form without the files it leaves out).
std::string verification_request_json(const VerificationRequest& request);

// Parses and bounds a request. AuthFailure(InputInvalid) naming the field for oversized or malformed
// JSON, unknown or missing fields, wrong types, bad base64 and values over their limits.
VerificationRequest parse_verification_request(std::string_view json);

// The same bounds on a request built otherwise (the server may parse it itself); AuthFailure(InputInvalid).
void check_verification_request(const VerificationRequest& request);

}  // namespace cccd::auth
