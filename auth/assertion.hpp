#pragma once
// The assertion a relying party receives when a card presentation verifies: a JWS in compact
// serialization (RFC 7515), signed with Ed25519 (RFC 8037, "alg":"EdDSA"), and the JWKS (RFC 7517)
// that publishes the current and retired public keys so the signing key can rotate.
//
// Header  {"alg":"EdDSA","typ":"JWT","kid":"<16 hex>"}
// Claims  iss, sub (pairwise: differs per relying party), aud (the relying party id), iat, exp, jti,
//         challenge_id, loa ("high" | "substantial"), ca (Chip Authentication reported), and only the
//         attributes in the relying party's scopes. docs/authentication.md lists them.
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/challenge.hpp"
#include "base/bytes.hpp"
#include "base/error.hpp"
#include "crypto/ed25519.hpp"

namespace cccd::auth {

// A token that does not verify: malformed, unknown key, bad signature, wrong audience, expired.
class AssertionError : public Error {
public:
    using Error::Error;
};

inline constexpr std::chrono::seconds kDefaultAssertionLifetime{300};
inline constexpr std::size_t kMaxAssertionBytes = 256 * 1024;  // the photo scope makes tokens large

// What the pipeline decided; the signer turns it into claims.
struct AssertionContent {
    std::string relying_party_id;
    std::string personal_id;  // only to derive the pairwise subject; a claim only with the personal_id scope
    std::string challenge_id;
    std::string loa;          // "high" or "substantial"
    bool chip_authenticated = false;
    boost::json::object attributes;  // already limited to the relying party's scopes
};

// One public key of the JWKS.
struct Jwk {
    std::string kid;
    Bytes public_key;  // 32 bytes, Ed25519
    friend bool operator==(const Jwk&, const Jwk&) = default;
};

struct Jwks {
    std::vector<Jwk> keys;  // the current key first

    const Jwk* find(std::string_view kid) const;
    // {"keys":[{"kty":"OKP","crv":"Ed25519","x":"<base64url>","kid":"...","use":"sig","alg":"EdDSA"}, ...]}
    std::string to_json() const;
    // The JSON back; AssertionError for anything that is not such a set (other key types are skipped).
    static Jwks parse(std::string_view json);
};

class AssertionSigner {
public:
    // `subject_secret` (at least 32 bytes) keys the pairwise subject; it must stay the same for as
    // long as relying parties keep their users' subjects.
    AssertionSigner(std::string issuer, crypto::Ed25519KeyPair key, SecretBytes subject_secret,
                    std::chrono::seconds lifetime = kDefaultAssertionLifetime);

    // Signs the assertion; iat = now, exp = now + lifetime, jti fresh.
    std::string sign(const AssertionContent& content, Instant now) const;

    // Key rotation: `next` signs from now on; the current key's public half stays in the JWKS
    // (retired) so tokens it signed still verify until they expire. Thread-safe with sign().
    void rotate(crypto::Ed25519KeyPair next);
    // A public key retired before this process started (read from its key file).
    void add_retired_public_key(ByteView public_key);
    // Drops a retired key from the JWKS (once every token it signed has expired); false if unknown.
    bool drop_retired(std::string_view kid);

    Jwks jwks() const;
    std::string current_kid() const;
    const std::string& issuer() const noexcept { return issuer_; }

    // base64url(HMAC-SHA-256(subject_secret, relying_party_id || 0x00 || personal_id)).
    std::string pairwise_subject(std::string_view relying_party_id, std::string_view personal_id) const;

private:
    std::string issuer_;
    mutable std::mutex mutex_;
    crypto::Ed25519KeyPair key_;
    std::vector<Jwk> retired_;
    SecretBytes subject_secret_;
    std::chrono::seconds lifetime_;
};

struct VerifiedAssertion {
    std::string kid;
    boost::json::object claims;
};

// What a relying party (and the tests) do with a token: the signature with the JWKS key named by
// kid, alg EdDSA only, aud == audience, iss == issuer when given, iat not in the future (60 s skew),
// exp after `now`. AssertionError otherwise.
VerifiedAssertion verify_assertion(std::string_view token, const Jwks& jwks, std::string_view audience, Instant now,
                                   std::optional<std::string_view> issuer = std::nullopt);

}  // namespace cccd::auth
