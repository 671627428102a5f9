#include "card/pa/cms_verify.hpp"

#include <climits>

#include <openssl/ecdsa.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/ec.hpp"
#include "crypto/hash.hpp"

namespace cccd::pa {

namespace {

using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, crypto::Deleter<ASN1_OBJECT_free>>;

constexpr std::string_view kRsaPssOid = "1.2.840.113549.1.1.10";
// BSI TR-03111 ecdsa-plain-signatures: r || s instead of a DER SEQUENCE.

int nid_of(std::string_view dotted) {
    Asn1ObjectPtr obj(OBJ_txt2obj(std::string(dotted).c_str(), 1));
    if (!obj) {
        crypto::clear_openssl_errors();
        return NID_undef;
    }
    return OBJ_obj2nid(obj.get());
}

struct PssParams {
    const EVP_MD* md = EVP_sha1();
    const EVP_MD* mgf1_md = EVP_sha1();
    int salt_length = 20;
};

// RSASSA-PSS-params (RFC 4055) with its SHA-1 defaults.
PssParams read_pss_params(ByteView der) {
    PssParams p;
    if (der.empty()) return p;
    auto seq = tlv::read_single(der, tlv::asn1::kSequence);
    tlv::Reader r(seq.value);
    if (auto hash = r.next_if(0xA0)) {
        auto alg = tlv::read_single(hash->value, tlv::asn1::kSequence);
        tlv::Reader ar(alg.value);
        auto h = crypto::hash_from_oid(tlv::asn1::decode_oid_value(ar.expect(tlv::asn1::kOid).value));
        if (!h) throw ParseError("RSASSA-PSS: unknown hash algorithm");
        p.md = crypto::evp_md(*h);
    }
    if (auto mgf = r.next_if(0xA1)) {
        auto alg = tlv::read_single(mgf->value, tlv::asn1::kSequence);
        tlv::Reader ar(alg.value);
        ar.expect(tlv::asn1::kOid);  // id-mgf1 is the only one defined
        auto inner = tlv::read_single(ar.expect(tlv::asn1::kSequence).raw, tlv::asn1::kSequence);
        tlv::Reader ir(inner.value);
        auto h = crypto::hash_from_oid(tlv::asn1::decode_oid_value(ir.expect(tlv::asn1::kOid).value));
        if (!h) throw ParseError("RSASSA-PSS: unknown MGF1 hash algorithm");
        p.mgf1_md = crypto::evp_md(*h);
    }
    if (auto salt = r.next_if(0xA2)) {
        auto v = tlv::read_single(salt->value, tlv::asn1::kInteger);
        p.salt_length = static_cast<int>(tlv::asn1::decode_integer_value(v.value, 1024));
    }
    return p;
}

bool digest_verify(EVP_PKEY* key, const EVP_MD* md, const PssParams* pss, ByteView signature, ByteView data) {
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    crypto::check(ctx != nullptr, "EVP_MD_CTX_new");
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    if (EVP_DigestVerifyInit(ctx.get(), &pctx, md, nullptr, key) != 1) {
        crypto::clear_openssl_errors();
        return false;
    }
    if (pss != nullptr) {
        if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, pss->salt_length) != 1 ||
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, pss->mgf1_md) != 1) {
            crypto::clear_openssl_errors();
            return false;
        }
    }
    bool ok = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data.data(), data.size()) == 1;
    crypto::clear_openssl_errors();
    return ok;
}

}  // namespace

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

        const std::string& sig_oid = signer.signature_algorithm.oid;
        const EVP_MD* fallback_md = crypto::evp_md(*digest_alg);
        Bytes signature = signer.signature;
        PssParams pss;
        const PssParams* pss_ptr = nullptr;
        const EVP_MD* md = fallback_md;
        if (auto plain = crypto::ecdsa_plain_hash_from_oid(sig_oid)) {
            md = crypto::evp_md(*plain);
            signature = crypto::ecdsa_plain_to_der(signer.signature);
        } else if (sig_oid == kRsaPssOid) {
            pss = read_pss_params(signer.signature_algorithm.parameters);
            md = pss.md;
            pss_ptr = &pss;
        } else {
            // ecdsa-with-SHA256, sha256WithRSAEncryption...: the OID names the hash. A bare key OID
            // (rsaEncryption, id-ecPublicKey) uses the SignerInfo's digest algorithm.
            int md_nid = NID_undef, pkey_nid = NID_undef;
            int nid = nid_of(sig_oid);
            if (nid != NID_undef && OBJ_find_sigid_algs(nid, &md_nid, &pkey_nid) == 1 && md_nid != NID_undef) {
                const EVP_MD* named = EVP_get_digestbynid(md_nid);
                if (named != nullptr) md = named;
            } else if (nid != NID_rsaEncryption && nid != NID_X9_62_id_ecPublicKey) {
                return {false, "unsupported signature algorithm " + sig_oid};
            }
        }
        if (!digest_verify(key, md, pss_ptr, signature, signed_bytes))
            return {false, "the " + algorithm_name(sig_oid) + " signature does not verify with the signer's key"};
        return {true, algorithm_name(sig_oid) + " signature over the signed attributes verifies"};
    } catch (const Error& e) {
        crypto::clear_openssl_errors();
        return {false, e.what()};
    }
}

std::string algorithm_name(std::string_view dotted_oid) {
    if (auto plain = crypto::ecdsa_plain_hash_from_oid(dotted_oid)) {
        auto name = std::string(crypto::hash_name(*plain));
        std::erase(name, '-');
        return "ecdsa-plain-" + name;
    }
    int nid = nid_of(dotted_oid);
    if (nid == NID_undef) return std::string(dotted_oid);
    const char* ln = OBJ_nid2ln(nid);
    return ln != nullptr ? std::string(ln) : std::string(dotted_oid);
}

}  // namespace cccd::pa
