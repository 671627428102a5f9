#pragma once
// Certificate profiles of the CCCD PKI and the code that issues them.
//
// eMRTD profiles follow ICAO Doc 9303 Part 12 (8th edition, §4 key usage periods, §7 certificate and
// CRL profiles): CSCA (self-signed), CSCA link certificate (new CSCA key certified by the old one),
// Document Signer, Master List Signer. The server's own PKI does not follow ICAO: a service CA (TLS
// server, station and officer client certificates) and a relying-party CA (relying parties' client
// certificates), with ordinary X.509 / RFC 5280 profiles.
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

enum class Profile {
    Csca,              // ICAO: self-signed country signing CA
    Link,              // ICAO: CSCA link certificate (rollover)
    DocumentSigner,    // ICAO: signs EF.SOD
    MasterListSigner,  // ICAO: signs CSCA master lists
    ServiceCa,         // the system's own CA: TLS server, stations, officers
    RpCa,              // CA of the relying parties' client certificates
    TlsServer,         // cccd-server's HTTPS certificate
    Client,            // TLS client certificate (relying party, station, officer)
};

// "csca", "link", "ds", "mls", "service-ca", "rp-ca", "tls-server", "client".
std::string_view profile_name(Profile profile);
std::optional<Profile> profile_from_name(std::string_view name);
bool is_icao_profile(Profile profile);
bool is_ca_profile(Profile profile);  // CSCA, link, service CA, RP CA

// ICAO 9303 Part 12 §4 ("Key usage periods"): CSCA key used for 3 to 5 years, its certificate valid
// for that plus the longest DS certificate; a DS key used for at most 3 months, its certificate valid
// for that plus the longest validity of a document it signs.
struct KeyUsagePeriods {
    int csca_private_key_usage_years = 5;
    int ds_private_key_usage_days = 90;
    int document_validity_years = 10;  // longest validity of a card the DS signs
};

struct Validity {
    std::time_t not_before = 0;
    std::time_t not_after = 0;
};

// Adds whole calendar years/days in UTC.
std::time_t add_years(std::time_t t, int years);
std::time_t add_days(std::time_t t, int days);

// The default periods of each profile, starting at `now`. For CSCA and link certificates the private
// key usage period is the key's signing life; the certificate outlives it by the longest DS certificate.
Validity default_validity(Profile profile, std::time_t now, const KeyUsagePeriods& periods = {});
std::optional<Validity> default_private_key_usage(Profile profile, std::time_t now, const KeyUsagePeriods& periods = {});

struct Subject {
    std::string country = "VN";  // ISO 3166-1 alpha-2, PrintableString
    std::string organization;
    std::string organizational_unit;
    std::string common_name;
    std::string serial_number;  // distinguishes CSCA generations when the name changes
};

struct CertificateRequest {
    Profile profile = Profile::DocumentSigner;
    Subject subject;
    std::uint64_t serial = 0;  // positive; the PKI directory's counter
    Validity validity;
    std::optional<Validity> private_key_usage;  // ICAO profiles; absent for the others
    // DS only: ICAO document type list extension (2.23.136.1.1.6.2), e.g. {"ID"}; empty: omitted.
    std::vector<std::string> document_types;
    // TLS server and clients: subjectAltName entries.
    std::vector<std::string> dns_names;
    std::vector<std::string> ip_addresses;
    std::vector<std::string> emails;
    // CRL distribution point URI (optional, all profiles but self-signed roots).
    std::string crl_distribution_point;
};

// The private key that signs and the certificate it belongs to; `certificate` is nullptr for a
// self-signed certificate (CSCA, service CA, RP CA), where `key` is the subject's own key.
struct Issuer {
    const X509* certificate = nullptr;
    EVP_PKEY* key = nullptr;
};

// Builds and signs a certificate for `subject_public_key` (any EVP_PKEY; only its public half is used).
// Checks the request against the profile first (InvalidArgument in words: wrong issuer kind, validity
// outside the issuer's, missing SAN...). The signature hash follows the issuer key: SHA-384 for EC keys
// of 384 bits, SHA-512 above, SHA-256 otherwise (RSA: PKCS#1 v1.5 with SHA-256).
crypto::X509Ptr issue_certificate(const CertificateRequest& request, EVP_PKEY* subject_public_key, const Issuer& issuer);

// The digest a key signs with (see issue_certificate).
const EVP_MD* signature_digest_for(EVP_PKEY* signing_key);

// ICAO document type list extension value: DocumentTypeListSyntax ::= SEQUENCE { version INTEGER (0),
// docTypeList SET OF PrintableString }.
inline constexpr std::string_view kDocumentTypeListOid = "2.23.136.1.1.6.2";
inline constexpr std::string_view kMasterListSignerEkuOid = "2.23.136.1.1.3";
Bytes encode_document_type_list(const std::vector<std::string>& document_types);
// ParseError when malformed.
std::vector<std::string> decode_document_type_list(ByteView der);

// ---- CRLs (ICAO 9303 Part 12 §7.2: v2, authorityKeyIdentifier, cRLNumber, nextUpdate) ----

struct RevokedEntry {
    std::uint64_t serial = 0;
    std::time_t revoked_at = 0;
    std::string reason;  // "", "keyCompromise", "cACompromise", "affiliationChanged", "superseded", "cessationOfOperation"
};

// Signs a CRL of `issuer` (the CSCA) listing `revoked`. Returns the DER.
Bytes issue_crl(const Issuer& issuer, std::uint64_t crl_number, std::time_t this_update, std::time_t next_update,
                const std::vector<RevokedEntry>& revoked);
// InvalidArgument for an unknown reason name.
int crl_reason_code(const std::string& reason);

// ---- PEM ----
std::string certificate_to_pem(const X509* cert);
std::string crl_der_to_pem(ByteView crl_der);
// The one certificate in a PEM or DER file; ParseError when there is not exactly one.
crypto::X509Ptr read_certificate_file(const std::string& path);

}  // namespace cccd::certs
