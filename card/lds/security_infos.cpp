#include "card/lds/security_infos.hpp"

#include <algorithm>
#include <utility>

#include "base/error.hpp"
#include "card/lds/reading.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "SecurityInfos";
constexpr tlv::Tag kDg14Tag = 0x6E;
constexpr std::uint64_t kMaxInt = UINT64_MAX;

// How many arcs `oid` has after `prefix`; -1 when it does not start with the prefix.
int arcs_after(std::string_view oid, std::string_view prefix) {
    if (oid.size() <= prefix.size() || oid.substr(0, prefix.size()) != prefix || oid[prefix.size()] != '.') return -1;
    auto rest = oid.substr(prefix.size() + 1);
    return 1 + static_cast<int>(std::count(rest.begin(), rest.end(), '.'));
}

std::optional<std::uint64_t> optional_integer(tlv::Reader& r, std::string_view what) {
    if (r.at_end()) return std::nullopt;
    return detail::read_integer(detail::next_element(r, what), kMaxInt, what);
}

void expect_end(const tlv::Reader& r, std::string_view what) {
    if (!r.at_end()) detail::fail(what, "unexpected data at the end");
}

SecurityInfo read_info(const tlv::Element& element) {
    detail::require_tag(element, tlv::asn1::kSequence, kWhat);
    tlv::Reader r(element.value);
    std::string protocol = detail::read_oid(detail::expect_tag(r, tlv::asn1::kOid, kWhat), kWhat);
    if (arcs_after(protocol, kIdPace) == 2) {
        constexpr std::string_view what = "PACEInfo";
        PaceInfo p;
        p.protocol = protocol;
        p.version = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, what), kMaxInt, what);
        p.parameter_id = optional_integer(r, what);
        expect_end(r, what);
        return p;
    }
    if (arcs_after(protocol, kIdCa) == 2) {
        constexpr std::string_view what = "ChipAuthenticationInfo";
        ChipAuthenticationInfo c;
        c.protocol = protocol;
        c.version = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, what), kMaxInt, what);
        c.key_id = optional_integer(r, what);
        expect_end(r, what);
        return c;
    }
    if (arcs_after(protocol, kIdPk) == 1) {
        constexpr std::string_view what = "ChipAuthenticationPublicKeyInfo";
        ChipAuthenticationPublicKeyInfo k;
        k.protocol = protocol;
        auto spki = detail::expect_tag(r, tlv::asn1::kSequence, what);
        k.public_key_info.assign(spki.raw.begin(), spki.raw.end());
        k.key_id = optional_integer(r, what);
        expect_end(r, what);
        return k;
    }
    if (protocol == kIdTa) {
        constexpr std::string_view what = "TAInfo";
        TerminalAuthenticationInfo t;
        t.version = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, what), kMaxInt, what);
        if (!r.at_end()) {
            auto file_id = r.next();
            t.ef_cvca = Bytes(file_id.raw.begin(), file_id.raw.end());
        }
        expect_end(r, what);
        return t;
    }
    if (protocol == kIdAa) {
        constexpr std::string_view what = "ActiveAuthenticationInfo";
        ActiveAuthenticationInfo a;
        a.version = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, what), kMaxInt, what);
        a.signature_algorithm = detail::read_oid(detail::expect_tag(r, tlv::asn1::kOid, what), what);
        expect_end(r, what);
        return a;
    }
    return UnknownSecurityInfo{protocol, Bytes(element.raw.begin(), element.raw.end())};
}

// Checks that `der` is exactly one TLV with `tag`, for raw parts of a value built by a caller.
void check_raw(ByteView der, std::optional<tlv::Tag> tag, const char* what) {
    try {
        auto e = tlv::read_single(der);
        if (tag && e.tag != *tag) throw InvalidArgument(std::string(what) + " has the wrong tag");
    } catch (const ParseError&) {
        throw InvalidArgument(std::string(what) + " is not one well-formed DER element");
    }
}

Bytes encode_info(const SecurityInfo& info) {
    struct Visitor {
        Bytes operator()(const PaceInfo& p) const {
            if (arcs_after(p.protocol, kIdPace) != 2) throw InvalidArgument("PACEInfo: the protocol is not a PACE protocol");
            Bytes v = concat({tlv::asn1::encode_oid(p.protocol), tlv::asn1::encode_integer(p.version)});
            if (p.parameter_id) append(v, tlv::asn1::encode_integer(*p.parameter_id));
            return tlv::encode(tlv::asn1::kSequence, v);
        }
        Bytes operator()(const ChipAuthenticationInfo& c) const {
            if (arcs_after(c.protocol, kIdCa) != 2) throw InvalidArgument("ChipAuthenticationInfo: the protocol is not a CA protocol");
            Bytes v = concat({tlv::asn1::encode_oid(c.protocol), tlv::asn1::encode_integer(c.version)});
            if (c.key_id) append(v, tlv::asn1::encode_integer(*c.key_id));
            return tlv::encode(tlv::asn1::kSequence, v);
        }
        Bytes operator()(const ChipAuthenticationPublicKeyInfo& k) const {
            if (arcs_after(k.protocol, kIdPk) != 1) throw InvalidArgument("ChipAuthenticationPublicKeyInfo: the protocol is not id-PK-DH or id-PK-ECDH");
            check_raw(k.public_key_info, tlv::asn1::kSequence, "ChipAuthenticationPublicKeyInfo: the public key");
            Bytes v = concat({tlv::asn1::encode_oid(k.protocol), k.public_key_info});
            if (k.key_id) append(v, tlv::asn1::encode_integer(*k.key_id));
            return tlv::encode(tlv::asn1::kSequence, v);
        }
        Bytes operator()(const TerminalAuthenticationInfo& t) const {
            Bytes v = concat({tlv::asn1::encode_oid(kIdTa), tlv::asn1::encode_integer(t.version)});
            if (t.ef_cvca) {
                check_raw(*t.ef_cvca, std::nullopt, "TAInfo: efCVCA");
                append(v, *t.ef_cvca);
            }
            return tlv::encode(tlv::asn1::kSequence, v);
        }
        Bytes operator()(const ActiveAuthenticationInfo& a) const {
            return tlv::encode_constructed(tlv::asn1::kSequence, {tlv::asn1::encode_oid(kIdAa), tlv::asn1::encode_integer(a.version),
                                                                  tlv::asn1::encode_oid(a.signature_algorithm)});
        }
        Bytes operator()(const UnknownSecurityInfo& u) const {
            check_raw(u.der, tlv::asn1::kSequence, "SecurityInfo");
            return u.der;
        }
    };
    return std::visit(Visitor{}, info);
}

SecurityInfos read_set(const tlv::Element& set) {
    SecurityInfos out;
    tlv::Reader r(set.value);
    while (!r.at_end()) out.infos.push_back(read_info(r.next()));
    return out;
}

}  // namespace

std::string protocol_of(const SecurityInfo& info) {
    struct Visitor {
        std::string operator()(const PaceInfo& p) const { return p.protocol; }
        std::string operator()(const ChipAuthenticationInfo& c) const { return c.protocol; }
        std::string operator()(const ChipAuthenticationPublicKeyInfo& k) const { return k.protocol; }
        std::string operator()(const TerminalAuthenticationInfo&) const { return std::string(kIdTa); }
        std::string operator()(const ActiveAuthenticationInfo&) const { return std::string(kIdAa); }
        std::string operator()(const UnknownSecurityInfo& u) const { return u.protocol; }
    };
    return std::visit(Visitor{}, info);
}

std::string_view security_info_type_name(const SecurityInfo& info) {
    static constexpr std::string_view kNames[] = {"PACEInfo", "ChipAuthenticationInfo", "ChipAuthenticationPublicKeyInfo",
                                                  "TAInfo", "ActiveAuthenticationInfo", "SecurityInfo"};
    return kNames[info.index()];
}

Bytes encode(const SecurityInfos& infos) {
    std::vector<Bytes> elements;
    elements.reserve(infos.infos.size());
    for (const auto& i : infos.infos) elements.push_back(encode_info(i));
    return tlv::encode_set_of(std::move(elements));  // DER order, whatever order the entries were added in
}

SecurityInfos decode_security_infos(ByteView set_der) {
    return read_set(detail::read_one(set_der, tlv::asn1::kSet, kWhat));
}

Bytes encode(const CardAccess& card_access) { return encode(card_access.security_infos); }

CardAccess decode_card_access(ByteView bytes) {
    return CardAccess{read_set(detail::read_one(bytes, tlv::asn1::kSet, "EF.CardAccess"))};
}

Bytes encode(const Dg14& dg14) { return tlv::encode(kDg14Tag, encode(dg14.security_infos)); }

Dg14 decode_dg14(ByteView bytes) {
    auto outer = detail::read_one(bytes, kDg14Tag, "DG14");
    return Dg14{read_set(detail::read_one(outer.value, tlv::asn1::kSet, "DG14"))};
}

std::string_view oid_name(std::string_view oid) {
    static const std::pair<std::string_view, std::string_view> kNames[] = {
        {"0.4.0.127.0.7.2.2.4.1.1", "id-PACE-DH-GM-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.4.1.2", "id-PACE-DH-GM-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.4.1.3", "id-PACE-DH-GM-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.4.1.4", "id-PACE-DH-GM-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.4.2.1", "id-PACE-ECDH-GM-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.4.2.3", "id-PACE-ECDH-GM-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.4.2.4", "id-PACE-ECDH-GM-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.4.3.1", "id-PACE-DH-IM-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.4.3.2", "id-PACE-DH-IM-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.4.3.3", "id-PACE-DH-IM-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.4.3.4", "id-PACE-DH-IM-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.4.4.1", "id-PACE-ECDH-IM-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.4.4.2", "id-PACE-ECDH-IM-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.4.4.3", "id-PACE-ECDH-IM-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.4.4.4", "id-PACE-ECDH-IM-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.4.6.3", "id-PACE-ECDH-CAM-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.4.6.4", "id-PACE-ECDH-CAM-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.4.1", "id-PACE-DH-GM"},
        {"0.4.0.127.0.7.2.2.4.2", "id-PACE-ECDH-GM"},
        {"0.4.0.127.0.7.2.2.4.3", "id-PACE-DH-IM"},
        {"0.4.0.127.0.7.2.2.4.4", "id-PACE-ECDH-IM"},
        {"0.4.0.127.0.7.2.2.4.6", "id-PACE-ECDH-CAM"},
        {"0.4.0.127.0.7.2.2.3.1.1", "id-CA-DH-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.3.1.2", "id-CA-DH-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.3.1.3", "id-CA-DH-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.3.1.4", "id-CA-DH-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.3.2.1", "id-CA-ECDH-3DES-CBC-CBC"},
        {"0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128"},
        {"0.4.0.127.0.7.2.2.3.2.3", "id-CA-ECDH-AES-CBC-CMAC-192"},
        {"0.4.0.127.0.7.2.2.3.2.4", "id-CA-ECDH-AES-CBC-CMAC-256"},
        {"0.4.0.127.0.7.2.2.3.1", "id-CA-DH"},
        {"0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH"},
        {"0.4.0.127.0.7.2.2.1.1", "id-PK-DH"},
        {"0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH"},
        {"0.4.0.127.0.7.2.2.2", "id-TA"},
        {"2.23.136.1.1.5", "id-icao-mrtd-security-aaProtocolObject"},
        {"2.23.136.1.1.1", "id-icao-mrtd-security-ldsSecurityObject"},
        {"0.4.0.127.0.7.1.1.4.1.1", "ecdsa-plain-SHA1"},
        {"0.4.0.127.0.7.1.1.4.1.2", "ecdsa-plain-SHA224"},
        {"0.4.0.127.0.7.1.1.4.1.3", "ecdsa-plain-SHA256"},
        {"0.4.0.127.0.7.1.1.4.1.4", "ecdsa-plain-SHA384"},
        {"0.4.0.127.0.7.1.1.4.1.5", "ecdsa-plain-SHA512"},
        {"1.2.840.10045.4.1", "ecdsa-with-SHA1"},
        {"1.2.840.10045.4.3.1", "ecdsa-with-SHA224"},
        {"1.2.840.10045.4.3.2", "ecdsa-with-SHA256"},
        {"1.2.840.10045.4.3.3", "ecdsa-with-SHA384"},
        {"1.2.840.10045.4.3.4", "ecdsa-with-SHA512"},
        {"1.2.840.10045.2.1", "id-ecPublicKey"},
        {"1.2.840.113549.1.1.1", "rsaEncryption"},
        {"1.2.840.10046.2.1", "dhpublicnumber"},
        {"1.0.10646.1.0.8", "UTF-8 (ISO/IEC 10646)"},
        {"1.3.14.3.2.26", "SHA-1"},
        {"2.16.840.1.101.3.4.2.4", "SHA-224"},
        {"2.16.840.1.101.3.4.2.1", "SHA-256"},
        {"2.16.840.1.101.3.4.2.2", "SHA-384"},
        {"2.16.840.1.101.3.4.2.3", "SHA-512"},
    };
    for (const auto& [dotted, name] : kNames) {
        if (dotted == oid) return name;
    }
    return {};
}

std::string_view standardized_domain_parameter_name(std::uint64_t id) {
    switch (id) {
        case 0: return "1024-bit MODP group with 160-bit prime order subgroup";
        case 1: return "2048-bit MODP group with 224-bit prime order subgroup";
        case 2: return "2048-bit MODP group with 256-bit prime order subgroup";
        case 8: return "NIST P-192 (secp192r1)";
        case 9: return "brainpoolP192r1";
        case 10: return "NIST P-224 (secp224r1)";
        case 11: return "brainpoolP224r1";
        case 12: return "NIST P-256 (secp256r1)";
        case 13: return "brainpoolP256r1";
        case 14: return "brainpoolP320r1";
        case 15: return "NIST P-384 (secp384r1)";
        case 16: return "brainpoolP384r1";
        case 17: return "brainpoolP512r1";
        case 18: return "NIST P-521 (secp521r1)";
        default: return {};
    }
}

}  // namespace cccd::lds
