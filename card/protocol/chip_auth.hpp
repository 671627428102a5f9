#pragma once
// Chip Authentication with ECDH (ICAO 9303 Part 11 §6.2): the chip proves it holds the private key of
// the CA public key in DG14 (signed through the SOD), and both sides restart secure messaging with
// keys from a fresh ECDH. Pure steps for the terminal and for the chip.
//
//   terminal: ephemeral key pair on the chip key's curve
//   MSE:Set AT 41A4 {80 OID, [84 keyId]}  then  GA 7C{80 PK_eph}   (or MSE:Set KAT 41A6 {91 PK_eph, [84]})
//   chip: K = x(SK_chip * PK_eph); both: KSenc = KDF(K,1), KSmac = KDF(K,2); SSC restarts at zero
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "card/protocol/session_keys.hpp"
#include "crypto/ec.hpp"
#include "crypto/openssl.hpp"
#include "crypto/symmetric.hpp"

namespace cccd::protocol::chip_auth {

// id-CA-ECDH-AES-CBC-CMAC-{128,192,256}.
inline constexpr std::string_view kEcdhAes128 = "0.4.0.127.0.7.2.2.3.2.2";
inline constexpr std::string_view kEcdhAes192 = "0.4.0.127.0.7.2.2.3.2.3";
inline constexpr std::string_view kEcdhAes256 = "0.4.0.127.0.7.2.2.3.2.4";

crypto::KeyCipher cipher_of(std::string_view protocol_oid);

// The chip's Chip Authentication key as DG14 carries it (a SubjectPublicKeyInfo), read as the terminal
// reads it: the curve, named or by explicit parameters that are exactly a known curve's, the cofactor
// included (OpenSSL matches explicit parameters to a named curve without it); and the public point.
// ParseError otherwise.
struct ChipKey {
    crypto::EcGroup group;
    Bytes point;  // 04 || x || y
};
ChipKey read_chip_key(ByteView subject_public_key_info);

// The chip's Chip Authentication key as the system writes it (DG14, and wherever the key is written for
// a chip): a SubjectPublicKeyInfo with explicit domain parameters, as ICAO 9303-11 §9.2 ("at least one
// ChipAuthenticationInfo and the corresponding ChipAuthenticationPublicKeyInfo using explicit domain
// parameters MUST be present") and §9.5.2, and BSI TR-03110 Part 3 §A.2.1.2/§A.2.1.3 (Chip
// Authentication version 1 MUST provide explicit domain parameters; named curves MUST NOT be used)
// ask. Readers built on OpenPACE parse only this form. The layout is crypto::encode_public_key_explicit's:
// ECParameters version 1, prime field, no seed, uncompressed base point, cofactor included.
// Takes the key in any form read_chip_key reads (named or explicit) and gives the same bytes for both.
// ParseError for a key read_chip_key refuses.
Bytes encode_chip_key(ByteView subject_public_key_info);

// Whether two SubjectPublicKeyInfos carry the same Chip Authentication key (same curve, same point),
// whatever form each names its curve in. False when either does not read as a chip key; never throws.
bool same_chip_key(ByteView a, ByteView b) noexcept;

struct TerminalRequest {
    Bytes mse_set_at;             // data of MSE:Set AT (41 A4)
    Bytes general_authenticate;   // data of GENERAL AUTHENTICATE
    Bytes mse_set_kat;            // the same request as one MSE:Set KAT (41 A6), for older chips
    AesSessionKeys keys;          // valid once the chip answered 9000
    crypto::KeyCipher cipher = crypto::KeyCipher::Aes128;  // of the keys, from the protocol OID
};

// The terminal's side, from the chip's CA public key (SubjectPublicKeyInfo DER, from DG14).
// `fixed_ephemeral_private` is for tests only. ProtocolError("CA", 1, ...) for an unusable key.
TerminalRequest terminal_request(std::string_view protocol_oid, ByteView chip_public_key_info,
                                 std::optional<std::uint64_t> key_id = std::nullopt,
                                 ByteView fixed_ephemeral_private = {});

struct ChipRequest {
    std::string protocol_oid;
    std::optional<std::uint64_t> key_id;
};
ChipRequest decode_mse_set_at(ByteView data);
// The terminal's ephemeral point from GA data 7C{80 point}.
Bytes decode_general_authenticate(ByteView data);
// The ephemeral point and key id from MSE:Set KAT data {91 point, [84 keyId]}.
std::pair<Bytes, std::optional<std::uint64_t>> decode_mse_set_kat(ByteView data);

// The chip's side: its static CA private key and the terminal's ephemeral point give the new keys.
// ProtocolError("CA", 2, ...) when the point is not on the key's curve.
AesSessionKeys chip_derive_keys(std::string_view protocol_oid, const EVP_PKEY* chip_private_key,
                                ByteView terminal_ephemeral_point);

}  // namespace cccd::protocol::chip_auth
