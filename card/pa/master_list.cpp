#include "card/pa/master_list.hpp"

#include <algorithm>

#include <openssl/x509v3.h>

#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/cms_verify.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::pa {

namespace asn1 = tlv::asn1;

MasterList parse_master_list(ByteView cms_der) {
    MasterList list;
    list.signed_data = lds::parse_signed_data(cms_der);
    if (list.signed_data.content_type != kCscaMasterListOid)
        throw ParseError("master list: the signed content is " + list.signed_data.content_type +
                         ", not a CscaMasterList");
    auto top = tlv::read_single(list.signed_data.content, asn1::kSequence);
    tlv::Reader r(top.value);
    list.version = static_cast<int>(asn1::decode_integer_value(r.expect(asn1::kInteger).value, 0));
    tlv::Reader certs(r.expect(asn1::kSet).value);
    r.expect_end();
    while (!certs.at_end()) {
        auto c = certs.expect(asn1::kSequence);
        list.certificates.emplace_back(c.raw.begin(), c.raw.end());
    }
    return list;
}

Bytes encode_csca_master_list(const std::vector<Bytes>& certificates) {
    // DER orders a SET OF by the encodings' bytes.
    auto sorted = certificates;
    std::sort(sorted.begin(), sorted.end());
    Bytes set;
    for (const auto& c : sorted) append(set, c);
    return tlv::encode_constructed(asn1::kSequence, {asn1::encode_integer(0), tlv::encode(asn1::kSet, set)});
}

namespace {

// The signer certificate must be one of the roots, or be issued by one of them. Checked by hand:
// name, signature (signature_verifies takes explicit EC parameters), validity and key usage.
std::string check_signer_chain(const X509* signer, const std::vector<const X509*>& roots, std::time_t at) {
    if (validity_position(signer, at) != 0)
        return "the master list signer certificate is not valid on the verification date (valid " +
               date_to_string(X509_get0_notBefore(signer)) + " to " + date_to_string(X509_get0_notAfter(signer)) + ")";
    std::string last_problem = "its issuer " + issuer_of(signer) + " is not among the trusted master list roots";
    for (const X509* root : roots) {
        if (root == nullptr) continue;
        if (X509_cmp(signer, root) == 0) return "";
        if (X509_NAME_cmp(X509_get_issuer_name(signer), X509_get_subject_name(root)) != 0) continue;
        if (!signature_verifies(signer, root)) {
            last_problem = "its certificate signature does not verify with " + subject_of(root);
            continue;
        }
        if (validity_position(root, at) != 0) {
            last_problem = "the root " + subject_of(root) + " is not valid on the verification date";
            continue;
        }
        std::uint32_t usage = X509_get_key_usage(const_cast<X509*>(signer));
        if (usage != UINT32_MAX && (usage & KU_DIGITAL_SIGNATURE) == 0) {
            last_problem = "the signer certificate does not allow digital signatures";
            continue;
        }
        return "";
    }
    return last_problem;
}

}  // namespace

MasterListVerification verify_master_list(const MasterList& list, const std::vector<const X509*>& trusted_roots,
                                          std::time_t at) {
    MasterListVerification result;
    try {
        for (const auto& signer : list.signed_data.signers) {
            auto cert = find_signer_certificate(signer, list.signed_data.certificates);
            if (!cert) {
                result.reason = "the master list does not embed its signer's certificate";
                continue;
            }
            result.signer_subject = subject_of(cert.get());
            EVP_PKEY* key = X509_get0_pubkey(cert.get());
            if (key == nullptr) {
                crypto::clear_openssl_errors();
                result.reason = "the signer certificate's public key cannot be read";
                continue;
            }
            auto sig = verify_signer_info(signer, kCscaMasterListOid, list.signed_data.content, key);
            if (!sig.ok) {
                result.reason = "master list signature: " + sig.reason;
                continue;
            }
            auto chain = check_signer_chain(cert.get(), trusted_roots, at);
            if (!chain.empty()) {
                result.reason = "master list signer " + result.signer_subject + ": " + chain;
                continue;
            }
            result.verified = true;
            result.reason = "signature verifies; signer " + result.signer_subject + " chains to a trusted root";
            return result;
        }
    } catch (const Error& e) {
        result.verified = false;
        result.reason = e.what();
    }
    if (result.reason.empty()) result.reason = "the master list has no usable signer";
    return result;
}

}  // namespace cccd::pa
