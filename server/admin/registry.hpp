#pragma once
// Officers, stations and relying parties as the administrator manages them. Every change appends its audit entry in
// the same transaction (actor "admin:<unix user>"), so a change without its entry never commits.
// Refusals are AdminRefusal with a message in the operator's words.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "server/http/config.hpp"
#include "server/model/model.hpp"
#include "server/security/password.hpp"
#include "server/storage/storage.hpp"

namespace cccd::server::admin {

// The operator asked for something that cannot be done as asked: a duplicate, an unknown id, a weak
// password, a malformed value. Nothing was written.
class AdminRefusal : public InvalidArgument {
public:
    using InvalidArgument::InvalidArgument;
};

// ---- officers ----

struct NewOfficer {
    std::string id;         // login name: 3..64 of a-z 0-9 . _ -
    std::string full_name;  // 1..200 bytes of UTF-8, no control characters
    Role role = Role::EnrollmentOfficer;
};

// What `officer list` shows: everything but the password hash.
struct OfficerSummary {
    std::string id;
    std::string full_name;
    Role role = Role::EnrollmentOfficer;
    bool active = true;
    friend bool operator==(const OfficerSummary&, const OfficerSummary&) = default;
};

// Hashes the password (Argon2id, outside the transaction: it takes 64 MiB and ~0.1 s) and stores the
// officer. AdminRefusal for a taken id, a bad id or name, or a weak password (password_weaknesses).
void add_officer(Storage& storage, const NewOfficer& officer, const SecretBytes& password, std::string_view actor,
                 const security::PasswordParams& params = {});
std::vector<OfficerSummary> list_officers(Storage& storage);
// Marks the officer inactive (login refused from then on). Returns false when already inactive
// (nothing written). AdminRefusal for an unknown id.
bool disable_officer(Storage& storage, std::string_view officer_id, std::string_view actor);
// Gives the officer another role. Their open sessions end at their next request (docs/server.md).
// Returns false when the officer has that role already (nothing written). AdminRefusal for an unknown id.
bool set_officer_role(Storage& storage, std::string_view officer_id, Role role, std::string_view actor);
// Replaces the password hash. AdminRefusal for an unknown id or a weak password.
void reset_officer_password(Storage& storage, std::string_view officer_id, const SecretBytes& password,
                            std::string_view actor, const security::PasswordParams& params = {});

// ---- stations ----

struct NewStation {
    std::string id;                  // 1..64 of A-Z a-z 0-9 . _ -  ("HCM-Q1-01")
    std::string location;            // 1..200 bytes, no control characters
    std::string certificate_sha256;  // 64 hex digits (stored lower case)
};

// The lower-case hex SHA-256 of the certificate's DER, as the HTTPS server computes it for a client
// (ClientCertificate::sha256_hex). The file is PEM (the first certificate) or DER. ParseError otherwise.
std::string certificate_sha256_hex(const std::filesystem::path& certificate_file);

// Whom a client certificate is registered for. Stations get theirs from the service CA (config key
// station_ca), relying parties from the relying-party CA (relying_party_ca).
enum class ClientRole { Station, RelyingParty };

// The lower-case hex SHA-256 of the certificate in `certificate_file` (as certificate_sha256_hex) once it
// passed what a registration as `role` requires: a TLS client certificate (not a CA, extended key usage
// clientAuth, key usage digitalSignature), issued by the role's CA from the configuration (the chain
// verified by OpenSSL, purpose sslclient), valid now, and with the role's OU ("station", "rp") when it
// names one (cccd-pki client new --role). AdminRefusal in the operator's words otherwise, also when the
// configuration names no CA for the role; ParseError for a file that holds no certificate.
std::string checked_client_certificate_sha256(const http::ServerConfig& config,
                                              const std::filesystem::path& certificate_file, ClientRole role);

// AdminRefusal for a taken id, a certificate another station already has, or a malformed field.
void add_station(Storage& storage, const NewStation& station, std::string_view actor);
std::vector<Station> list_stations(Storage& storage);
// Returns false when already inactive. AdminRefusal for an unknown id.
bool disable_station(Storage& storage, std::string_view station_id, std::string_view actor);

// ---- relying parties (banks, public services calling the authentication API) ----

struct NewRelyingParty {
    std::string id;                  // 1..64 of a-z A-Z 0-9 . _ -  ("bank-01")
    std::string name;                // 1..200 bytes, no control characters
    std::string scopes;              // space-separated, each one of auth::known_scopes()
    std::string certificate_sha256;  // its client certificate (from the relying-party CA), 64 hex digits
    std::uint32_t rate_limit_per_minute = 60;
};

// AdminRefusal for a taken id, a certificate another party or a station already has, an unknown scope,
// a rate limit of 0, or a malformed field.
void add_relying_party(Storage& storage, const NewRelyingParty& party, std::string_view actor);
std::vector<RelyingPartyRecord> list_relying_parties(Storage& storage);
// Refused by every server at its next request. Returns false when already inactive. AdminRefusal for
// an unknown id.
bool disable_relying_party(Storage& storage, std::string_view party_id, std::string_view actor);

}  // namespace cccd::server::admin
