#include "card/pa/passive_auth.hpp"

#include <algorithm>

#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/cms_verify.hpp"
#include "crypto/hash.hpp"

namespace cccd::pa {

std::string_view verdict_name(Verdict v) noexcept {
    switch (v) {
        case Verdict::Pass: return "PASS";
        case Verdict::Fail: return "FAIL";
        case Verdict::NotChecked: return "NOT_CHECKED";
    }
    return "NOT_CHECKED";
}

std::string data_group_check_name(int data_group) { return "DG" + std::to_string(data_group) + " hash"; }
std::string unlisted_data_group_check_name(int data_group) { return "DG" + std::to_string(data_group) + " in SOD"; }

const Check* Report::find(std::string_view name) const {
    for (const auto& c : checks) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

namespace {

class ReportBuilder {
public:
    void add(std::string_view name, Verdict v, std::string reason) {
        report_.checks.push_back(Check{std::string(name), v, std::move(reason)});
    }
    Report& report() { return report_; }
    Report finish() {
        bool failed = std::any_of(report_.checks.begin(), report_.checks.end(),
                                  [](const Check& c) { return c.verdict == Verdict::Fail; });
        report_.overall = failed ? Verdict::Fail : Verdict::Pass;
        return std::move(report_);
    }

private:
    Report report_;
};

std::string describe_provenance(const TrustAnchor& anchor) {
    const auto& p = anchor.provenance;
    if (!p.from_master_list) return "from " + p.source;
    if (p.verified && p.master_list_signer)
        return "from master list " + p.source + " signed by " + *p.master_list_signer + ", verified";
    return "from master list " + p.source + ", whose signature was NOT verified";
}

// The CSCA -> DS link, checked by hand (see trust_store.cpp for why OpenSSL's chain verification
// is not used). Returns the anchor on success, else sets `problem`.
const TrustAnchor* find_issuing_csca(const TrustStore& trust, const X509* ds, std::time_t at, std::string& problem) {
    auto candidates = trust.candidate_issuers(ds);
    if (candidates.empty()) {
        problem = "no CSCA in the trust store matches the DS issuer " + issuer_of(ds);
        Bytes akid = authority_key_id(ds);
        if (!akid.empty()) problem += " (authority key id " + to_hex(akid) + ")";
        return nullptr;
    }
    problem = "the DS certificate's signature does not verify with any CSCA named " + issuer_of(ds);
    for (const TrustAnchor* anchor : candidates) {
        X509* csca = anchor->certificate.get();
        if (!signature_verifies(ds, csca)) continue;
        std::uint32_t flags = X509_get_extension_flags(csca);
        if ((flags & EXFLAG_CA) == 0) {
            problem = "the issuing certificate " + anchor->subject + " is not a CA (basicConstraints)";
            continue;
        }
        std::uint32_t csca_usage = X509_get_key_usage(csca);
        if (csca_usage != UINT32_MAX && (csca_usage & KU_KEY_CERT_SIGN) == 0) {
            problem = "the CSCA " + anchor->subject + " may not sign certificates (key usage)";
            continue;
        }
        int pos = validity_position(csca, at);
        if (pos != 0) {
            problem = "the CSCA " + anchor->subject +
                      (pos < 0 ? " is not valid until " + date_to_string(X509_get0_notBefore(csca))
                               : " expired on " + date_to_string(X509_get0_notAfter(csca)));
            continue;
        }
        return anchor;
    }
    return nullptr;
}

void check_revocation(ReportBuilder& b, const TrustStore& trust, const TrustAnchor& csca, const X509* ds,
                      std::time_t at) {
    auto crls = trust.crls_for(csca);
    if (crls.empty()) {
        b.add(kCheckDsNotRevoked, Verdict::NotChecked, "no CRL of " + csca.subject + " was given");
        return;
    }
    bool current = false;
    std::string stale_reason;
    for (const StoredCrl* stored : crls) {
        X509_REVOKED* revoked = nullptr;
        if (X509_CRL_get0_by_cert(stored->crl.get(), &revoked, const_cast<X509*>(ds)) == 1) {
            b.add(kCheckDsNotRevoked, Verdict::Fail,
                  "serial " + serial_hex(ds) + " was revoked on " +
                      date_to_string(X509_REVOKED_get0_revocationDate(revoked)) + " (CRL " + stored->source + ")");
            return;
        }
        const ASN1_TIME* next = X509_CRL_get0_nextUpdate(stored->crl.get());
        std::time_t t = at;
        if (next != nullptr && X509_cmp_time(next, &t) < 0) {
            stale_reason = "the CRL " + stored->source + " is out of date (next update was " + date_to_string(next) + ")";
        } else {
            current = true;
        }
    }
    crypto::clear_openssl_errors();
    if (current)
        b.add(kCheckDsNotRevoked, Verdict::Pass, "not listed on the current CRL of " + csca.subject);
    else
        b.add(kCheckDsNotRevoked, Verdict::NotChecked, stale_reason + "; the DS is not listed on it");
}

void check_certificates(ReportBuilder& b, const lds::Sod& sod, const TrustStore& trust, std::time_t at) {
    const auto& signer = sod.signed_data.signers.front();
    auto ds = find_signer_certificate(signer, sod.signed_data.certificates);
    if (!ds) {
        std::string why = sod.signed_data.certificates.empty()
                              ? "the SOD embeds no Document Signer certificate"
                              : "none of the SOD's embedded certificates is the one its SignerInfo names";
        b.add(kCheckSodSignature, Verdict::NotChecked, why);
        b.add(kCheckDsTrusted, Verdict::Fail, why);
        b.add(kCheckDsValidity, Verdict::NotChecked, "no DS certificate");
        b.add(kCheckDsNotRevoked, Verdict::NotChecked, "no DS certificate");
        return;
    }
    b.report().ds_subject = subject_of(ds.get());

    // SOD signature
    EVP_PKEY* key = X509_get0_pubkey(ds.get());
    if (key == nullptr) {
        crypto::clear_openssl_errors();
        b.add(kCheckSodSignature, Verdict::Fail, "the DS certificate's public key cannot be read");
    } else {
        auto sig = verify_signer_info(signer, lds::kLdsSecurityObjectOid, sod.signed_data.content, key);
        std::string note = sod.signed_data.signers.size() > 1 ? " (only the first of " +
                                                                   std::to_string(sod.signed_data.signers.size()) +
                                                                   " SignerInfos was checked)"
                                                             : "";
        b.add(kCheckSodSignature, sig.ok ? Verdict::Pass : Verdict::Fail, sig.reason + note);
    }

    // DS certificate trusted
    std::string problem;
    const TrustAnchor* csca = find_issuing_csca(trust, ds.get(), at, problem);
    if (csca == nullptr) {
        b.add(kCheckDsTrusted, Verdict::Fail, problem);
    } else {
        std::uint32_t usage = X509_get_key_usage(ds.get());
        if (usage == UINT32_MAX) {
            b.add(kCheckDsTrusted, Verdict::Fail, "the DS certificate has no key usage extension (ICAO 9303 requires digitalSignature)");
        } else if ((usage & KU_DIGITAL_SIGNATURE) == 0) {
            b.add(kCheckDsTrusted, Verdict::Fail, "the DS certificate's key usage does not allow digitalSignature");
        } else {
            b.report().csca_subject = csca->subject;
            b.add(kCheckDsTrusted, Verdict::Pass, "issued by CSCA " + csca->subject + " (" + describe_provenance(*csca) + ")");
        }
    }

    // DS certificate validity
    int pos = validity_position(ds.get(), at);
    if (pos < 0)
        b.add(kCheckDsValidity, Verdict::Fail, "not valid until " + date_to_string(X509_get0_notBefore(ds.get())));
    else if (pos > 0)
        b.add(kCheckDsValidity, Verdict::Fail, "expired on " + date_to_string(X509_get0_notAfter(ds.get())));
    else
        b.add(kCheckDsValidity, Verdict::Pass,
              "valid from " + date_to_string(X509_get0_notBefore(ds.get())) + " to " +
                  date_to_string(X509_get0_notAfter(ds.get())));

    // DS certificate not revoked
    if (csca == nullptr)
        b.add(kCheckDsNotRevoked, Verdict::NotChecked, "no trusted CSCA, so no CRL to consult");
    else
        check_revocation(b, trust, *csca, ds.get(), at);
}

void check_data_groups(ReportBuilder& b, const lds::LdsSecurityObject& lso, const std::map<int, Bytes>& files) {
    auto hash = lso.known_hash();
    auto listed = lso.data_group_hashes;
    std::sort(listed.begin(), listed.end(), [](const auto& x, const auto& y) { return x.number < y.number; });
    for (const auto& entry : listed) {
        auto name = data_group_check_name(entry.number);
        auto file = files.find(entry.number);
        if (file == files.end()) {
            b.add(name, Verdict::NotChecked, "DG" + std::to_string(entry.number) + " was not read");
        } else if (!hash) {
            b.add(name, Verdict::Fail, "the SOD uses an unknown hash algorithm " + lso.hash_algorithm.oid);
        } else if (constant_time_equal(crypto::digest(*hash, file->second), entry.hash)) {
            b.add(name, Verdict::Pass, std::string(crypto::hash_name(*hash)) + " matches the SOD");
        } else {
            b.add(name, Verdict::Fail,
                  "the " + std::string(crypto::hash_name(*hash)) + " of the file (" + std::to_string(file->second.size()) +
                      " bytes) differs from the hash in the SOD: the data group was changed");
        }
    }
    for (const auto& [number, content] : files) {
        if (lso.hash_of(number) == nullptr)
            b.add(unlisted_data_group_check_name(number), Verdict::Fail,
                  "DG" + std::to_string(number) + " was given but the SOD lists no hash for it");
    }
}

}  // namespace

Report verify(const std::map<int, Bytes>& data_groups, ByteView ef_sod, const TrustStore& trust, std::time_t at) {
    ReportBuilder b;
    lds::Sod sod;
    try {
        sod = lds::parse_sod(ef_sod);
    } catch (const Error& e) {
        b.add(kCheckSodStructure, Verdict::Fail, e.what());
        const std::string why = "the SOD could not be decoded";
        for (auto name : {kCheckSodSignature, kCheckDsTrusted, kCheckDsValidity, kCheckDsNotRevoked})
            b.add(name, Verdict::NotChecked, why);
        for (const auto& entry : data_groups) b.add(data_group_check_name(entry.first), Verdict::NotChecked, why);
        return b.finish();
    }
    const auto& lso = sod.security_object;
    auto hash = lso.known_hash();
    b.add(kCheckSodStructure, Verdict::Pass,
          "LDSSecurityObject v" + std::to_string(lso.version) + " with " +
              std::to_string(lso.data_group_hashes.size()) + " data-group hashes (" +
              (hash ? std::string(crypto::hash_name(*hash)) : lso.hash_algorithm.oid) + ")");
    try {
        check_certificates(b, sod, trust, at);
    } catch (const Error& e) {
        // Only OpenSSL failing to allocate gets here; report it instead of leaving the caller without a verdict.
        b.add("certificate checks", Verdict::Fail, std::string("verification stopped: ") + e.what());
    }
    check_data_groups(b, lso, data_groups);
    return b.finish();
}

}  // namespace cccd::pa
