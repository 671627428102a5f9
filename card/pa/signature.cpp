#include "card/pa/signature.hpp"

#include <openssl/objects.h>
#include <openssl/rsa.h>

#include "base/error.hpp"
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

SignatureCheck verify_signature(const lds::AlgorithmIdentifier& algorithm, ByteView signature_bytes, ByteView data,
                                EVP_PKEY* key, std::optional<crypto::HashAlgorithm> digest_for_bare_key) {
    try {
        const std::string& sig_oid = algorithm.oid;
        Bytes signature(signature_bytes.begin(), signature_bytes.end());
        PssParams pss;
        const PssParams* pss_ptr = nullptr;
        const EVP_MD* md = nullptr;
        if (auto plain = crypto::ecdsa_plain_hash_from_oid(sig_oid)) {
            md = crypto::evp_md(*plain);
            signature = crypto::ecdsa_plain_to_der(signature_bytes);
        } else if (sig_oid == kRsaPssOid) {
            pss = read_pss_params(algorithm.parameters);
            md = pss.md;
            pss_ptr = &pss;
        } else {
            // ecdsa-with-SHA256, sha256WithRSAEncryption...: the OID names the hash. A bare key OID
            // (rsaEncryption, id-ecPublicKey), which CMS allows, takes the digest the caller names.
            int md_nid = NID_undef, pkey_nid = NID_undef;
            int nid = nid_of(sig_oid);
            if (nid != NID_undef && OBJ_find_sigid_algs(nid, &md_nid, &pkey_nid) == 1 && md_nid != NID_undef) {
                md = EVP_get_digestbynid(md_nid);
            } else if ((nid == NID_rsaEncryption || nid == NID_X9_62_id_ecPublicKey) && digest_for_bare_key) {
                md = crypto::evp_md(*digest_for_bare_key);
            }
            if (md == nullptr) return {false, "unsupported signature algorithm " + sig_oid};
        }
        if (!digest_verify(key, md, pss_ptr, signature, data))
            return {false, "the " + algorithm_name(sig_oid) + " signature does not verify with the signer's key"};
        return {true, algorithm_name(sig_oid) + " signature verifies"};
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
