#pragma once
// The CSCA trust store for Passive Authentication: trust anchors from certificate files and from
// signed CSCA master lists, each with where it came from, and CRLs per CSCA.
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "crypto/openssl.hpp"

namespace cccd::pa {

// Where an anchor came from, so a report can say why it is trusted.
struct AnchorProvenance {
    std::string source;                             // file name or label given by the caller
    std::optional<std::string> master_list_signer;  // subject of a verified master list's signer
    bool verified = false;  // a master list whose signature and signer chain were verified; a
                            // certificate file counts as verified (the operator chose it)
    bool from_master_list = false;
};

struct TrustAnchor {
    crypto::X509Ptr certificate;
    std::string subject;
    AnchorProvenance provenance;
};

struct StoredCrl {
    crypto::X509CrlPtr crl;
    std::string issuer;
    std::string source;
};

struct MasterListImport {
    std::size_t added = 0;       // new anchors
    std::size_t duplicates = 0;  // already in the store
    std::size_t unreadable = 0;  // entries OpenSSL could not decode
    bool verified = false;
    std::string reason;  // verification result in words
};

class TrustStore {
public:
    TrustStore() = default;
    TrustStore(TrustStore&&) = default;
    TrustStore& operator=(TrustStore&&) = default;

    // One or more CSCA certificates (DER, or PEM blocks). Returns how many were new.
    std::size_t add_certificates(ByteView der_or_pem, const std::string& source);
    std::size_t add_certificate_file(const std::filesystem::path& path);
    std::size_t add_certificate(const X509* cert, const AnchorProvenance& provenance);

    // Imports a CSCA master list. With `trusted_signer_roots`, its CMS signature and signer chain must
    // verify (at `at`), else CryptoError and nothing is imported; without, the anchors are imported
    // marked unverified. ParseError when the list is malformed.
    MasterListImport add_master_list(ByteView cms_der, const std::string& source,
                                     const std::vector<const X509*>& trusted_signer_roots, std::time_t at);
    MasterListImport add_master_list_file(const std::filesystem::path& path,
                                          const std::vector<const X509*>& trusted_signer_roots, std::time_t at);

    // CRLs (DER or PEM). Each is kept only when a CSCA in the store issued it (name and signature);
    // returns how many were kept.
    std::size_t add_crls(ByteView der_or_pem, const std::string& source);
    std::size_t add_crl_file(const std::filesystem::path& path);

    // Anchors that may have issued `cert`: same subject as its issuer and, when both carry key
    // identifiers, the same key identifier. The signature is not checked here.
    std::vector<const TrustAnchor*> candidate_issuers(const X509* cert) const;
    // The CRLs this anchor issued (by name and a verifying signature).
    std::vector<const StoredCrl*> crls_for(const TrustAnchor& anchor) const;

    const std::vector<TrustAnchor>& anchors() const noexcept { return anchors_; }
    std::size_t size() const noexcept { return anchors_.size(); }
    // Anchors whose subject contains `text` (for tools and tests).
    std::vector<const TrustAnchor*> find_by_subject(const std::string& text) const;

private:
    std::vector<TrustAnchor> anchors_;
    std::vector<StoredCrl> crls_;
};

}  // namespace cccd::pa
