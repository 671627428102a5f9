#include "certs/profiles.hpp"

#include <algorithm>
#include <array>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "card/pa/certificate.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::certs {

namespace {

using crypto::check;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, crypto::Deleter<ASN1_TIME_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, crypto::Deleter<ASN1_INTEGER_free>>;
using Asn1EnumeratedPtr = std::unique_ptr<ASN1_ENUMERATED, crypto::Deleter<ASN1_ENUMERATED_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, crypto::Deleter<ASN1_OBJECT_free>>;
using Asn1OctetStringPtr = std::unique_ptr<ASN1_OCTET_STRING, crypto::Deleter<ASN1_OCTET_STRING_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, crypto::Deleter<X509_EXTENSION_free>>;
using RevokedPtr = std::unique_ptr<X509_REVOKED, crypto::Deleter<X509_REVOKED_free>>;
using PkeyUsagePeriodPtr = std::unique_ptr<PKEY_USAGE_PERIOD, crypto::Deleter<PKEY_USAGE_PERIOD_free>>;

constexpr std::array<std::pair<Profile, std::string_view>, 8> kProfileNames = {{
    {Profile::Csca, "csca"},
    {Profile::Link, "link"},
    {Profile::DocumentSigner, "ds"},
    {Profile::MasterListSigner, "mls"},
    {Profile::ServiceCa, "service-ca"},
    {Profile::RpCa, "rp-ca"},
    {Profile::TlsServer, "tls-server"},
    {Profile::Client, "client"},
}};

void add_name_entry(X509_NAME* name, const char* field, const std::string& value, int type) {
    if (value.empty()) return;
    check(X509_NAME_add_entry_by_txt(name, field, type, reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                     0) == 1,
          "X509_NAME_add_entry_by_txt");
}

void check_subject(const Subject& subject) {
    const auto& c = subject.country;
    if (c.size() != 2 || !std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
        throw InvalidArgument("the country must be two capital letters (ISO 3166-1 alpha-2), not '" + c + "'");
    if (subject.common_name.empty()) throw InvalidArgument("the certificate needs a common name");
}

// One extension in OpenSSL's configuration syntax ("critical,CA:TRUE,pathlen:0"), with the issuer set
// so authorityKeyIdentifier finds its key identifier.
void add_extension(X509* cert, const X509* issuer, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer != nullptr ? issuer : cert), cert, nullptr, nullptr, 0);
    ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
    if (ext == nullptr) crypto::throw_openssl_error(std::string("extension ") + OBJ_nid2sn(nid) + " = " + value);
    check(X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

void add_private_key_usage_period(X509* cert, const Validity& period) {
    PkeyUsagePeriodPtr pkup(PKEY_USAGE_PERIOD_new());
    check(pkup != nullptr, "PKEY_USAGE_PERIOD_new");
    // The extension holds GeneralizedTime (RFC 5280 §4.2.1.4 of RFC 3280), never UTCTime.
    pkup->notBefore = ASN1_GENERALIZEDTIME_set(nullptr, period.not_before);
    pkup->notAfter = ASN1_GENERALIZEDTIME_set(nullptr, period.not_after);
    check(pkup->notBefore != nullptr && pkup->notAfter != nullptr, "ASN1_GENERALIZEDTIME_set");
    check(X509_add1_ext_i2d(cert, NID_private_key_usage_period, pkup.get(), 0, X509V3_ADD_DEFAULT) == 1,
          "privateKeyUsagePeriod");
}

void add_raw_extension(X509* cert, std::string_view oid, bool critical, ByteView value) {
    Asn1ObjectPtr obj(OBJ_txt2obj(std::string(oid).c_str(), 1));
    Asn1OctetStringPtr data(ASN1_OCTET_STRING_new());
    check(obj && data && ASN1_OCTET_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) == 1,
          "extension value");
    ExtensionPtr ext(X509_EXTENSION_create_by_OBJ(nullptr, obj.get(), critical ? 1 : 0, data.get()));
    check(ext != nullptr && X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

std::string subject_alt_names(const CertificateRequest& request) {
    std::string san;
    auto add = [&san](const std::string& kind, const std::string& value) {
        if (value.find_first_of(",\n") != std::string::npos)
            throw InvalidArgument("subjectAltName entry '" + value + "' contains a comma or newline");
        if (!san.empty()) san += ",";
        san += kind + ":" + value;
    };
    for (const auto& d : request.dns_names) add("DNS", d);
    for (const auto& ip : request.ip_addresses) add("IP", ip);
    for (const auto& e : request.emails) add("email", e);
    return san;
}

bool issuer_is_ca(const X509* issuer) { return X509_check_ca(const_cast<X509*>(issuer)) != 0; }

void check_request(const CertificateRequest& request, const Issuer& issuer) {
    check_subject(request.subject);
    if (request.serial == 0 || request.serial > INT64_MAX) throw InvalidArgument("the serial number must be positive");
    if (request.validity.not_before >= request.validity.not_after)
        throw InvalidArgument("the certificate would end before it starts");
    if (issuer.key == nullptr) throw InvalidArgument("no issuer key to sign with");
    bool self_signed = issuer.certificate == nullptr;
    auto name = std::string(profile_name(request.profile));
    switch (request.profile) {
        case Profile::Csca:
        case Profile::ServiceCa:
        case Profile::RpCa:
            if (!self_signed) throw InvalidArgument("a " + name + " certificate is self-signed; it has no issuer certificate");
            break;
        default:
            if (self_signed) throw InvalidArgument("a " + name + " certificate needs its issuer's certificate");
            if (!issuer_is_ca(issuer.certificate))
                throw InvalidArgument("the issuer " + pa::subject_of(issuer.certificate) + " is not a CA");
            if (pa::validity_position(issuer.certificate, request.validity.not_after) > 0 ||
                pa::validity_position(issuer.certificate, request.validity.not_before) < 0)
                throw InvalidArgument("the " + name + " certificate's validity must lie within its issuer's (" +
                                      pa::date_to_string(X509_get0_notBefore(issuer.certificate)) + " to " +
                                      pa::date_to_string(X509_get0_notAfter(issuer.certificate)) + ")");
            break;
    }
    if (is_icao_profile(request.profile) && !self_signed) {
        // ICAO 9303 Part 12: the issuer's and subject's countries are the same.
        X509_NAME* issuer_name = X509_get_subject_name(issuer.certificate);
        int index = X509_NAME_get_index_by_NID(issuer_name, NID_countryName, -1);
        if (index < 0) throw InvalidArgument("the issuer certificate names no country");
        const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(issuer_name, index));
        std::string issuer_country(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                                   static_cast<std::size_t>(ASN1_STRING_length(value)));
        if (issuer_country != request.subject.country)
            throw InvalidArgument("ICAO 9303 requires the same country in issuer (" + issuer_country + ") and subject (" +
                                  request.subject.country + ")");
    }
    if (request.private_key_usage) {
        const auto& p = *request.private_key_usage;
        if (p.not_before < request.validity.not_before || p.not_after > request.validity.not_after ||
            p.not_before >= p.not_after)
            throw InvalidArgument("the private key usage period must lie within the certificate's validity");
    }
    if (!request.document_types.empty() && request.profile != Profile::DocumentSigner)
        throw InvalidArgument("only Document Signer certificates carry a document type list");
    if (request.profile == Profile::TlsServer && request.dns_names.empty() && request.ip_addresses.empty())
        throw InvalidArgument("a TLS server certificate needs at least one DNS name or IP address");
}

}  // namespace

std::string_view profile_name(Profile profile) {
    for (const auto& [p, name] : kProfileNames)
        if (p == profile) return name;
    return "?";
}

std::optional<Profile> profile_from_name(std::string_view name) {
    for (const auto& [p, n] : kProfileNames)
        if (n == name) return p;
    return std::nullopt;
}

bool is_icao_profile(Profile profile) {
    return profile == Profile::Csca || profile == Profile::Link || profile == Profile::DocumentSigner ||
           profile == Profile::MasterListSigner;
}

bool is_ca_profile(Profile profile) {
    return profile == Profile::Csca || profile == Profile::Link || profile == Profile::ServiceCa ||
           profile == Profile::RpCa;
}

std::time_t add_years(std::time_t t, int years) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    tm.tm_year += years;
    return timegm(&tm);
}

std::time_t add_days(std::time_t t, int days) { return t + static_cast<std::time_t>(days) * 86400; }

std::optional<Validity> default_private_key_usage(Profile profile, std::time_t now, const KeyUsagePeriods& periods) {
    switch (profile) {
        case Profile::Csca:
        case Profile::Link:
            return Validity{now, add_years(now, periods.csca_private_key_usage_years)};
        case Profile::DocumentSigner:
            return Validity{now, add_days(now, periods.ds_private_key_usage_days)};
        default:
            return std::nullopt;
    }
}

Validity default_validity(Profile profile, std::time_t now, const KeyUsagePeriods& periods) {
    // DS certificate: key usage period + the longest document it signs.
    std::time_t ds_end = add_years(add_days(now, periods.ds_private_key_usage_days), periods.document_validity_years);
    std::time_t ds_span = ds_end - now;
    switch (profile) {
        case Profile::Csca:
        case Profile::Link:
            // A DS made on the last day of the CSCA key's usage must still chain.
            return {now, add_years(now, periods.csca_private_key_usage_years) + ds_span};
        case Profile::DocumentSigner: return {now, ds_end};
        case Profile::MasterListSigner: return {now, add_years(now, 3)};
        case Profile::ServiceCa:
        case Profile::RpCa: return {now, add_years(now, 10)};
        case Profile::TlsServer: return {now, add_days(now, 397)};  // CA/Browser Forum maximum
        case Profile::Client: return {now, add_days(now, 730)};
    }
    return {now, now};
}

const EVP_MD* signature_digest_for(EVP_PKEY* signing_key) {
    if (EVP_PKEY_get_base_id(signing_key) == EVP_PKEY_EC) {
        int bits = EVP_PKEY_get_bits(signing_key);
        if (bits > 384) return EVP_sha512();
        if (bits > 256) return EVP_sha384();
    }
    return EVP_sha256();
}

Bytes encode_document_type_list(const std::vector<std::string>& document_types) {
    std::vector<Bytes> entries;
    for (const auto& type : document_types) {
        if (type.empty() || type.size() > 2 ||
            !std::all_of(type.begin(), type.end(), [](char c) { return (c >= 'A' && c <= 'Z') || c == '<'; }))
            throw InvalidArgument("a document type is one or two capital letters as in the MRZ (e.g. ID), not '" + type + "'");
        entries.push_back(tlv::encode(tlv::asn1::kPrintableString, view(type)));
    }
    std::sort(entries.begin(), entries.end());  // DER orders SET OF by encoding
    Bytes set;
    for (const auto& e : entries) append(set, e);
    return tlv::encode_constructed(tlv::asn1::kSequence, {tlv::asn1::encode_integer(0), tlv::encode(tlv::asn1::kSet, set)});
}

std::vector<std::string> decode_document_type_list(ByteView der) {
    auto top = tlv::read_single(der, tlv::asn1::kSequence);
    tlv::Reader r(top.value);
    if (tlv::asn1::decode_integer_value(r.expect(tlv::asn1::kInteger).value) != 0)
        throw ParseError("document type list: version must be 0");
    tlv::Reader set(r.expect(tlv::asn1::kSet).value);
    r.expect_end();
    std::vector<std::string> out;
    while (!set.at_end()) {
        auto e = set.expect(tlv::asn1::kPrintableString);
        out.emplace_back(e.value.begin(), e.value.end());
    }
    return out;
}

crypto::X509Ptr issue_certificate(const CertificateRequest& request, EVP_PKEY* subject_public_key, const Issuer& issuer) {
    if (subject_public_key == nullptr) throw InvalidArgument("no subject key");
    check_request(request, issuer);
    crypto::X509Ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
    Asn1IntegerPtr serial(ASN1_INTEGER_new());
    check(serial && ASN1_INTEGER_set_uint64(serial.get(), request.serial) == 1, "serial");
    check(X509_set_serialNumber(cert.get(), serial.get()) == 1, "X509_set_serialNumber");

    X509_NAME* name = X509_get_subject_name(cert.get());
    add_name_entry(name, "C", request.subject.country, V_ASN1_PRINTABLESTRING);
    add_name_entry(name, "O", request.subject.organization, MBSTRING_UTF8);
    add_name_entry(name, "OU", request.subject.organizational_unit, MBSTRING_UTF8);
    add_name_entry(name, "serialNumber", request.subject.serial_number, V_ASN1_PRINTABLESTRING);
    add_name_entry(name, "CN", request.subject.common_name, MBSTRING_UTF8);
    check(X509_set_issuer_name(cert.get(), issuer.certificate != nullptr ? X509_get_subject_name(issuer.certificate) : name) == 1,
          "X509_set_issuer_name");
    check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), request.validity.not_before) != nullptr, "notBefore");
    check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), request.validity.not_after) != nullptr, "notAfter");
    // Only the public half goes in, also for keys that live in a token.
    check(X509_set_pubkey(cert.get(), subject_public_key) == 1, "X509_set_pubkey");

    const X509* ext_issuer = issuer.certificate;
    bool rsa_subject = EVP_PKEY_get_base_id(subject_public_key) == EVP_PKEY_RSA;
    switch (request.profile) {
        case Profile::Csca:
        case Profile::Link:
        case Profile::ServiceCa:
        case Profile::RpCa:
            add_extension(cert.get(), ext_issuer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
            add_extension(cert.get(), ext_issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
            break;
        case Profile::DocumentSigner:
            add_extension(cert.get(), ext_issuer, NID_key_usage, "critical,digitalSignature");
            break;
        case Profile::MasterListSigner:
            add_extension(cert.get(), ext_issuer, NID_key_usage, "critical,digitalSignature");
            add_extension(cert.get(), ext_issuer, NID_ext_key_usage, "critical," + std::string(kMasterListSignerEkuOid));
            break;
        case Profile::TlsServer:
            add_extension(cert.get(), ext_issuer, NID_basic_constraints, "critical,CA:FALSE");
            add_extension(cert.get(), ext_issuer, NID_key_usage,
                          rsa_subject ? "critical,digitalSignature,keyEncipherment" : "critical,digitalSignature");
            add_extension(cert.get(), ext_issuer, NID_ext_key_usage, "serverAuth");
            break;
        case Profile::Client:
            add_extension(cert.get(), ext_issuer, NID_basic_constraints, "critical,CA:FALSE");
            add_extension(cert.get(), ext_issuer, NID_key_usage, "critical,digitalSignature");
            add_extension(cert.get(), ext_issuer, NID_ext_key_usage, "clientAuth");
            break;
    }
    add_extension(cert.get(), ext_issuer, NID_subject_key_identifier, "hash");
    add_extension(cert.get(), ext_issuer, NID_authority_key_identifier, "keyid:always");
    if (request.private_key_usage) add_private_key_usage_period(cert.get(), *request.private_key_usage);
    if (auto san = subject_alt_names(request); !san.empty())
        add_extension(cert.get(), ext_issuer, NID_subject_alt_name, san);
    if (!request.crl_distribution_point.empty())
        add_extension(cert.get(), ext_issuer, NID_crl_distribution_points, "URI:" + request.crl_distribution_point);
    if (!request.document_types.empty())
        add_raw_extension(cert.get(), kDocumentTypeListOid, false, encode_document_type_list(request.document_types));

    if (X509_sign(cert.get(), issuer.key, signature_digest_for(issuer.key)) <= 0)
        crypto::throw_openssl_error("signing the " + std::string(profile_name(request.profile)) + " certificate");
    return cert;
}

int crl_reason_code(const std::string& reason) {
    static const std::array<std::pair<std::string_view, int>, 7> reasons = {{
        {"unspecified", CRL_REASON_UNSPECIFIED},
        {"keyCompromise", CRL_REASON_KEY_COMPROMISE},
        {"cACompromise", CRL_REASON_CA_COMPROMISE},
        {"affiliationChanged", CRL_REASON_AFFILIATION_CHANGED},
        {"superseded", CRL_REASON_SUPERSEDED},
        {"cessationOfOperation", CRL_REASON_CESSATION_OF_OPERATION},
        {"certificateHold", CRL_REASON_CERTIFICATE_HOLD},
    }};
    for (const auto& [name, code] : reasons)
        if (name == reason) return code;
    throw InvalidArgument("unknown revocation reason '" + reason +
                          "' (unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation)");
}

Bytes issue_crl(const Issuer& issuer, std::uint64_t crl_number, std::time_t this_update, std::time_t next_update,
                const std::vector<RevokedEntry>& revoked) {
    if (issuer.certificate == nullptr || issuer.key == nullptr) throw InvalidArgument("a CRL needs its CSCA certificate and key");
    if (next_update <= this_update) throw InvalidArgument("the CRL's next update must come after its issue time");
    crypto::X509CrlPtr crl(X509_CRL_new());
    check(crl != nullptr, "X509_CRL_new");
    check(X509_CRL_set_version(crl.get(), 1) == 1, "X509_CRL_set_version");  // v2
    check(X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(issuer.certificate)) == 1, "X509_CRL_set_issuer_name");
    Asn1TimePtr last(ASN1_TIME_set(nullptr, this_update));
    Asn1TimePtr next(ASN1_TIME_set(nullptr, next_update));
    check(last && next, "ASN1_TIME_set");
    check(X509_CRL_set1_lastUpdate(crl.get(), last.get()) == 1, "X509_CRL_set1_lastUpdate");
    check(X509_CRL_set1_nextUpdate(crl.get(), next.get()) == 1, "X509_CRL_set1_nextUpdate");
    for (const auto& entry : revoked) {
        RevokedPtr r(X509_REVOKED_new());
        Asn1IntegerPtr serial(ASN1_INTEGER_new());
        Asn1TimePtr when(ASN1_TIME_set(nullptr, entry.revoked_at));
        check(r && serial && when && ASN1_INTEGER_set_uint64(serial.get(), entry.serial) == 1, "revoked entry");
        check(X509_REVOKED_set_serialNumber(r.get(), serial.get()) == 1, "X509_REVOKED_set_serialNumber");
        check(X509_REVOKED_set_revocationDate(r.get(), when.get()) == 1, "X509_REVOKED_set_revocationDate");
        if (!entry.reason.empty()) {
            Asn1EnumeratedPtr code(ASN1_ENUMERATED_new());
            check(code && ASN1_ENUMERATED_set(code.get(), crl_reason_code(entry.reason)) == 1, "reason code");
            check(X509_REVOKED_add1_ext_i2d(r.get(), NID_crl_reason, code.get(), 0, 0) == 1, "reason code");
        }
        check(X509_CRL_add0_revoked(crl.get(), r.get()) == 1, "X509_CRL_add0_revoked");
        (void)r.release();  // owned by the CRL now
    }
    check(X509_CRL_sort(crl.get()) == 1, "X509_CRL_sort");
    Asn1IntegerPtr number(ASN1_INTEGER_new());
    check(number && ASN1_INTEGER_set_uint64(number.get(), crl_number) == 1, "cRLNumber");
    check(X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, number.get(), 0, 0) == 1, "cRLNumber");
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, const_cast<X509*>(issuer.certificate), nullptr, nullptr, crl.get(), 0);
    ExtensionPtr aki(X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
    check(aki != nullptr && X509_CRL_add_ext(crl.get(), aki.get(), -1) == 1, "CRL authorityKeyIdentifier");
    if (X509_CRL_sign(crl.get(), issuer.key, signature_digest_for(issuer.key)) <= 0)
        crypto::throw_openssl_error("signing the CRL");
    unsigned char* der = nullptr;
    int len = i2d_X509_CRL(crl.get(), &der);
    check(len > 0 && der != nullptr, "i2d_X509_CRL");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

std::string certificate_to_pem(const X509* cert) {
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string crl_der_to_pem(ByteView crl_der) {
    auto crls = pa::crls_from_bytes(crl_der);
    if (crls.size() != 1) throw ParseError("expected one CRL");
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_X509_CRL(bio.get(), crls.front().get()) == 1, "PEM_write_bio_X509_CRL");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

crypto::X509Ptr read_certificate_file(const std::string& path) {
    auto certs = pa::certificates_from_bytes(read_file(path));
    if (certs.size() != 1)
        throw ParseError(path + " holds " + std::to_string(certs.size()) + " certificates; expected exactly one");
    return std::move(certs.front());
}

}  // namespace cccd::certs
