#pragma once
// Active Authentication (ICAO 9303 Part 11 §6.1): the terminal sends INTERNAL AUTHENTICATE with an
// 8-byte challenge RND.IFD; the chip signs it with the private key whose public half is in DG15.
// These are pure functions with no I/O: verify() for the terminal, sign_*() for a virtual chip.
//
// Formats accepted by verify():
// - DG15 key: a DER SubjectPublicKeyInfo (the content of DG15; a whole DG15 with its 6F tag is
//   unwrapped too). RSA or EC over a prime curve.
// - ECDSA: the chip signs H(RND.IFD). The signature is either plain r || s (BSI TR-03111 §5.2.1:
//   each half exactly as long as the curve order, leading zeros kept) or a DER ECDSA-Sig-Value
//   SEQUENCE { INTEGER r, INTEGER s }. Real readers meet both, so both are accepted whatever the
//   OID says: a DER SEQUENCE that parses exactly and re-encodes identically is tried as DER, and a
//   signature of exactly 2 * order-length bytes is tried as plain. The hash comes from
//   ActiveAuthenticationInfo.signatureAlgorithm in DG14 (ecdsa-plain-SHA* 0.4.0.127.0.7.1.1.4.1.x
//   or X9.62 ecdsa-with-SHA* 1.2.840.10045.4.x); see verify() for the choice when it is absent.
// - RSA: ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery. s^e mod n gives
//   the block F = 6A || M1 || H(M1 || RND.IFD) || trailer, exactly as long as the modulus, where M1
//   is the chip's own nonce filling the block. The trailer is BC (SHA-1 implied) or <id> CC with an
//   ISO/IEC 10118-3 hash identifier. A signature may be shorter than the modulus (leading zeros
//   dropped), and may be n - s instead of s (ISO/IEC 9796-2 lets the signer send min(s, n - s)).
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"

namespace cccd::protocol {

// RND.IFD is 8 bytes (ICAO 9303 Part 11 §6.1.2).
inline constexpr std::size_t kAaChallengeSize = 8;

enum class AaScheme { Unknown, EcdsaPlain, EcdsaDer, RsaIso9796_2 };
std::string_view aa_scheme_name(AaScheme scheme) noexcept;

struct AaVerification {
    bool ok = false;
    std::string reason;                         // plain words: why it passed or failed
    AaScheme scheme = AaScheme::Unknown;        // the format that was recognised
    std::optional<crypto::HashAlgorithm> hash;  // the hash that was used, when known
};

// Verifies an INTERNAL AUTHENTICATE response. Everything that comes from the card (DG15, DG14's
// OID, the signature) yields a verdict and never throws; only a challenge that is not 8 bytes
// (the caller's own value) throws InvalidArgument.
//
// When DG14 carries no ActiveAuthenticationInfo and the key is EC, the hash is the SHA-2 whose
// length matches the curve order (SHA-1 below 224 bits). ICAO 9303 Part 11 §6.1 requires DG14 to
// name the algorithm for ECDSA and requires a hash no longer than the key; the matching-length hash
// is the only unambiguous reading of that rule, and we never try several hashes in turn.
// For RSA the trailer names the hash; an ECDSA OID together with an RSA key is refused.
AaVerification verify_active_auth(ByteView subject_public_key_info, ByteView challenge, ByteView signature,
                                  std::optional<std::string_view> signature_algorithm_oid = std::nullopt);

// The DG15 key (a SubjectPublicKeyInfo, or a whole DG15 with its 6F tag) as an OpenSSL key, for a
// verifier that checks many signatures by one card: decoding costs about half an ECDSA verification.
// ParseError when it is not a valid key.
crypto::PKeyPtr parse_active_auth_key(ByteView subject_public_key_info);

// verify_active_auth with a key from parse_active_auth_key (only read: one key may serve several
// threads at once).
AaVerification verify_active_auth(EVP_PKEY& key, ByteView challenge, ByteView signature,
                                  std::optional<std::string_view> signature_algorithm_oid = std::nullopt);

// The ECDSA check of verify_active_auth over a message of any length with the hash given: what runs
// once the challenge's length and DG14's OID are settled, exposed for published vectors (Wycheproof).
// The signature is plain r||s of twice the order length (BSI TR-03111) or exact DER (X9.62); anything
// else, and any signature that does not verify, is a failed verdict.
AaVerification verify_active_auth_ecdsa(EVP_PKEY& key, crypto::HashAlgorithm hash, ByteView message, ByteView signature);

// Hash named by an ECDSA signature-algorithm OID (BSI plain or X9.62), or nothing.
std::optional<crypto::HashAlgorithm> aa_ecdsa_hash_from_oid(std::string_view dotted_oid) noexcept;

// ---- ISO/IEC 9796-2 scheme 1 building blocks (used by verify; exposed for published vectors) ----

// s^e mod n as a block of exactly the modulus length; when that block does not end in the nibble
// C, n minus it (the signer sent n - s). Checks: modulus a whole number of bytes and at most 8192
// bits, e odd and at most 512 bits, signature non-empty, not longer than n and between 1 and n - 1.
// No minimum key size here: verify_active_auth refuses keys below 1024 bits. ParseError otherwise.
Bytes iso9796_2_recover(ByteView modulus, ByteView public_exponent, ByteView signature);

struct Iso9796Block {
    Bytes m1;    // the recovered part of the message (the chip's nonce in AA)
    Bytes hash;  // H(M1 || M2) exactly as found in the block
    crypto::HashAlgorithm hash_algorithm = crypto::HashAlgorithm::Sha1;
    bool implicit_trailer = true;  // BC: the hash is implied (SHA-1 for ICAO 9303)
};

// Splits 6A || M1 || H || trailer. Refuses any other header (full recovery 4x, padding 6B), any
// trailer other than BC or <id> CC, and unsupported hash identifiers, with ParseError.
Iso9796Block iso9796_2_parse_block(ByteView block);

// ---- the chip side (virtual chip) ----

enum class EcdsaEncoding { Plain, Der };

// ECDSA over H(challenge). Plain gives r || s, each left-padded to the order length.
Bytes sign_active_auth_ecdsa(const crypto::PKeyPtr& private_key, ByteView challenge, crypto::HashAlgorithm hash,
                             EcdsaEncoding encoding);

// ISO/IEC 9796-2 scheme 1 with a fresh random M1, as a chip does. SHA-1 uses the implicit trailer
// BC, other hashes <id> CC. The result is as long as the modulus. The modulus must be a whole
// number of bytes and at least 1024 bits.
Bytes sign_active_auth_rsa(const crypto::PKeyPtr& private_key, ByteView challenge, crypto::HashAlgorithm hash);

// The same with a caller-chosen M1 (for tests and reproducible examples); M1 must have exactly
// the length the block leaves for it: modulus bytes - 1 - hash length - trailer length.
Bytes sign_active_auth_rsa_with_nonce(const crypto::PKeyPtr& private_key, ByteView challenge,
                                      crypto::HashAlgorithm hash, ByteView m1);

// The DER SubjectPublicKeyInfo of a key (what DG15 holds).
Bytes encode_subject_public_key_info(const crypto::PKeyPtr& key);

}  // namespace cccd::protocol
