#pragma once
// SecurityInfos (ICAO 9303 Part 11 §9.2, BSI TR-03110): the SET of protocol descriptions in
// EF.CardAccess (31 {...}) and DG14 (6E { 31 {...} }). Decoding keeps the entries in the order found
// (a chip's SET need not be in DER order) and entries of unknown protocols raw; encoding writes the SET
// in DER order (X.690 11.6), so a SET read in DER order re-encodes to the same bytes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::lds {

// Object identifiers (dotted).
inline constexpr std::string_view kIdPace = "0.4.0.127.0.7.2.2.4";  // + .x.y for PACEInfo
inline constexpr std::string_view kIdCa = "0.4.0.127.0.7.2.2.3";    // + .x.y for ChipAuthenticationInfo
inline constexpr std::string_view kIdPk = "0.4.0.127.0.7.2.2.1";    // + .x for ChipAuthenticationPublicKeyInfo
inline constexpr std::string_view kIdTa = "0.4.0.127.0.7.2.2.2";
inline constexpr std::string_view kIdAa = "2.23.136.1.1.5";
inline constexpr std::string_view kPaceEcdhGmAes128 = "0.4.0.127.0.7.2.2.4.2.2";  // id-PACE-ECDH-GM-AES-CBC-CMAC-128
inline constexpr std::string_view kCaEcdhAes128 = "0.4.0.127.0.7.2.2.3.2.2";      // id-CA-ECDH-AES-CBC-CMAC-128
inline constexpr std::string_view kPkEcdh = "0.4.0.127.0.7.2.2.1.2";              // id-PK-ECDH
inline constexpr std::string_view kPkDh = "0.4.0.127.0.7.2.2.1.1";                // id-PK-DH

// PACEInfo ::= SEQUENCE { protocol, version INTEGER, parameterId INTEGER OPTIONAL }
struct PaceInfo {
    std::string protocol = std::string(kPaceEcdhGmAes128);
    std::uint64_t version = 2;
    std::optional<std::uint64_t> parameter_id;  // standardized domain parameters, 13 = brainpoolP256r1
    friend bool operator==(const PaceInfo&, const PaceInfo&) = default;
};

// ChipAuthenticationInfo ::= SEQUENCE { protocol, version INTEGER, keyId INTEGER OPTIONAL }
struct ChipAuthenticationInfo {
    std::string protocol = std::string(kCaEcdhAes128);
    std::uint64_t version = 1;
    std::optional<std::uint64_t> key_id;
    friend bool operator==(const ChipAuthenticationInfo&, const ChipAuthenticationInfo&) = default;
};

// ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol, SubjectPublicKeyInfo, keyId INTEGER OPTIONAL }
struct ChipAuthenticationPublicKeyInfo {
    std::string protocol = std::string(kPkEcdh);
    Bytes public_key_info;  // the SubjectPublicKeyInfo's DER, as found
    std::optional<std::uint64_t> key_id;
    friend bool operator==(const ChipAuthenticationPublicKeyInfo&, const ChipAuthenticationPublicKeyInfo&) = default;
};

// TAInfo ::= SEQUENCE { protocol id-TA, version INTEGER, efCVCA FileID OPTIONAL }
struct TerminalAuthenticationInfo {
    std::uint64_t version = 1;
    std::optional<Bytes> ef_cvca;  // the optional FileID element's DER, as found
    friend bool operator==(const TerminalAuthenticationInfo&, const TerminalAuthenticationInfo&) = default;
};

// ActiveAuthenticationInfo ::= SEQUENCE { protocol id-AA, version INTEGER, signatureAlgorithm OID }
struct ActiveAuthenticationInfo {
    std::uint64_t version = 1;
    std::string signature_algorithm;  // dotted, e.g. 0.4.0.127.0.7.1.1.4.1.3 (ecdsa-plain-SHA256)
    friend bool operator==(const ActiveAuthenticationInfo&, const ActiveAuthenticationInfo&) = default;
};

// Any other SecurityInfo (PACEDomainParameterInfo, EFDIRInfo, ...), kept whole.
struct UnknownSecurityInfo {
    std::string protocol;  // dotted
    Bytes der;             // the whole SEQUENCE as found
    friend bool operator==(const UnknownSecurityInfo&, const UnknownSecurityInfo&) = default;
};

using SecurityInfo = std::variant<PaceInfo, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo,
                                  TerminalAuthenticationInfo, ActiveAuthenticationInfo, UnknownSecurityInfo>;

struct SecurityInfos {
    std::vector<SecurityInfo> infos;  // in the order stored

    template <typename T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& i : infos) {
            if (const T* t = std::get_if<T>(&i)) out.push_back(*t);
        }
        return out;
    }
    friend bool operator==(const SecurityInfos&, const SecurityInfos&) = default;
};

// The protocol OID of any entry.
std::string protocol_of(const SecurityInfo& info);
// "PACEInfo", "ChipAuthenticationInfo", ... ("SecurityInfo" for unknown entries).
std::string_view security_info_type_name(const SecurityInfo& info);

// The SET (tag 31) of SecurityInfos.
Bytes encode(const SecurityInfos& infos);
SecurityInfos decode_security_infos(ByteView set_der);

// EF.CardAccess is the bare SET.
struct CardAccess {
    SecurityInfos security_infos;
    friend bool operator==(const CardAccess&, const CardAccess&) = default;
};
Bytes encode(const CardAccess& card_access);
CardAccess decode_card_access(ByteView bytes);

// DG14: 6E { SET of SecurityInfos }.
struct Dg14 {
    SecurityInfos security_infos;
    friend bool operator==(const Dg14&, const Dg14&) = default;
};
Bytes encode(const Dg14& dg14);
Dg14 decode_dg14(ByteView bytes);

// Human names: "id-PACE-ECDH-GM-AES-CBC-CMAC-128", "ecdsa-plain-SHA256", "id-ecPublicKey"...; "" when unknown.
std::string_view oid_name(std::string_view dotted_oid);
// Standardized domain parameters (Part 11 §9.5.1): 12 -> "NIST P-256 (secp256r1)", 13 -> "brainpoolP256r1"; "" when unknown.
std::string_view standardized_domain_parameter_name(std::uint64_t id);

}  // namespace cccd::lds
