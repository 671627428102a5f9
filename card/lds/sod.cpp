#include "card/lds/sod.hpp"

#include <algorithm>
#include <climits>
#include <set>

#include <openssl/cms.h>
#include <openssl/objects.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/hash.hpp"

namespace cccd::lds {

namespace {

namespace asn1 = tlv::asn1;

constexpr tlv::Tag kContext0Constructed = 0xA0;
constexpr tlv::Tag kContext1Constructed = 0xA1;
constexpr tlv::Tag kContext0Primitive = 0x80;
constexpr tlv::Tag kUtcTime = 0x17;
constexpr tlv::Tag kGeneralizedTime = 0x18;

constexpr std::string_view kContentTypeAttr = "1.2.840.113549.1.9.3";
constexpr std::string_view kMessageDigestAttr = "1.2.840.113549.1.9.4";
constexpr std::string_view kSigningTimeAttr = "1.2.840.113549.1.9.5";

// A small non-negative DER INTEGER; non-minimal encodings are refused so re-encoding gives the same bytes.
int read_small_int(const tlv::Element& e, std::uint64_t max, const char* what) {
    if (e.value.size() > 1 && e.value[0] == 0 && (e.value[1] & 0x80) == 0)
        throw ParseError(std::string(what) + ": INTEGER has a non-minimal encoding");
    return static_cast<int>(asn1::decode_integer_value(e.value, max));
}

std::string read_oid(tlv::Reader& r) { return asn1::decode_oid_value(r.expect(asn1::kOid).value); }

Bytes encode_algorithm(const AlgorithmIdentifier& a) {
    return tlv::encode_constructed(asn1::kSequence, {asn1::encode_oid(a.oid), a.parameters});
}

std::string printable(ByteView v, const char* what) {
    for (auto c : v) {
        if (c < 0x20 || c > 0x7E) throw ParseError(std::string(what) + ": not a printable string");
    }
    return to_string(v);
}

bool all_digits(ByteView v) {
    return std::all_of(v.begin(), v.end(), [](std::uint8_t c) { return c >= '0' && c <= '9'; });
}

// UTCTime "YYMMDDHHMMSSZ" or GeneralizedTime "YYYYMMDDHHMMSSZ" -> "YYYY-MM-DDTHH:MM:SSZ".
std::string read_time(const tlv::Element& e) {
    std::string year;
    ByteView rest;
    if (e.tag == kUtcTime && e.value.size() == 13) {
        auto yy = e.value.first(2);
        if (!all_digits(yy)) throw ParseError("signingTime: not a valid UTCTime");
        // RFC 5280: UTCTime years 50..99 are 19xx, 00..49 are 20xx.
        year = (yy[0] >= '5' ? "19" : "20") + to_string(yy);
        rest = e.value.subspan(2);
    } else if (e.tag == kGeneralizedTime && e.value.size() == 15) {
        year = to_string(e.value.first(4));
        if (!all_digits(e.value.first(4))) throw ParseError("signingTime: not a valid GeneralizedTime");
        rest = e.value.subspan(4);
    } else {
        throw ParseError("signingTime: expected UTCTime or GeneralizedTime in the form ...HHMMSSZ");
    }
    if (rest.back() != 'Z' || !all_digits(rest.first(10))) throw ParseError("signingTime: malformed time");
    auto s = to_string(rest);
    return year + "-" + s.substr(0, 2) + "-" + s.substr(2, 2) + "T" + s.substr(4, 2) + ":" + s.substr(6, 2) + ":" +
           s.substr(8, 2) + "Z";
}

// The value of an OCTET STRING, also in BER's constructed form (segments, any length form).
Bytes read_octet_string(const tlv::Element& e) { return tlv::string_value(e, asn1::kOctetString); }

void read_signed_attributes(SignerInfo& si, const tlv::Element& attrs) {
    si.signed_attributes.assign(attrs.raw.begin(), attrs.raw.end());
    std::set<std::string> seen;
    tlv::Reader r(attrs.value);
    while (!r.at_end()) {
        tlv::Reader attr(r.expect(asn1::kSequence).value);
        std::string type = read_oid(attr);
        auto values = attr.expect(asn1::kSet);
        attr.expect_end();
        // RFC 5652 5.3: each attribute type appears once; a second messageDigest would be ambiguous.
        if (!seen.insert(type).second) throw ParseError("SignerInfo: signed attribute " + type + " appears twice");
        tlv::Reader vr(values.value);
        auto first = vr.next();
        bool single = vr.at_end();
        if (type == kContentTypeAttr || type == kMessageDigestAttr || type == kSigningTimeAttr) {
            if (!single) throw ParseError("SignerInfo: attribute " + type + " must have exactly one value");
        }
        if (type == kContentTypeAttr) {
            if (first.tag != asn1::kOid) throw ParseError("SignerInfo: contentType attribute is not an OID");
            si.content_type = asn1::decode_oid_value(first.value);
        } else if (type == kMessageDigestAttr) {
            if (first.tag != asn1::kOctetString) throw ParseError("SignerInfo: messageDigest is not an OCTET STRING");
            si.message_digest = Bytes(first.value.begin(), first.value.end());
        } else if (type == kSigningTimeAttr) {
            si.signing_time = read_time(first);
        }
    }
}

SignerInfo read_signer_info(const tlv::Element& e) {
    if (e.tag != asn1::kSequence) throw ParseError("SignerInfo: expected a SEQUENCE");
    tlv::Reader r(e.value);
    SignerInfo si;
    si.version = read_small_int(r.expect(asn1::kInteger), 5, "SignerInfo version");
    auto sid = r.next();
    if (sid.tag == asn1::kSequence) {
        tlv::Reader ias(sid.value);
        auto name = ias.expect(asn1::kSequence);
        si.issuer_name.assign(name.raw.begin(), name.raw.end());
        auto serial = ias.expect(asn1::kInteger);
        if (serial.value.empty()) throw ParseError("SignerInfo: empty serial number");
        si.serial_number.assign(serial.value.begin(), serial.value.end());
        ias.expect_end();
    } else if (sid.tag == kContext0Primitive) {
        si.subject_key_identifier.assign(sid.value.begin(), sid.value.end());
    } else {
        throw ParseError("SignerInfo: unknown signer identifier");
    }
    si.digest_algorithm = read_algorithm(r.next());
    if (auto attrs = r.next_if(kContext0Constructed)) read_signed_attributes(si, *attrs);
    si.signature_algorithm = read_algorithm(r.next());
    si.signature = read_octet_string(r.next());
    r.next_if(kContext1Constructed);  // unsigned attributes are not signed, so nothing here relies on them
    r.expect_end();
    return si;
}

}  // namespace

AlgorithmIdentifier read_algorithm(const tlv::Element& e) {
    if (e.tag != asn1::kSequence) throw ParseError("AlgorithmIdentifier: expected a SEQUENCE");
    tlv::Reader r(e.value);
    AlgorithmIdentifier a;
    a.oid = read_oid(r);
    if (!r.at_end()) {
        auto params = r.next();
        a.parameters.assign(params.raw.begin(), params.raw.end());
    }
    r.expect_end();
    return a;
}

// ---- LDSSecurityObject ----

std::optional<crypto::HashAlgorithm> LdsSecurityObject::known_hash() const {
    return crypto::hash_from_oid(hash_algorithm.oid);
}

const Bytes* LdsSecurityObject::hash_of(int data_group) const {
    for (const auto& h : data_group_hashes) {
        if (h.number == data_group) return &h.hash;
    }
    return nullptr;
}

Bytes encode_lds_security_object(const LdsSecurityObject& lso) {
    if (lso.version < 0 || lso.version > 1) throw InvalidArgument("LDSSecurityObject: version must be 0 or 1");
    Bytes hashes;
    for (const auto& h : lso.data_group_hashes) {
        if (h.number < 1 || h.number > 16) throw InvalidArgument("LDSSecurityObject: data group number out of 1..16");
        append(hashes, tlv::encode_constructed(asn1::kSequence,
                                               {asn1::encode_integer(static_cast<std::uint64_t>(h.number)),
                                                tlv::encode(asn1::kOctetString, h.hash)}));
    }
    Bytes version_info;
    if (lso.version_info) {
        version_info = tlv::encode_constructed(
            asn1::kSequence, {tlv::encode(asn1::kPrintableString, view(lso.version_info->lds_version)),
                              tlv::encode(asn1::kPrintableString, view(lso.version_info->unicode_version))});
    }
    return tlv::encode_constructed(asn1::kSequence,
                                   {asn1::encode_integer(static_cast<std::uint64_t>(lso.version)),
                                    encode_algorithm(lso.hash_algorithm), tlv::encode(asn1::kSequence, hashes),
                                    version_info});
}

LdsSecurityObject decode_lds_security_object(ByteView der) {
    auto top = tlv::read_single(der, asn1::kSequence);
    tlv::Reader r(top.value);
    LdsSecurityObject lso;
    lso.version = read_small_int(r.expect(asn1::kInteger), 1, "LDSSecurityObject version");
    lso.hash_algorithm = read_algorithm(r.next());
    tlv::Reader hashes(r.expect(asn1::kSequence).value);
    std::set<int> seen;
    while (!hashes.at_end()) {
        tlv::Reader dgh(hashes.expect(asn1::kSequence).value);
        DataGroupHash h;
        h.number = read_small_int(dgh.expect(asn1::kInteger), 16, "DataGroupHash number");
        if (h.number < 1) throw ParseError("LDSSecurityObject: data group number 0");
        auto value = dgh.expect(asn1::kOctetString).value;
        h.hash.assign(value.begin(), value.end());
        dgh.expect_end();
        if (!seen.insert(h.number).second)
            throw ParseError("LDSSecurityObject: DG" + std::to_string(h.number) + " is listed twice");
        lso.data_group_hashes.push_back(std::move(h));
    }
    if (auto vi = r.next_if(asn1::kSequence)) {
        tlv::Reader v(vi->value);
        LdsVersionInfo info;
        info.lds_version = printable(v.expect(asn1::kPrintableString).value, "ldsVersion");
        info.unicode_version = printable(v.expect(asn1::kPrintableString).value, "unicodeVersion");
        v.expect_end();
        lso.version_info = std::move(info);
    }
    r.expect_end();
    return lso;
}

LdsSecurityObject make_lds_security_object(const std::vector<std::pair<int, Bytes>>& data_groups,
                                           crypto::HashAlgorithm hash) {
    LdsSecurityObject lso;
    lso.hash_algorithm.oid = std::string(crypto::hash_oid(hash));
    auto sorted = data_groups;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [number, content] : sorted) {
        if (number < 1 || number > 16) throw InvalidArgument("data group number must be 1..16");
        lso.data_group_hashes.push_back({number, crypto::digest(hash, content)});
    }
    return lso;
}

// ---- SignedData ----

Bytes SignerInfo::signed_attributes_for_signature() const {
    if (signed_attributes.empty()) return {};
    // RFC 5652 5.4: the signature covers the DER of the attributes with an EXPLICIT SET OF tag.
    Bytes out = signed_attributes;
    out[0] = static_cast<std::uint8_t>(asn1::kSet);
    return out;
}

SignedData parse_signed_data(ByteView content_info) {
    auto ci = tlv::read_single(content_info, asn1::kSequence);
    tlv::Reader cr(ci.value);
    if (read_oid(cr) != kSignedDataOid) throw ParseError("CMS: the content is not SignedData");
    auto explicit_content = cr.expect(kContext0Constructed);
    cr.expect_end();
    auto sd_element = tlv::read_single(explicit_content.value, asn1::kSequence);

    SignedData sd;
    tlv::Reader r(sd_element.value);
    sd.version = read_small_int(r.expect(asn1::kInteger), 5, "SignedData version");
    tlv::Reader algs(r.expect(asn1::kSet).value);
    while (!algs.at_end()) sd.digest_algorithms.push_back(read_algorithm(algs.next()));

    tlv::Reader encap(r.expect(asn1::kSequence).value);
    sd.content_type = read_oid(encap);
    auto econtent = encap.next_if(kContext0Constructed);
    encap.expect_end();
    if (!econtent) throw ParseError("CMS: SignedData has no encapsulated content (detached signatures are not used here)");
    sd.content = read_octet_string(tlv::read_single(econtent->value));

    if (auto certs = r.next_if(kContext0Constructed)) {
        tlv::Reader cert_reader(certs->value);
        while (!cert_reader.at_end()) {
            auto c = cert_reader.next();
            // Only plain X.509 certificates (SEQUENCE); other CertificateChoices are skipped.
            if (c.tag == asn1::kSequence) sd.certificates.emplace_back(c.raw.begin(), c.raw.end());
        }
    }
    if (auto crls = r.next_if(kContext1Constructed)) {
        tlv::Reader crl_reader(crls->value);
        while (!crl_reader.at_end()) {
            auto c = crl_reader.next();
            if (c.tag == asn1::kSequence) sd.crls.emplace_back(c.raw.begin(), c.raw.end());
        }
    }
    tlv::Reader signers(r.expect(asn1::kSet).value);
    r.expect_end();
    while (!signers.at_end()) sd.signers.push_back(read_signer_info(signers.next()));
    if (sd.signers.empty()) throw ParseError("CMS: SignedData has no SignerInfo");
    return sd;
}

namespace {
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, crypto::Deleter<ASN1_OBJECT_free>>;
}  // namespace

Bytes sign_signed_data(std::string_view content_type_oid, ByteView content, EVP_PKEY* signer_key, X509* signer_cert,
                       crypto::HashAlgorithm digest) {
    if (signer_key == nullptr || signer_cert == nullptr) throw InvalidArgument("CMS signing needs a key and a certificate");
    if (content.size() > INT_MAX) throw InvalidArgument("CMS content too large");
    // CMS_PARTIAL lets us set the eContentType before the content is digested; CMS_NOSMIMECAP keeps
    // the signed attributes to what ICAO 9303 readers expect.
    constexpr unsigned int flags = CMS_BINARY | CMS_PARTIAL | CMS_NOSMIMECAP;
    crypto::CmsPtr cms(CMS_sign(nullptr, nullptr, nullptr, nullptr, flags));
    crypto::check(cms != nullptr, "CMS_sign");
    Asn1ObjectPtr type(OBJ_txt2obj(std::string(content_type_oid).c_str(), 1));
    crypto::check(type != nullptr, "OBJ_txt2obj");
    crypto::check(CMS_set1_eContentType(cms.get(), type.get()) == 1, "CMS_set1_eContentType");
    crypto::check(CMS_add1_signer(cms.get(), signer_cert, signer_key, crypto::evp_md(digest), flags) != nullptr,
                  "CMS_add1_signer");
    crypto::BioPtr in(BIO_new_mem_buf(content.data(), static_cast<int>(content.size())));
    crypto::check(in != nullptr, "BIO_new_mem_buf");
    crypto::check(CMS_final(cms.get(), in.get(), nullptr, flags) == 1, "CMS_final");
    unsigned char* der = nullptr;
    int len = i2d_CMS_ContentInfo(cms.get(), &der);
    crypto::check(len > 0 && der != nullptr, "i2d_CMS_ContentInfo");
    Bytes out(der, der + len);
    OPENSSL_free(der);
    return out;
}

// ---- EF.SOD ----

Sod parse_sod(ByteView ef_sod) {
    auto outer = tlv::read_single(ef_sod, kSodTag);
    Sod sod;
    sod.signed_data = parse_signed_data(outer.value);
    if (sod.signed_data.content_type != kLdsSecurityObjectOid)
        throw ParseError("EF.SOD: the signed content is " + sod.signed_data.content_type +
                         ", not an LDSSecurityObject");
    sod.security_object = decode_lds_security_object(sod.signed_data.content);
    return sod;
}

Bytes build_sod(const LdsSecurityObject& lso, EVP_PKEY* ds_key, X509* ds_cert, crypto::HashAlgorithm signature_digest) {
    auto content_info =
        sign_signed_data(kLdsSecurityObjectOid, encode_lds_security_object(lso), ds_key, ds_cert, signature_digest);
    return tlv::encode(kSodTag, content_info);
}

}  // namespace cccd::lds
