#include "server/admin/registry.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <optional>

#include "auth/registry.hpp"
#include "base/clock.hpp"
#include "base/file.hpp"
#include "card/pa/certificate.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"
#include "server/admin/secrets.hpp"
#include "server/audit/audit_log.hpp"

namespace cccd::server::admin {

namespace {

constexpr std::size_t kMaxTextBytes = 200;

bool has_control_characters(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

void check_text(std::string_view text, std::string_view what) {
    if (text.empty() || text.size() > kMaxTextBytes || has_control_characters(text))
        throw AdminRefusal(std::string(what) + " must be 1 to " + std::to_string(kMaxTextBytes) +
                           " bytes without control characters");
}

void check_officer_id(std::string_view id) {
    if (!is_valid_officer_id(id))
        throw AdminRefusal("the officer id \"" + std::string(id) +
                           "\" must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-' (a login name)");
}

void check_station_id(std::string_view id) {
    const bool allowed = std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    });
    if (id.empty() || id.size() > 64 || !allowed)
        throw AdminRefusal("the station id \"" + std::string(id) +
                           "\" must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
}

void refuse_weak_password(const SecretBytes& password, std::string_view officer_id) {
    const auto weaknesses = password_weaknesses(password, officer_id);
    if (weaknesses.empty()) return;
    std::string message = "the password is too weak:";
    for (const auto& reason : weaknesses) message += " " + reason + ";";
    message.back() = '.';
    throw AdminRefusal(message);
}

security::AuditFields audit_fields(std::string_view actor, std::string_view action, std::string_view subject,
                                   std::string detail) {
    return {utc_now(), std::string(actor), std::string(action), std::string(subject), "ok", std::move(detail)};
}

std::string lower_hex_of(std::string_view hex) {
    std::string lowered(hex);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return lowered;
}

std::string checked_fingerprint(std::string_view certificate_sha256) {
    const std::string fingerprint = lower_hex_of(certificate_sha256);
    const bool hex = fingerprint.size() == 64 && std::all_of(fingerprint.begin(), fingerprint.end(), [](char c) {
                         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
    if (!hex) throw AdminRefusal("the certificate fingerprint must be 64 hex digits (SHA-256)");
    return fingerprint;
}

}  // namespace

void add_officer(Storage& storage, const NewOfficer& officer, const SecretBytes& password, std::string_view actor,
                 const security::PasswordParams& params) {
    check_officer_id(officer.id);
    check_text(officer.full_name, "the full name");
    refuse_weak_password(password, officer.id);
    if (storage.read([&](Transaction& t) { return t.get_officer(officer.id).has_value(); }))
        throw AdminRefusal("an officer with id \"" + officer.id + "\" exists already");
    Officer record{officer.id, officer.full_name, officer.role, security::hash_password(password, params), true};
    storage.transaction([&](Transaction& t) {
        // Checked again inside the write: another admin may have added the id meanwhile.
        if (t.get_officer(record.id)) throw AdminRefusal("an officer with id \"" + record.id + "\" exists already");
        t.put_officer(record);
        append_audit(t, audit_fields(actor, "officer.add", record.id, "role=" + std::string(to_string(record.role))));
    });
}

std::vector<OfficerSummary> list_officers(Storage& storage) {
    const auto officers = storage.read([](Transaction& t) { return t.list_officers(); });
    std::vector<OfficerSummary> summaries;
    summaries.reserve(officers.size());
    for (const auto& o : officers) summaries.push_back({o.id, o.full_name, o.role, o.active});
    return summaries;
}

bool disable_officer(Storage& storage, std::string_view officer_id, std::string_view actor) {
    return storage.transaction([&](Transaction& t) {
        auto officer = t.get_officer(officer_id);
        if (!officer) throw AdminRefusal("there is no officer with id \"" + std::string(officer_id) + "\"");
        if (!officer->active) return false;
        officer->active = false;
        t.put_officer(*officer);
        append_audit(t, audit_fields(actor, "officer.disable", officer->id, ""));
        return true;
    });
}

bool set_officer_role(Storage& storage, std::string_view officer_id, Role role, std::string_view actor) {
    return storage.transaction([&](Transaction& t) {
        auto officer = t.get_officer(officer_id);
        if (!officer) throw AdminRefusal("there is no officer with id \"" + std::string(officer_id) + "\"");
        if (officer->role == role) return false;
        const std::string before(to_string(officer->role));
        officer->role = role;
        t.put_officer(*officer);
        append_audit(t, audit_fields(actor, "officer.role", officer->id, before + " -> " + std::string(to_string(role))));
        return true;
    });
}

void reset_officer_password(Storage& storage, std::string_view officer_id, const SecretBytes& password,
                            std::string_view actor, const security::PasswordParams& params) {
    if (!storage.read([&](Transaction& t) { return t.get_officer(officer_id).has_value(); }))
        throw AdminRefusal("there is no officer with id \"" + std::string(officer_id) + "\"");
    refuse_weak_password(password, officer_id);
    const std::string hash = security::hash_password(password, params);
    storage.transaction([&](Transaction& t) {
        auto officer = t.get_officer(officer_id);
        if (!officer) throw AdminRefusal("there is no officer with id \"" + std::string(officer_id) + "\"");
        officer->password_hash = hash;
        t.put_officer(*officer);
        append_audit(t, audit_fields(actor, "officer.password-reset", officer->id, ""));
    });
}

std::string certificate_sha256_hex(const std::filesystem::path& certificate_file) {
    const Bytes bytes = read_file(certificate_file);
    std::vector<crypto::X509Ptr> certificates;
    try {
        certificates = pa::certificates_from_bytes(bytes);
    } catch (const Error&) {
        crypto::clear_openssl_errors();
    }
    if (certificates.empty())
        throw ParseError(certificate_file.string() + " is not a certificate (PEM or DER)");
    // DER as the TLS layer re-encodes it from the peer's X509, so both sides hash the same bytes.
    return lower_hex_of(to_hex(crypto::sha256(pa::certificate_to_der(certificates.front().get()))));
}

namespace {

struct RoleWords {
    const char* ca_key;       // the configuration key naming the role's CA
    const char* ca_name;      // whose CA it is
    const char* ca_kind;      // which CA of the PKI that is
    const char* holder;       // "a station's"
    const char* ou;           // the OU cccd-pki client new --role writes
};

RoleWords words_for(ClientRole role) {
    if (role == ClientRole::Station)
        return {"station_ca", "the stations' CA", "service CA", "a station's", "station"};
    return {"relying_party_ca", "the relying parties' CA", "relying-party CA", "a relying party's", "rp"};
}

// "a relying party's" for OU=rp, and so on; empty for an OU of no known role.
std::string holder_of_ou(std::string_view ou) {
    if (ou == "station") return "a station's";
    if (ou == "rp") return "a relying party's";
    if (ou == "officer") return "an officer's";
    return {};
}

std::string organizational_unit(const X509* certificate) {
    const X509_NAME* name = X509_get_subject_name(certificate);
    const int index = X509_NAME_get_index_by_NID(name, NID_organizationalUnitName, -1);
    if (index < 0) return {};
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                       static_cast<std::size_t>(ASN1_STRING_length(data)));
}

// Why the certificate is no TLS client certificate, or nothing.
std::optional<std::string> client_profile_problem(X509* certificate) {
    if (X509_check_ca(certificate) != 0) return "it is a CA certificate";
    const std::uint32_t flags = X509_get_extension_flags(certificate);
    if ((flags & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(certificate) & XKU_SSL_CLIENT) == 0) {
        const bool server = (flags & EXFLAG_XKUSAGE) != 0 && (X509_get_extended_key_usage(certificate) & XKU_SSL_SERVER) != 0;
        return server ? "its extended key usage is serverAuth without clientAuth (a TLS server certificate)"
                      : "its extended key usage does not include clientAuth";
    }
    if ((flags & EXFLAG_KUSAGE) == 0 || (X509_get_key_usage(certificate) & KU_DIGITAL_SIGNATURE) == 0)
        return "its key usage does not include digitalSignature";
    return std::nullopt;
}

std::vector<crypto::X509Ptr> certificates_in(const std::filesystem::path& file) {
    std::vector<crypto::X509Ptr> certificates;
    try {
        certificates = pa::certificates_from_bytes(read_file(file));
    } catch (const Error&) {
        crypto::clear_openssl_errors();
    }
    if (certificates.empty()) throw ParseError(file.string() + " is not a certificate (PEM or DER)");
    return certificates;
}

// Verifies `chain.front()` (the rest of `chain`: intermediates the file came with) against the CAs in
// `ca_file` alone, at the current time, for TLS client use. The X509_V_ERR_* code, X509_V_OK when it holds.
int verify_client_chain(const std::vector<crypto::X509Ptr>& chain, const std::vector<crypto::X509Ptr>& cas,
                        X509** failing_certificate) {
    crypto::X509StorePtr store(X509_STORE_new());
    crypto::check(store != nullptr, "X509_STORE_new");
    for (const auto& ca : cas) crypto::check(X509_STORE_add_cert(store.get(), ca.get()) == 1, "X509_STORE_add_cert");
    // The configured CA is the trust anchor even when it is itself issued by a root.
    X509_STORE_set_flags(store.get(), X509_V_FLAG_PARTIAL_CHAIN);
    std::unique_ptr<STACK_OF(X509), decltype([](STACK_OF(X509)* s) { sk_X509_free(s); })> untrusted(sk_X509_new_null());
    crypto::check(untrusted != nullptr, "sk_X509_new_null");
    for (std::size_t i = 1; i < chain.size(); ++i) crypto::check(sk_X509_push(untrusted.get(), chain[i].get()) > 0, "sk_X509_push");
    crypto::X509StoreCtxPtr context(X509_STORE_CTX_new());
    crypto::check(context != nullptr && X509_STORE_CTX_init(context.get(), store.get(), chain.front().get(), untrusted.get()) == 1,
                  "X509_STORE_CTX_init");
    crypto::check(X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_CLIENT) == 1, "X509_STORE_CTX_set_purpose");
    const bool verified = X509_verify_cert(context.get()) == 1;
    crypto::clear_openssl_errors();
    const int error = X509_STORE_CTX_get_error(context.get());
    if (verified) return X509_V_OK;
    X509* current = X509_STORE_CTX_get_current_cert(context.get());
    *failing_certificate = current != nullptr ? current : chain.front().get();
    return error == X509_V_OK ? X509_V_ERR_UNSPECIFIED : error;
}

}  // namespace

std::string checked_client_certificate_sha256(const http::ServerConfig& config,
                                              const std::filesystem::path& certificate_file, ClientRole role) {
    const RoleWords words = words_for(role);
    const std::string& ca_file = role == ClientRole::Station ? config.station_ca : config.relying_party_ca;
    if (ca_file.empty())
        throw AdminRefusal(std::string("the configuration does not name ") + words.ca_name + " (" + words.ca_kind +
                           "): set '" + words.ca_key + "' to its certificate (PEM) before registering " + words.holder +
                           " certificate");
    const auto chain = certificates_in(certificate_file);
    const auto cas = certificates_in(ca_file);
    X509* certificate = chain.front().get();
    const std::string what = certificate_file.string() + ": ";
    const std::string which_ca = std::string(words.ca_name) + " (" + words.ca_kind + ", " + words.ca_key + " " + ca_file + ")";
    const std::string ou = organizational_unit(certificate);
    const std::string ou_holder = holder_of_ou(ou);
    const std::string role_hint =
        !ou_holder.empty() && ou != words.ou ? "; it is " + ou_holder + " certificate (OU=" + ou + ")" : "";

    if (auto problem = client_profile_problem(certificate))
        throw AdminRefusal(what + "this is not a TLS client certificate: " + *problem);

    X509* failing = nullptr;
    switch (const int error = verify_client_chain(chain, cas, &failing)) {
        case X509_V_OK:
            break;
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
        case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        case X509_V_ERR_CERT_SIGNATURE_FAILURE:
            throw AdminRefusal(what + "this certificate was issued by another CA than " + which_ca + ": its issuer is " +
                               pa::issuer_of(certificate) + role_hint);
        case X509_V_ERR_CERT_HAS_EXPIRED:
            throw AdminRefusal(what + (failing == certificate ? "the certificate" : "its CA certificate " + pa::subject_of(failing)) +
                               " expired on " + pa::time_to_string(X509_get0_notAfter(failing)));
        case X509_V_ERR_CERT_NOT_YET_VALID:
            throw AdminRefusal(what + (failing == certificate ? "the certificate" : "its CA certificate " + pa::subject_of(failing)) +
                               " is not valid before " + pa::time_to_string(X509_get0_notBefore(failing)));
        case X509_V_ERR_INVALID_PURPOSE:
            throw AdminRefusal(what + "this is not a TLS client certificate: its chain does not allow TLS client use");
        default:
            throw AdminRefusal(what + "the certificate does not verify against " + which_ca + ": " +
                               X509_verify_cert_error_string(error));
    }
    if (!ou.empty() && ou != words.ou)
        throw AdminRefusal(what + (ou_holder.empty()
                                       ? std::string("its OU is not \"") + words.ou + "\": this is not " + words.holder + " certificate"
                                       : "this is " + ou_holder + " certificate (OU=" + ou + "), not " + words.holder));
    return lower_hex_of(to_hex(crypto::sha256(pa::certificate_to_der(certificate))));
}

void add_station(Storage& storage, const NewStation& station, std::string_view actor) {
    check_station_id(station.id);
    check_text(station.location, "the location");
    const std::string fingerprint = checked_fingerprint(station.certificate_sha256);
    storage.transaction([&](Transaction& t) {
        if (t.get_station(station.id)) throw AdminRefusal("a station with id \"" + station.id + "\" exists already");
        if (auto other = t.station_by_certificate(fingerprint))
            throw AdminRefusal("station \"" + other->id + "\" already has this certificate; each station needs its own");
        t.put_station({station.id, station.location, fingerprint, true});
        append_audit(t, audit_fields(actor, "station.add", station.id, "certificate_sha256=" + fingerprint));
    });
}

std::vector<Station> list_stations(Storage& storage) {
    return storage.read([](Transaction& t) { return t.list_stations(); });
}

bool disable_station(Storage& storage, std::string_view station_id, std::string_view actor) {
    return storage.transaction([&](Transaction& t) {
        auto station = t.get_station(station_id);
        if (!station) throw AdminRefusal("there is no station with id \"" + std::string(station_id) + "\"");
        if (!station->active) return false;
        station->active = false;
        t.put_station(*station);
        append_audit(t, audit_fields(actor, "station.disable", station->id, ""));
        return true;
    });
}

// ---- relying parties ----

void add_relying_party(Storage& storage, const NewRelyingParty& party, std::string_view actor) {
    check_text(party.name, "the relying party's name");
    const auth::RelyingParty as_checked{party.id, party.name, auth::parse_scopes(party.scopes), party.rate_limit_per_minute, true};
    if (as_checked.scopes.empty()) throw AdminRefusal("give the relying party at least one scope");
    if (party.rate_limit_per_minute == 0) throw AdminRefusal("the rate limit must be at least 1 request per minute");
    try {
        auth::validate(as_checked);
    } catch (const InvalidArgument& e) {
        std::string known;
        for (const auto& scope : auth::known_scopes()) known += (known.empty() ? "" : ", ") + scope;
        throw AdminRefusal(std::string(e.what()) + " (scopes: " + known + ")");
    }
    const std::string scopes = auth::scopes_text(as_checked.scopes);  // normalised: sorted, single spaces
    const std::string fingerprint = checked_fingerprint(party.certificate_sha256);
    storage.transaction([&](Transaction& t) {
        if (t.get_relying_party(party.id)) throw AdminRefusal("a relying party with id \"" + party.id + "\" exists already");
        if (auto other = t.relying_party_by_certificate(fingerprint))
            throw AdminRefusal("relying party \"" + other->id + "\" already has this certificate; each party needs its own");
        if (auto station = t.station_by_certificate(fingerprint))
            throw AdminRefusal("this is the certificate of station \"" + station->id + "\"; a relying party needs its own");
        t.put_relying_party({party.id, party.name, scopes, fingerprint, party.rate_limit_per_minute, true});
        append_audit(t, audit_fields(actor, "relying_party.add", party.id,
                                     "scopes=" + scopes + " certificate_sha256=" + fingerprint));
    });
}

std::vector<RelyingPartyRecord> list_relying_parties(Storage& storage) {
    return storage.read([](Transaction& t) { return t.list_relying_parties(); });
}

bool disable_relying_party(Storage& storage, std::string_view party_id, std::string_view actor) {
    return storage.transaction([&](Transaction& t) {
        auto party = t.get_relying_party(party_id);
        if (!party) throw AdminRefusal("there is no relying party with id \"" + std::string(party_id) + "\"");
        if (!party->active) return false;
        party->active = false;
        t.put_relying_party(*party);
        append_audit(t, audit_fields(actor, "relying_party.disable", party->id, ""));
        return true;
    });
}

}  // namespace cccd::server::admin
