#include "card/pa/certificate.hpp"

#include <climits>
#include <cstdio>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/signature.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::pa {

namespace {

using AkidPtr = std::unique_ptr<AUTHORITY_KEYID, crypto::Deleter<AUTHORITY_KEYID_free>>;
using OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, crypto::Deleter<ASN1_OCTET_STRING_free>>;

bool looks_like_pem(ByteView data) {
    static constexpr std::string_view kMarker = "-----BEGIN";
    auto text = std::string_view(reinterpret_cast<const char*>(data.data()), data.size());
    return text.find(kMarker) != std::string_view::npos;
}

crypto::BioPtr memory_bio(ByteView data) {
    if (data.size() > INT_MAX) throw ParseError("file too large");
    crypto::BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
    crypto::check(bio != nullptr, "BIO_new_mem_buf");
    return bio;
}

// OpenSSL's lookup of a few accessors is not const-correct in 3.0; these calls do not modify the
// certificate beyond OpenSSL's own cached extension decoding.
X509* mut(const X509* cert) { return const_cast<X509*>(cert); }

}  // namespace

crypto::X509Ptr certificate_from_der(ByteView der) {
    if (der.size() > LONG_MAX) throw ParseError("certificate too large");
    const unsigned char* p = der.data();
    crypto::X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != der.data() + der.size()) {
        crypto::clear_openssl_errors();
        throw ParseError("not a valid DER X.509 certificate");
    }
    return cert;
}

Bytes certificate_to_der(const X509* cert) {
    unsigned char* der = nullptr;
    int len = i2d_X509(cert, &der);
    crypto::check(len > 0 && der != nullptr, "i2d_X509");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::vector<crypto::X509Ptr> certificates_from_bytes(ByteView data) {
    std::vector<crypto::X509Ptr> out;
    if (!looks_like_pem(data)) {
        out.push_back(certificate_from_der(data));
        return out;
    }
    auto bio = memory_bio(data);
    while (true) {
        crypto::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert) break;
        out.push_back(std::move(cert));
    }
    crypto::clear_openssl_errors();  // the read that ends the loop always leaves "no start line"
    if (out.empty()) throw ParseError("no PEM certificate found");
    return out;
}

crypto::X509Ptr certificate_from_file(const std::filesystem::path& path) {
    try {
        return std::move(certificates_from_bytes(read_file(path)).front());
    } catch (const ParseError& e) {
        throw ParseError(path.string() + " is not a certificate (PEM or DER): " + e.what());
    }
}

std::vector<crypto::X509CrlPtr> crls_from_bytes(ByteView data) {
    std::vector<crypto::X509CrlPtr> out;
    if (!looks_like_pem(data)) {
        if (data.size() > LONG_MAX) throw ParseError("CRL too large");
        const unsigned char* p = data.data();
        crypto::X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(data.size())));
        if (!crl || p != data.data() + data.size()) {
            crypto::clear_openssl_errors();
            throw ParseError("not a valid DER CRL");
        }
        out.push_back(std::move(crl));
        return out;
    }
    auto bio = memory_bio(data);
    while (true) {
        crypto::X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
        if (!crl) break;
        out.push_back(std::move(crl));
    }
    crypto::clear_openssl_errors();
    if (out.empty()) throw ParseError("no PEM CRL found");
    return out;
}

std::string name_to_string(const X509_NAME* name) {
    if (name == nullptr) return "";
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    crypto::check(bio != nullptr, "BIO_new");
    // RFC 2253 order and escaping, but UTF-8 left as is and ", " between the parts for reading.
    constexpr unsigned long flags = (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SEP_MASK) | XN_FLAG_SEP_CPLUS_SPC;
    if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
        crypto::clear_openssl_errors();
        return "?";
    }
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return len > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

std::string subject_of(const X509* cert) { return name_to_string(X509_get_subject_name(cert)); }
std::string issuer_of(const X509* cert) { return name_to_string(X509_get_issuer_name(cert)); }

std::string serial_hex(const X509* cert) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    if (serial == nullptr) return "";
    crypto::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!bn) {
        crypto::clear_openssl_errors();
        return "?";
    }
    char* hex = BN_bn2hex(bn.get());
    if (hex == nullptr) return "?";
    std::string out(hex);
    OPENSSL_free(hex);
    return out;
}

std::string time_to_string(const ASN1_TIME* t) {
    struct tm tm {};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
        crypto::clear_openssl_errors();
        return "?";
    }
    char buf[96];  // room for any int the format could print
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string date_to_string(const ASN1_TIME* t) {
    auto s = time_to_string(t);
    return s.size() >= 10 ? s.substr(0, 10) : s;
}

std::string describe_key(const X509* cert) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) {
        crypto::clear_openssl_errors();
        return "unreadable public key";
    }
    int bits = EVP_PKEY_get_bits(key);
    std::string size = " (" + std::to_string(bits) + " bits)";
    if (EVP_PKEY_is_a(key, "EC")) {
        char group[80] = {};
        char encoding[32] = {};
        std::size_t len = 0;
        bool named = EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) == 1;
        // OpenSSL recognises well-known curves even when given explicitly; say both, since explicit
        // parameters matter for interoperability (see trust_store.cpp).
        bool is_explicit =
            EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_EC_ENCODING, encoding, sizeof encoding, &len) == 1 &&
            std::string_view(encoding) == OSSL_PKEY_EC_ENCODING_EXPLICIT;
        crypto::clear_openssl_errors();
        std::string curve = named ? std::string(group) : std::string();
        if (is_explicit) return "ECDSA " + (named ? curve + ", " : std::string()) + "explicit parameters" + size;
        return "ECDSA " + (named ? curve : std::string("unnamed curve")) + size;
    }
    if (EVP_PKEY_is_a(key, "RSA")) return "RSA" + size;
    if (EVP_PKEY_is_a(key, "RSA-PSS")) return "RSA-PSS" + size;
    return std::string(EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown") + size;
}

Bytes subject_key_id(const X509* cert) {
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(mut(cert));
    if (ski == nullptr) return {};
    return Bytes(ASN1_STRING_get0_data(ski), ASN1_STRING_get0_data(ski) + ASN1_STRING_length(ski));
}

Bytes authority_key_id(const X509* cert) {
    const ASN1_OCTET_STRING* akid = X509_get0_authority_key_id(mut(cert));
    if (akid == nullptr) return {};
    return Bytes(ASN1_STRING_get0_data(akid), ASN1_STRING_get0_data(akid) + ASN1_STRING_length(akid));
}

int validity_position(const X509* cert, std::time_t at) {
    std::time_t t = at;
    if (X509_cmp_time(X509_get0_notBefore(cert), &t) > 0) return -1;  // notBefore is after `at`
    if (X509_cmp_time(X509_get0_notAfter(cert), &t) < 0) return 1;    // notAfter is before `at`
    return 0;
}

bool signature_verifies(const X509* cert, const X509* issuer) {
    EVP_PKEY* key = X509_get0_pubkey(issuer);
    if (key == nullptr) {
        crypto::clear_openssl_errors();
        return false;
    }
    const ASN1_BIT_STRING* signature = nullptr;
    const X509_ALGOR* outer = nullptr;
    X509_get0_signature(&signature, &outer, cert);
    // The algorithm inside the signed part must be the one outside it (RFC 5280 4.1.1.2).
    if (signature == nullptr || outer == nullptr || X509_ALGOR_cmp(outer, X509_get0_tbs_sigalg(cert)) != 0) return false;
    // The signed part as it was read: OpenSSL keeps the TBSCertificate's encoding of a certificate it
    // decoded and writes it back unchanged inside the certificate (OpenSSL 3.0 has no i2d_X509_tbs).
    unsigned char* der = nullptr;
    const int der_length = i2d_X509(mut(cert), &der);
    if (der_length <= 0 || der == nullptr) {
        crypto::clear_openssl_errors();
        return false;
    }
    const Bytes encoded(der, der + der_length);
    OPENSSL_free(der);
    try {
        // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
        tlv::Reader parts(tlv::read_single(encoded, tlv::asn1::kSequence).value);
        const tlv::Element signed_part = parts.next();
        const lds::AlgorithmIdentifier algorithm = lds::read_algorithm(parts.next());
        const ByteView signature_value(signature->data, static_cast<std::size_t>(signature->length));
        return verify_signature(algorithm, signature_value, signed_part.raw, key).ok;
    } catch (const ParseError&) {
        return false;
    }
}

std::time_t utc_time(int year, int month, int day, int hour, int minute, int second) {
    struct tm tm {};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return timegm(&tm);
}

std::time_t parse_utc_time(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char tail = 0;
    bool ok = false;
    if (text.size() == 10) {
        ok = std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &tail) == 3;
    } else if (text.size() == 20) {
        ok = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &y, &mo, &d, &h, &mi, &s, &tail) == 6;
    }
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1950 || y > 9999)
        throw InvalidArgument("expected a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got \"" + text + "\"");
    return utc_time(y, mo, d, h, mi, s);
}

}  // namespace cccd::pa
