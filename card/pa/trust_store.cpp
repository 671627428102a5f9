// Why chains are checked by hand here and in passive_auth.cpp instead of with X509_verify_cert:
// many CSCAs (the Vietnamese one among them) carry EC keys with EXPLICIT domain parameters. OpenSSL 3's
// chain verification refuses a CA key decoded from explicit parameters with "Certificate public key has
// explicit ECC parameters" (X509_V_ERR_EC_KEY_EXPLICIT_PARAMS) in strict mode, the mode a careful
// verifier turns on; tests/unit/pa/trust_store_test.cpp shows it. Rather than weaken the whole policy,
// we check exactly what ICAO 9303 Part 12 requires of the short, fixed eMRTD chain (CSCA [-> link] -> DS,
// every link certificate being an anchor itself): issuer name and key identifier, the signature with the
// CSCA's key (signature_verifies: the trust chain's own verify_signature, with no policy on the curve's
// encoding), validity at the verification
// time, CRL revocation, the DS key usage (digitalSignature) and the CSCA's CA flag and keyCertSign.
#include "card/pa/trust_store.hpp"

#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/master_list.hpp"

namespace cccd::pa {

std::size_t TrustStore::add_certificate(const X509* cert, const AnchorProvenance& provenance) {
    if (cert == nullptr) throw InvalidArgument("no certificate");
    for (const auto& a : anchors_) {
        if (X509_cmp(a.certificate.get(), cert) == 0) return 0;
    }
    crypto::X509Ptr copy(X509_dup(const_cast<X509*>(cert)));
    crypto::check(copy != nullptr, "X509_dup");
    TrustAnchor anchor;
    anchor.subject = subject_of(copy.get());
    anchor.certificate = std::move(copy);
    anchor.provenance = provenance;
    anchors_.push_back(std::move(anchor));
    return 1;
}

std::size_t TrustStore::add_certificates(ByteView der_or_pem, const std::string& source) {
    std::size_t added = 0;
    for (const auto& cert : certificates_from_bytes(der_or_pem)) {
        added += add_certificate(cert.get(), AnchorProvenance{source, std::nullopt, true});
    }
    return added;
}

std::size_t TrustStore::add_certificate_file(const std::filesystem::path& path) {
    return add_certificates(read_file(path), path.filename().string());
}

MasterListImport TrustStore::add_master_list(ByteView cms_der, const std::string& source,
                                             const std::vector<const X509*>& trusted_signer_roots, std::time_t at) {
    auto list = parse_master_list(cms_der);
    MasterListImport result;
    AnchorProvenance provenance{source, std::nullopt, false, true};
    if (!trusted_signer_roots.empty()) {
        auto v = verify_master_list(list, trusted_signer_roots, at);
        if (!v.verified) throw CryptoError("master list " + source + " is not trusted: " + v.reason);
        result.verified = true;
        result.reason = v.reason;
        provenance.master_list_signer = v.signer_subject;
        provenance.verified = true;
    } else {
        result.reason = "imported without verifying the master list's signature (no signer root given)";
    }
    for (const auto& der : list.certificates) {
        crypto::X509Ptr cert;
        try {
            cert = certificate_from_der(der);
        } catch (const ParseError&) {
            ++result.unreadable;
            continue;
        }
        if (add_certificate(cert.get(), provenance) == 1)
            ++result.added;
        else
            ++result.duplicates;
    }
    return result;
}

MasterListImport TrustStore::add_master_list_file(const std::filesystem::path& path,
                                                  const std::vector<const X509*>& trusted_signer_roots,
                                                  std::time_t at) {
    return add_master_list(read_file(path), path.filename().string(), trusted_signer_roots, at);
}

namespace {
bool crl_issued_by(const X509_CRL* crl, const X509* ca) {
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(ca)) != 0) return false;
    EVP_PKEY* key = X509_get0_pubkey(ca);
    bool ok = key != nullptr && X509_CRL_verify(const_cast<X509_CRL*>(crl), key) == 1;
    crypto::clear_openssl_errors();
    return ok;
}
}  // namespace

std::size_t TrustStore::add_crls(ByteView der_or_pem, const std::string& source) {
    std::size_t kept = 0;
    for (auto& crl : crls_from_bytes(der_or_pem)) {
        bool issued_by_anchor = false;
        for (const auto& a : anchors_) {
            if (crl_issued_by(crl.get(), a.certificate.get())) {
                issued_by_anchor = true;
                break;
            }
        }
        if (!issued_by_anchor) continue;
        StoredCrl stored;
        stored.issuer = name_to_string(X509_CRL_get_issuer(crl.get()));
        stored.source = source;
        stored.crl = std::move(crl);
        crls_.push_back(std::move(stored));
        ++kept;
    }
    return kept;
}

std::size_t TrustStore::add_crl_file(const std::filesystem::path& path) {
    return add_crls(read_file(path), path.filename().string());
}

std::vector<const TrustAnchor*> TrustStore::candidate_issuers(const X509* cert) const {
    std::vector<const TrustAnchor*> out;
    if (cert == nullptr) return out;
    Bytes akid = authority_key_id(cert);
    for (const auto& a : anchors_) {
        if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(a.certificate.get())) != 0) continue;
        Bytes skid = subject_key_id(a.certificate.get());
        if (!akid.empty() && !skid.empty() && akid != skid) continue;
        out.push_back(&a);
    }
    return out;
}

std::vector<const StoredCrl*> TrustStore::crls_for(const TrustAnchor& anchor) const {
    std::vector<const StoredCrl*> out;
    for (const auto& c : crls_) {
        if (crl_issued_by(c.crl.get(), anchor.certificate.get())) out.push_back(&c);
    }
    return out;
}

std::vector<const TrustAnchor*> TrustStore::find_by_subject(const std::string& text) const {
    std::vector<const TrustAnchor*> out;
    for (const auto& a : anchors_) {
        if (a.subject.find(text) != std::string::npos) out.push_back(&a);
    }
    return out;
}

}  // namespace cccd::pa
