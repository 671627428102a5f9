#pragma once
// PACE v2 with ECDH Generic Mapping (ICAO 9303 Part 11 §4.4, BSI TR-03110), for both sides. Each side
// is a small object whose steps take the other side's General Authenticate data and return its own, so
// the reader and the virtual chip run the same code; nothing here does I/O.
//
//   terminal (PaceTerminal)                       chip (PaceChip)
//   MSE:Set AT (OID, password ref, param id)  ->  accept_mse_set_at
//   GA 7C{}                                   ->  7C{80 z = E(K_pi, s)}
//   GA 7C{81 PK_map,IFD}                      ->  7C{82 PK_map,IC}          both: G~ = s*G + H
//   GA 7C{83 PK_eph,IFD on G~}                ->  7C{84 PK_eph,IC on G~}    both: K, KSenc, KSmac
//   GA 7C{85 T_IFD}                           ->  7C{86 T_IC}               tokens checked
// Failures throw ProtocolError("PACE", step, ...): a wrong CAN or MRZ shows at step 4.
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "card/protocol/session_keys.hpp"
#include "crypto/ec.hpp"
#include "crypto/symmetric.hpp"

namespace cccd::protocol::pace {

// Password references of BSI TR-03110. On a CCCD, reference 04 (the PUK's in TR-03110) is the issuer's
// transport key of a blank chip: personalization runs under PACE with it (docs/virtual-chip.md).
enum class PasswordType : std::uint8_t { Mrz = 0x01, Can = 0x02, TransportKey = 0x04 };

// id-PACE-ECDH-GM-AES-CBC-CMAC-{128,192,256}.
inline constexpr std::string_view kEcdhGmAes128 = "0.4.0.127.0.7.2.2.4.2.2";
inline constexpr std::string_view kEcdhGmAes192 = "0.4.0.127.0.7.2.2.4.2.3";
inline constexpr std::string_view kEcdhGmAes256 = "0.4.0.127.0.7.2.2.4.2.4";

// The cipher of a supported PACE protocol OID; InvalidArgument for others.
crypto::KeyCipher cipher_of(std::string_view protocol_oid);

// K_pi = KDF(K, 3): K = SHA-1(MRZ_information) for the MRZ, the password's bytes otherwise (the CAN's
// characters, the transport key's 16 bytes).
SecretBytes password_key(PasswordType type, std::string_view password, crypto::KeyCipher cipher);

// What both sides end with.
using SessionKeys = AesSessionKeys;

// The authentication token: first 8 bytes of CMAC(KSmac, 7F49{06 OID, 86 point}).
Bytes authentication_token(ByteView ks_mac, std::string_view protocol_oid, ByteView peer_public_point);

// ---- APDU data ----
struct MseSetAt {
    std::string protocol_oid;
    PasswordType password = PasswordType::Can;
    std::optional<std::uint64_t> parameter_id;  // DO'84'
};
Bytes encode_mse_set_at(const MseSetAt& mse);   // 80 OID, 83 password reference, [84 parameter id]
MseSetAt decode_mse_set_at(ByteView data);      // ParseError when malformed
// 7C { tag value } and back; decode checks the single inner tag (ParseError otherwise).
Bytes encode_dynamic_data(std::uint8_t tag, ByteView value);
Bytes decode_dynamic_data(ByteView data, std::uint8_t expected_tag);
// The step-1 command data 7C 00; ParseError for anything else.
void decode_empty_dynamic_data(ByteView data);

// Fixed secrets for test vectors; production leaves them empty and draws fresh ones.
struct FixedSecrets {
    Bytes nonce;             // chip only: s
    Bytes mapping_private;   // SK_map
    Bytes ephemeral_private; // SK_eph on G~
};

class PaceTerminal {
public:
    PaceTerminal(std::string protocol_oid, std::uint64_t parameter_id, PasswordType type, std::string_view password,
                 FixedSecrets fixed = {});
    // The MSE:Set AT the terminal sends (with the parameter id, DO'84').
    MseSetAt mse_set_at() const;
    Bytes step1_command() const;                      // 7C 00
    Bytes step2_command(ByteView step1_response);     // decrypts the nonce, sends PK_map
    Bytes step3_command(ByteView step2_response);     // maps G~, sends PK_eph
    Bytes step4_command(ByteView step3_response);     // derives keys, sends T_IFD
    SessionKeys finish(ByteView step4_response);      // checks T_IC
    // The cipher of the session keys (AES-128/192/256, from the protocol OID).
    crypto::KeyCipher cipher() const noexcept { return cipher_; }

    // Intermediate values, for tests against the worked example.
    ByteView nonce() const noexcept { return nonce_.view(); }
    ByteView mapping_shared_point() const noexcept { return mapping_shared_point_.view(); }  // H
    ByteView mapped_generator() const noexcept { return mapped_generator_; }
    ByteView shared_secret() const noexcept { return shared_secret_.view(); }

private:
    std::string oid_;
    std::uint64_t parameter_id_;
    PasswordType password_type_;
    crypto::EcGroup group_;
    crypto::KeyCipher cipher_;
    SecretBytes k_pi_;
    FixedSecrets fixed_;
    SecretBytes nonce_;
    crypto::EcKeyPair mapping_;
    crypto::EcKeyPair ephemeral_;
    SecretBytes mapping_shared_point_;
    Bytes mapped_generator_;
    Bytes chip_ephemeral_;
    SecretBytes shared_secret_;
    SessionKeys keys_;
    int step_ = 1;
};

class PaceChip {
public:
    // The chip knows its password (CAN and the MRZ_information) and its parameters.
    PaceChip(std::string protocol_oid, std::uint64_t parameter_id, std::string_view can, std::string_view mrz_information,
             FixedSecrets fixed = {});
    // A blank or unlocked chip also knows its issuer transport key (password reference 04).
    void set_transport_key(ByteView key) { transport_key_ = SecretBytes(key); }
    // Checks the terminal's MSE:Set AT (protocol and parameters match, password known); ProtocolError otherwise.
    void accept_mse_set_at(ByteView data);
    // The password the terminal chose in its MSE:Set AT.
    PasswordType password_type() const noexcept { return password_type_; }
    Bytes step1_response(ByteView command);
    Bytes step2_response(ByteView command);
    Bytes step3_response(ByteView command);
    Bytes step4_response(ByteView command);  // checks T_IFD: a wrong password fails here
    const SessionKeys& session() const;
    crypto::KeyCipher cipher() const noexcept { return cipher_; }

private:
    std::string oid_;
    std::uint64_t parameter_id_;
    crypto::EcGroup group_;
    crypto::KeyCipher cipher_;
    std::string can_;
    std::string mrz_information_;
    SecretBytes transport_key_;
    PasswordType password_type_ = PasswordType::Can;
    SecretBytes k_pi_;
    FixedSecrets fixed_;
    SecretBytes nonce_;
    crypto::EcKeyPair mapping_;
    crypto::EcKeyPair ephemeral_;
    Bytes mapped_generator_;
    Bytes terminal_ephemeral_;
    SessionKeys keys_;
    int step_ = 0;
};

}  // namespace cccd::protocol::pace
