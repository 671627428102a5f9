#include "card/pa/cms_verify.hpp"

#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/hash.hpp"

namespace cccd::pa {

crypto::X509Ptr find_signer_certificate(const lds::SignerInfo& signer, const std::vector<Bytes>& certificates) {
    X509NamePtr issuer;
    Asn1IntegerPtr serial;
    if (!signer.issuer_name.empty()) {
        const unsigned char* p = signer.issuer_name.data();
        issuer.reset(d2i_X509_NAME(nullptr, &p, static_cast<long>(signer.issuer_name.size())));
        Bytes encoded_serial = tlv::encode(tlv::asn1::kInteger, signer.serial_number);
        const unsigned char* q = encoded_serial.data();
        serial.reset(d2i_ASN1_INTEGER(nullptr, &q, static_cast<long>(encoded_serial.size())));
        if (!issuer || !serial) {
            crypto::clear_openssl_errors();
            return nullptr;
        }
    }
    for (const auto& der : certificates) {
        crypto::X509Ptr cert;
        try {
            cert = certificate_from_der(der);
        } catch (const ParseError&) {
            continue;
        }
        if (issuer) {
            if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), issuer.get()) == 0 &&
                ASN1_INTEGER_cmp(X509_get0_serialNumber(cert.get()), serial.get()) == 0)
                return cert;
        } else if (!signer.subject_key_identifier.empty() &&
                   constant_time_equal(subject_key_id(cert.get()), signer.subject_key_identifier)) {
            return cert;
        }
    }
    return nullptr;
}

SignerCheck verify_signer_info(const lds::SignerInfo& signer, std::string_view expected_content_type, ByteView content,
                               EVP_PKEY* key) {
    try {
        auto digest_alg = crypto::hash_from_oid(signer.digest_algorithm.oid);
        if (!digest_alg) return {false, "unknown digest algorithm " + signer.digest_algorithm.oid};

        ByteView signed_bytes = content;
        Bytes attributes;
        if (!signer.signed_attributes.empty()) {
            if (!signer.content_type) return {false, "the signed attributes lack the contentType attribute"};
            if (*signer.content_type != expected_content_type)
                return {false, "the contentType attribute (" + *signer.content_type + ") does not match the content (" +
                                   std::string(expected_content_type) + ")"};
            if (!signer.message_digest) return {false, "the signed attributes lack the messageDigest attribute"};
            if (!constant_time_equal(*signer.message_digest, crypto::digest(*digest_alg, content)))
                return {false, "the messageDigest attribute does not match the " +
                                   std::string(crypto::hash_name(*digest_alg)) + " of the signed content"};
            attributes = signer.signed_attributes_for_signature();
            signed_bytes = attributes;
        }

        SignerCheck check = verify_signature(signer.signature_algorithm, signer.signature, signed_bytes, key, *digest_alg);
        if (check.ok) check.reason = algorithm_name(signer.signature_algorithm.oid) + " signature over the signed attributes verifies";
        return check;
    } catch (const Error& e) {
        crypto::clear_openssl_errors();
        return {false, e.what()};
    }
}

}  // namespace cccd::pa
