#include "apps/cccd-card/sod_json.hpp"

#include <cstdint>

#include <openssl/objects.h>

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/cms_verify.hpp"
#include "crypto/hash.hpp"

namespace cccd::tool {

namespace {

std::int64_t as_int(std::size_t n) { return static_cast<std::int64_t>(n); }

std::string hash_label(std::string_view oid) {
    auto h = crypto::hash_from_oid(oid);
    return h ? std::string(crypto::hash_name(*h)) : std::string(oid);
}

std::string der_name_to_string(const Bytes& der) {
    const unsigned char* p = der.data();
    pa::X509NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(der.size())));
    if (!name) {
        crypto::clear_openssl_errors();
        return "?";
    }
    return pa::name_to_string(name.get());
}

void write_certificate(const X509* cert, JsonWriter& out) {
    out.begin_object();
    out.field("subject", pa::subject_of(cert));
    out.field("issuer", pa::issuer_of(cert));
    out.field("serial", pa::serial_hex(cert));
    out.field("not_before", pa::time_to_string(X509_get0_notBefore(cert)));
    out.field("not_after", pa::time_to_string(X509_get0_notAfter(cert)));
    out.field("key_type", pa::describe_key(cert));
    const char* sig = OBJ_nid2ln(X509_get_signature_nid(cert));
    out.field("signature_algorithm", sig != nullptr ? sig : "unknown");
    out.end_object();
}

void write_signer(const lds::SignerInfo& si, JsonWriter& out) {
    out.begin_object();
    out.field("version", std::int64_t{si.version});
    if (!si.issuer_name.empty()) {
        out.field("issuer", der_name_to_string(si.issuer_name));
        out.field("serial", to_hex(si.serial_number));
    } else {
        out.field("subject_key_identifier", to_hex(si.subject_key_identifier));
    }
    out.field("digest_algorithm", hash_label(si.digest_algorithm.oid));
    out.field("signature_algorithm", pa::algorithm_name(si.signature_algorithm.oid));
    out.field("signature_algorithm_oid", si.signature_algorithm.oid);
    out.key("content_type");
    if (si.content_type) out.value(*si.content_type); else out.null();
    out.key("message_digest");
    if (si.message_digest) out.value(to_hex(*si.message_digest)); else out.null();
    out.key("signing_time");
    if (si.signing_time) out.value(*si.signing_time); else out.null();
    out.end_object();
}

}  // namespace

void write_sod_json(ByteView sod_bytes, JsonWriter& out) {
    auto sod = lds::parse_sod(sod_bytes);  // ParseError for a malformed SOD, before anything is written
    const auto& lso = sod.security_object;
    const auto& sd = sod.signed_data;

    // Decode the embedded certificates first, so a bad one cannot leave half an object behind.
    std::vector<crypto::X509Ptr> certificates;
    for (const auto& der : sd.certificates) certificates.push_back(pa::certificate_from_der(der));

    out.begin_object();
    out.field("lds_security_object_version", std::int64_t{lso.version});
    out.field("hash_algorithm", hash_label(lso.hash_algorithm.oid));
    out.field("hash_algorithm_oid", lso.hash_algorithm.oid);
    if (lso.version_info) {
        out.field("lds_version", lso.version_info->lds_version);
        out.field("unicode_version", lso.version_info->unicode_version);
    }
    out.key("data_group_hashes").begin_array();
    for (const auto& h : lso.data_group_hashes) {
        out.begin_object();
        out.field("data_group", std::int64_t{h.number});
        out.field("hash", to_hex(h.hash));
        out.end_object();
    }
    out.end_array();

    out.key("signers").begin_array();
    for (const auto& si : sd.signers) write_signer(si, out);
    out.end_array();

    // The DS certificate is the one the (first) SignerInfo names; other embedded certificates are listed too.
    auto ds = pa::find_signer_certificate(sd.signers.front(), sd.certificates);
    out.key("ds_certificate");
    if (ds) write_certificate(ds.get(), out); else out.null();
    out.field("embedded_certificates", as_int(certificates.size()));
    out.end_object();
}

}  // namespace cccd::tool
