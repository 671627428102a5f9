#include "certs/lint.hpp"

#include <algorithm>

#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/pa/certificate.hpp"

namespace cccd::certs {

namespace {

using BasicConstraintsPtr = std::unique_ptr<BASIC_CONSTRAINTS, crypto::Deleter<BASIC_CONSTRAINTS_free>>;
using PkeyUsagePeriodPtr = std::unique_ptr<PKEY_USAGE_PERIOD, crypto::Deleter<PKEY_USAGE_PERIOD_free>>;
using EkuPtr = std::unique_ptr<EXTENDED_KEY_USAGE, crypto::Deleter<EXTENDED_KEY_USAGE_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, crypto::Deleter<GENERAL_NAMES_free>>;

constexpr std::time_t kDay = 86400;
constexpr std::time_t kYear = 366 * kDay;

class Findings {
public:
    void pass(const std::string& rule, const std::string& detail) { add(rule, LintStatus::Pass, detail); }
    void fail(const std::string& rule, const std::string& detail) { add(rule, LintStatus::Fail, detail); }
    void warn(const std::string& rule, const std::string& detail) { add(rule, LintStatus::Warn, detail); }
    void expect(const std::string& rule, bool ok, const std::string& detail) {
        add(rule, ok ? LintStatus::Pass : LintStatus::Fail, detail);
    }
    std::vector<LintFinding> take() { return std::move(findings_); }

private:
    void add(const std::string& rule, LintStatus status, const std::string& detail) {
        findings_.push_back({rule, status, detail});
    }
    std::vector<LintFinding> findings_;
};

X509* mut(const X509* cert) { return const_cast<X509*>(cert); }  // OpenSSL 3.0 getters take non-const

// -1 absent, 0 present non-critical, 1 critical.
int extension_criticality(const X509* cert, int nid) {
    int index = X509_get_ext_by_NID(cert, nid, -1);
    if (index < 0) return -1;
    return X509_EXTENSION_get_critical(X509_get_ext(cert, index)) != 0 ? 1 : 0;
}

std::string country_of(const X509_NAME* name) {
    int index = X509_NAME_get_index_by_NID(name, NID_countryName, -1);
    if (index < 0) return "";
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                       static_cast<std::size_t>(ASN1_STRING_length(value)));
}

std::time_t to_time(const ASN1_TIME* t) {
    std::tm tm{};
    if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return 0;
    return timegm(&tm);
}

std::string key_usage_words(std::uint32_t usage) {
    if (usage == UINT32_MAX) return "absent";
    static const std::pair<std::uint32_t, const char*> names[] = {
        {KU_DIGITAL_SIGNATURE, "digitalSignature"}, {KU_NON_REPUDIATION, "nonRepudiation"},
        {KU_KEY_ENCIPHERMENT, "keyEncipherment"},   {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
        {KU_KEY_AGREEMENT, "keyAgreement"},         {KU_KEY_CERT_SIGN, "keyCertSign"},
        {KU_CRL_SIGN, "cRLSign"},                   {KU_ENCIPHER_ONLY, "encipherOnly"},
        {KU_DECIPHER_ONLY, "decipherOnly"},
    };
    std::string out;
    for (const auto& [bit, name] : names)
        if ((usage & bit) != 0) out += (out.empty() ? "" : ", ") + std::string(name);
    return out.empty() ? "none" : out;
}

std::vector<std::string> eku_oids(const X509* cert) {
    EkuPtr eku(static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr)));
    std::vector<std::string> out;
    if (!eku) return out;
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
        char text[80] = {};
        OBJ_obj2txt(text, sizeof text, sk_ASN1_OBJECT_value(eku.get(), i), 1);
        out.emplace_back(text);
    }
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? "none" : out;
}

bool self_issued(const X509* cert) {
    return X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0;
}

bool verifies_with(const X509* cert, const X509* signer) {
    EVP_PKEY* key = X509_get0_pubkey(signer);
    bool ok = key != nullptr && X509_verify(mut(cert), key) == 1;
    crypto::clear_openssl_errors();
    return ok;
}

void check_key(Findings& f, const X509* cert, Profile profile) {
    EVP_PKEY* key = X509_get0_pubkey(cert);
    if (key == nullptr) {
        crypto::clear_openssl_errors();
        f.fail("key-algorithm-strength", "the public key cannot be read");
        return;
    }
    int bits = EVP_PKEY_get_bits(key);
    int type = EVP_PKEY_get_base_id(key);
    std::string described = pa::describe_key(cert);
    if (type == EVP_PKEY_EC) {
        f.expect("key-algorithm-strength", bits >= 256, described + (bits >= 256 ? "" : ": EC keys need at least 256 bits"));
    } else if (type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS) {
        int minimum = (profile == Profile::Csca || profile == Profile::Link) ? 3072 : 2048;
        f.expect("key-algorithm-strength", bits >= minimum,
                 described + (bits >= minimum ? "" : ": needs at least " + std::to_string(minimum) + " bits"));
    } else {
        f.fail("key-algorithm-strength", described + ": only ECDSA and RSA keys are allowed");
    }
}

void check_basic_constraints(Findings& f, const X509* cert, Profile profile) {
    int critical = 0;
    BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr)));
    if (is_ca_profile(profile)) {
        if (!bc) return f.fail("basic-constraints", "absent; a CA needs critical CA:TRUE, pathLenConstraint 0");
        long pathlen = bc->pathlen != nullptr ? ASN1_INTEGER_get(bc->pathlen) : -1;
        bool ok = critical == 1 && bc->ca != 0 && pathlen == 0;
        std::string found = std::string(critical == 1 ? "critical" : "not critical") + ", CA:" + (bc->ca ? "TRUE" : "FALSE") +
                            ", pathlen " + (pathlen < 0 ? "absent" : std::to_string(pathlen));
        return f.expect("basic-constraints", ok, found + (ok ? "" : "; expected critical, CA:TRUE, pathlen 0"));
    }
    if (!bc) return f.pass("basic-constraints", "absent (not a CA)");
    f.expect("basic-constraints", bc->ca == 0, bc->ca ? "CA:TRUE on an end-entity certificate" : "CA:FALSE");
}

void check_key_usage(Findings& f, const X509* cert, Profile profile) {
    int critical = extension_criticality(cert, NID_key_usage);
    f.expect("key-usage-critical", critical == 1,
             critical < 0 ? "keyUsage is absent" : critical == 1 ? "critical" : "keyUsage is not critical");
    std::uint32_t usage = X509_get_key_usage(mut(cert));
    bool rsa = EVP_PKEY_get_base_id(X509_get0_pubkey(cert)) == EVP_PKEY_RSA;
    std::uint32_t expected = 0;
    std::uint32_t allowed_extra = 0;
    switch (profile) {
        case Profile::Csca:
        case Profile::Link:
        case Profile::ServiceCa:
        case Profile::RpCa: expected = KU_KEY_CERT_SIGN | KU_CRL_SIGN; break;
        case Profile::DocumentSigner:
        case Profile::MasterListSigner:
        case Profile::Client: expected = KU_DIGITAL_SIGNATURE; break;
        case Profile::TlsServer:
            expected = KU_DIGITAL_SIGNATURE;
            if (rsa) allowed_extra = KU_KEY_ENCIPHERMENT;
            break;
    }
    bool ok = usage != UINT32_MAX && (usage & expected) == expected && (usage & ~(expected | allowed_extra)) == 0;
    f.expect("key-usage-values", ok,
             key_usage_words(usage) + (ok ? "" : "; expected exactly " + key_usage_words(expected)));
}

void check_extended_key_usage(Findings& f, const X509* cert, Profile profile) {
    auto oids = eku_oids(cert);
    std::string required;
    switch (profile) {
        case Profile::MasterListSigner: required = std::string(kMasterListSignerEkuOid); break;
        case Profile::TlsServer: required = "1.3.6.1.5.5.7.3.1"; break;  // serverAuth
        case Profile::Client: required = "1.3.6.1.5.5.7.3.2"; break;     // clientAuth
        default: break;
    }
    if (required.empty()) return f.expect("extended-key-usage", oids.empty(), oids.empty() ? "absent" : join(oids) + "; expected none");
    bool ok = oids.size() == 1 && oids.front() == required;
    f.expect("extended-key-usage", ok, join(oids) + (ok ? "" : "; expected exactly " + required));
}

void check_key_identifiers(Findings& f, const X509* cert, Profile profile, const X509* issuer) {
    const ASN1_OCTET_STRING* ski = X509_get0_subject_key_id(mut(cert));
    f.expect("subject-key-identifier", ski != nullptr, ski ? "present" : "absent");
    const ASN1_OCTET_STRING* aki = X509_get0_authority_key_id(mut(cert));
    bool root = profile == Profile::Csca || profile == Profile::ServiceCa || profile == Profile::RpCa;
    if (aki == nullptr) {
        if (root) f.warn("authority-key-identifier", "absent (optional on a self-signed certificate)");
        else f.fail("authority-key-identifier", "absent");
        return;
    }
    f.pass("authority-key-identifier", "present");
    const X509* reference = root ? cert : issuer;
    if (reference == nullptr) return f.warn("authority-key-identifier-matches", "not checked (give --issuer)");
    const ASN1_OCTET_STRING* reference_ski = X509_get0_subject_key_id(mut(reference));
    bool ok = reference_ski != nullptr && ASN1_OCTET_STRING_cmp(aki, reference_ski) == 0;
    f.expect("authority-key-identifier-matches", ok,
             ok ? "matches the issuer's subjectKeyIdentifier" : "differs from the issuer's subjectKeyIdentifier");
}

void check_signature(Findings& f, const X509* cert, Profile profile, const X509* issuer) {
    bool root = profile == Profile::Csca || profile == Profile::ServiceCa || profile == Profile::RpCa;
    if (root) {
        bool ok = self_issued(cert) && verifies_with(cert, cert);
        f.expect("self-signed", ok, ok ? "issuer = subject, signature verifies with its own key"
                                       : "not self-signed (issuer differs or the signature does not verify with its own key)");
        return;
    }
    if (profile == Profile::Link) {
        // A link certificate carries the new key but is signed by the old one.
        bool own = verifies_with(cert, cert);
        f.expect("link-signed-by-other-key", !own,
                 own ? "signed by its own key: this is a self-signed CSCA, not a link certificate"
                     : "not signed by its own key");
    }
    if (issuer == nullptr) return f.warn("signature", "not checked (give --issuer)");
    bool ok = X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(issuer)) == 0 && verifies_with(cert, issuer);
    f.expect("signature", ok, ok ? "verifies with " + pa::subject_of(issuer)
                                 : "does not verify with " + pa::subject_of(issuer) + " (or the issuer name differs)");
}

void check_private_key_usage(Findings& f, const X509* cert, Profile profile) {
    if (!is_icao_profile(profile) || profile == Profile::MasterListSigner) return;
    int critical = 0;
    PkeyUsagePeriodPtr pkup(
        static_cast<PKEY_USAGE_PERIOD*>(X509_get_ext_d2i(cert, NID_private_key_usage_period, &critical, nullptr)));
    if (!pkup) {
        if (profile == Profile::DocumentSigner) f.warn("private-key-usage-period", "absent (recommended for a DS)");
        else f.fail("private-key-usage-period", "absent; ICAO 9303 Part 12 requires it for CSCA and link certificates");
        return;
    }
    std::time_t start = to_time(pkup->notBefore);
    std::time_t end = to_time(pkup->notAfter);
    std::time_t cert_start = to_time(X509_get0_notBefore(cert));
    std::time_t cert_end = to_time(X509_get0_notAfter(cert));
    bool ok = critical == 0 && pkup->notAfter != nullptr && (pkup->notBefore == nullptr || start >= cert_start) &&
              end <= cert_end;
    std::string detail = std::string("until ") + pa::date_to_string(pkup->notAfter);
    if (critical != 0) detail += "; must not be critical";
    else if (!ok) detail += "; must have an end and lie within the certificate's validity";
    f.expect("private-key-usage-period", ok, detail);
}

void check_validity(Findings& f, const X509* cert, Profile profile, const X509* issuer) {
    std::time_t start = to_time(X509_get0_notBefore(cert));
    std::time_t end = to_time(X509_get0_notAfter(cert));
    f.expect("validity-order", start < end, pa::date_to_string(X509_get0_notBefore(cert)) + " to " +
                                                pa::date_to_string(X509_get0_notAfter(cert)));
    std::time_t maximum = 0;
    switch (profile) {
        case Profile::Csca:
        case Profile::Link: maximum = 35 * kYear; break;       // key usage ≤ 5 y + longest DS certificate
        case Profile::DocumentSigner: maximum = 30 * kYear; break;  // ≤ 3 months + longest document
        case Profile::MasterListSigner: maximum = 10 * kYear; break;
        case Profile::ServiceCa:
        case Profile::RpCa: maximum = 20 * kYear; break;
        case Profile::TlsServer: maximum = 398 * kDay; break;
        case Profile::Client: maximum = 825 * kDay; break;
    }
    std::time_t days = (end - start) / kDay;
    f.expect("validity-maximum", end - start <= maximum,
             std::to_string(days) + " days" + (end - start <= maximum ? "" : "; the profile allows " + std::to_string(maximum / kDay)));
    if (issuer != nullptr && !(profile == Profile::Csca || profile == Profile::ServiceCa || profile == Profile::RpCa)) {
        bool inside = start >= to_time(X509_get0_notBefore(issuer)) && end <= to_time(X509_get0_notAfter(issuer));
        f.expect("validity-within-issuer", inside, inside ? "inside the issuer's validity" : "outside the issuer's validity");
    }
}

void check_names(Findings& f, const X509* cert, Profile profile) {
    if (!is_icao_profile(profile)) return;
    std::string subject_country = country_of(X509_get_subject_name(cert));
    std::string issuer_country = country_of(X509_get_issuer_name(cert));
    f.expect("country-in-subject", subject_country.size() == 2,
             subject_country.empty() ? "the subject names no country" : "C=" + subject_country);
    f.expect("country-matches-issuer", !subject_country.empty() && subject_country == issuer_country,
             "subject C=" + subject_country + ", issuer C=" + issuer_country);
}

void check_document_types(Findings& f, const X509* cert, Profile profile) {
    std::unique_ptr<ASN1_OBJECT, crypto::Deleter<ASN1_OBJECT_free>> obj(
        OBJ_txt2obj(std::string(kDocumentTypeListOid).c_str(), 1));
    int index = X509_get_ext_by_OBJ(cert, obj.get(), -1);
    if (profile != Profile::DocumentSigner) {
        if (index >= 0) f.fail("document-type-list", "present on a certificate that is not a Document Signer");
        return;
    }
    if (index < 0) return f.pass("document-type-list", "absent (optional)");
    X509_EXTENSION* ext = X509_get_ext(cert, index);
    const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
    try {
        auto types = decode_document_type_list(
            ByteView(ASN1_STRING_get0_data(data), static_cast<std::size_t>(ASN1_STRING_length(data))));
        bool ok = !types.empty() && X509_EXTENSION_get_critical(ext) == 0;
        f.expect("document-type-list", ok,
                 join(types) + (types.empty() ? "; the list is empty" : "") +
                     (X509_EXTENSION_get_critical(ext) ? "; must not be critical" : ""));
    } catch (const Error& e) {
        f.fail("document-type-list", std::string("malformed: ") + e.what());
    }
}

void check_subject_alt_name(Findings& f, const X509* cert, Profile profile) {
    if (profile != Profile::TlsServer) return;
    GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    int usable = 0;
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        int type = sk_GENERAL_NAME_value(names.get(), i)->type;
        if (type == GEN_DNS || type == GEN_IPADD) ++usable;
    }
    f.expect("subject-alt-name", usable > 0,
             usable > 0 ? std::to_string(usable) + " DNS/IP entries" : "no DNS name or IP address in subjectAltName");
}

void check_critical_extensions(Findings& f, const X509* cert) {
    std::vector<std::string> unknown;
    for (int i = 0; i < X509_get_ext_count(cert); ++i) {
        X509_EXTENSION* ext = X509_get_ext(cert, i);
        if (X509_EXTENSION_get_critical(ext) != 0 && X509_supported_extension(ext) == 0) {
            char text[80] = {};
            OBJ_obj2txt(text, sizeof text, X509_EXTENSION_get_object(ext), 1);
            unknown.emplace_back(text);
        }
    }
    f.expect("no-unknown-critical-extensions", unknown.empty(), unknown.empty() ? "none" : join(unknown));
}

}  // namespace

std::vector<LintFinding> lint_certificate(const X509* cert, Profile profile, const X509* issuer) {
    if (cert == nullptr) throw InvalidArgument("no certificate to lint");
    Findings f;
    f.expect("version-v3", X509_get_version(cert) == 2, "v" + std::to_string(X509_get_version(cert) + 1));
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    bool serial_ok = ASN1_STRING_type(serial) == V_ASN1_INTEGER && ASN1_STRING_length(serial) <= 20 &&
                     ASN1_STRING_length(serial) > 0 && !(ASN1_STRING_length(serial) == 1 && ASN1_STRING_get0_data(serial)[0] == 0);
    f.expect("serial-number", serial_ok, "0x" + pa::serial_hex(cert) + (serial_ok ? "" : "; must be positive, at most 20 octets"));
    check_names(f, cert, profile);
    check_validity(f, cert, profile, issuer);
    check_key(f, cert, profile);
    check_basic_constraints(f, cert, profile);
    check_key_usage(f, cert, profile);
    check_extended_key_usage(f, cert, profile);
    check_key_identifiers(f, cert, profile, issuer);
    check_private_key_usage(f, cert, profile);
    check_document_types(f, cert, profile);
    check_subject_alt_name(f, cert, profile);
    check_critical_extensions(f, cert);
    check_signature(f, cert, profile, issuer);
    return f.take();
}

bool lint_passed(const std::vector<LintFinding>& findings) {
    return std::none_of(findings.begin(), findings.end(), [](const auto& x) { return x.status == LintStatus::Fail; });
}

std::string format_finding(const LintFinding& finding) {
    const char* status = finding.status == LintStatus::Pass ? "PASS" : finding.status == LintStatus::Fail ? "FAIL" : "WARN";
    return std::string(status) + " " + finding.rule + ": " + finding.detail;
}

}  // namespace cccd::certs
