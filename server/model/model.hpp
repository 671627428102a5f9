#pragma once
// The population database's records, as plain values shared by the storage backends, the API and the
// tools. Dates are ISO 8601 text (YYYY-MM-DD; instants YYYY-MM-DDTHH:MM:SSZ, UTC); bytes are Bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "identity/register.hpp"

namespace cccd::server {

// The register's records (identity/register.hpp), under the names the server has always used.
using identity::Card;
using identity::CardStatus;
using identity::Citizen;
using identity::CitizenStatus;
using identity::card_status_from;
using identity::citizen_status_from;
using identity::to_string;

// ---- enrollments: what a station submitted ----
// What an enrollment submits stays in the enrollment: the register takes it only when the new card
// is activated. One that changes an identity field (name, date of birth, sex, photo) against the
// register waits for a second person, a supervisor, to approve it before its card can be signed:
//   submitted -> [awaiting_approval -> approve] -> personalizing -> completed (card activated)
//                 awaiting_approval -> reject  -> rejected (its card never issued)
enum class EnrollmentStatus { Submitted, AwaitingApproval, Personalizing, Completed, Rejected };
std::string_view to_string(EnrollmentStatus s);
std::optional<EnrollmentStatus> enrollment_status_from(std::string_view text);

struct Enrollment {
    std::string id;                     // server-assigned, unique
    std::string personal_id;
    std::string station_id;
    std::string officer_id;
    std::string record_json;            // the enrollment record as submitted (without the photo)
    Bytes photo_jpeg;
    std::string card_number;            // once allocated
    EnrollmentStatus status = EnrollmentStatus::Submitted;
    std::string created_at;
    friend bool operator==(const Enrollment&, const Enrollment&) = default;
};

// ---- who may use the issuance API ----
enum class Role { EnrollmentOfficer, Supervisor, Administrator };
std::string_view to_string(Role r);
std::optional<Role> role_from(std::string_view text);

// An officer's login name: 3 to 64 of a-z 0-9 . _ - (the admin tool refuses others; a login with
// anything else cannot name an officer and is not looked up).
bool is_valid_officer_id(std::string_view id) noexcept;

struct Officer {
    std::string id;                     // login name
    std::string full_name;
    Role role = Role::EnrollmentOfficer;
    std::string password_hash;          // Argon2id, libsodium's encoded string ($argon2id$v=19$...)
    bool active = true;
    friend bool operator==(const Officer&, const Officer&) = default;
};

struct Station {
    std::string id;                     // "HCM-Q1-01"
    std::string location;
    std::string certificate_sha256;     // hex SHA-256 of the station's client certificate (DER)
    bool active = true;
    friend bool operator==(const Station&, const Station&) = default;
};

// ---- the audit log: append-only, hash-chained, signed at checkpoints ----
struct AuditEntry {
    std::uint64_t sequence = 0;         // 1, 2, 3, ... without gaps
    std::string time;                   // instant
    std::string actor;                  // "officer:nguyenvana@station:HCM-Q1-01", "admin", "rp:bank-01"
    std::string action;                 // "card.activate", "citizen.lookup", ...
    std::string subject;                // whom it concerns: a personal ID or document number (never a name)
    std::string outcome;                // "ok", or the refusal's error code
    std::string detail;                 // short, no personal data beyond the subject
    Bytes previous_hash;                // hash of entry sequence-1 (32 zero bytes for the first)
    Bytes hash;                         // SHA-256 over the canonical encoding of every field above
    friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// A signed statement "the chain up to `sequence` ends in `hash`, and the checkpoint before this one
// is `previous_checkpoint_hash`" (Ed25519).
struct AuditCheckpoint {
    std::uint64_t sequence = 0;
    Bytes hash;
    std::string time;
    std::string key_id;                 // which signing key (keys rotate)
    Bytes signature;                    // Ed25519 over the canonical encoding (server/security/audit_chain.hpp)
    // v2: the digest of the previous checkpoint (32 zero bytes for the first). Empty: a v1 checkpoint,
    // signed before checkpoints were chained (it still verifies, as v1).
    Bytes previous_checkpoint_hash;
    friend bool operator==(const AuditCheckpoint&, const AuditCheckpoint&) = default;
};

}  // namespace cccd::server
