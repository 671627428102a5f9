#pragma once
// X.509 helpers for Passive Authentication: loading certificates and CRLs (PEM or DER), readable
// names, times and key descriptions, and the signature check of one certificate by its issuer.
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/file.hpp"
#include "crypto/openssl.hpp"

namespace cccd::pa {

using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, crypto::Deleter<ASN1_INTEGER_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, crypto::Deleter<X509_NAME_free>>;

// One DER certificate; ParseError when it is not one.
crypto::X509Ptr certificate_from_der(ByteView der);
Bytes certificate_to_der(const X509* cert);
// Every certificate in a file's bytes: one DER certificate, or any number of PEM blocks.
std::vector<crypto::X509Ptr> certificates_from_bytes(ByteView der_or_pem);
// The first certificate of a file (DER or PEM); ParseError naming the file when it holds none.
crypto::X509Ptr certificate_from_file(const std::filesystem::path& path);
// Every CRL in a file's bytes: one DER CRL, or any number of PEM blocks.
std::vector<crypto::X509CrlPtr> crls_from_bytes(ByteView der_or_pem);
// The whole file; ParseError naming the file when it cannot be read.
using cccd::read_file;  // base/file.hpp

// "CN=CSCA ePassport Vietnam, O=..., C=VN" (RFC 2253 order, UTF-8 kept).
std::string name_to_string(const X509_NAME* name);
std::string subject_of(const X509* cert);
std::string issuer_of(const X509* cert);
std::string serial_hex(const X509* cert);
// "2037-10-01T00:00:00Z"; "?" if the time cannot be read.
std::string time_to_string(const ASN1_TIME* t);
// "2037-10-01" (what reports show).
std::string date_to_string(const ASN1_TIME* t);
// "ECDSA brainpoolP384r1 (384 bits)", "ECDSA explicit parameters (512 bits)", "RSA 2048 bits".
std::string describe_key(const X509* cert);

// Key identifiers; empty when the extension is absent.
Bytes subject_key_id(const X509* cert);
Bytes authority_key_id(const X509* cert);

// Validity at `at`: negative before notBefore, 0 inside, positive after notAfter.
int validity_position(const X509* cert, std::time_t at);

// True when `issuer`'s public key verifies `cert`'s signature: the same algorithm inside and outside the
// signed part, checked by verify_signature (signature.hpp, the trust chain's one allow-list) over the
// signed part as it was read. Works for EC keys with explicit domain parameters, which OpenSSL's chain
// verification refuses (see trust_store.cpp).
bool signature_verifies(const X509* cert, const X509* issuer);

// A UTC calendar date/time as time_t (timegm), for verification times and test validity periods.
std::time_t utc_time(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);
// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" -> time_t; InvalidArgument otherwise.
std::time_t parse_utc_time(const std::string& text);

}  // namespace cccd::pa
