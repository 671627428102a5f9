#include "auth/assertion.hpp"

#include <sodium.h>

#include <boost/json.hpp>

#include <algorithm>
#include <utility>

#include "base/encoding.hpp"
#include "crypto/random.hpp"
#include "crypto/sodium.hpp"

namespace cccd::auth {
namespace json = boost::json;

namespace {

constexpr std::chrono::seconds kClockSkew{60};

std::int64_t seconds_of(Instant t) { return t.time_since_epoch().count(); }

std::string b64url(std::string_view text) { return base64url_encode(view(text)); }

json::object parse_object(std::string_view text, std::string_view what) {
    json::parse_options options;
    options.max_depth = 8;
    std::error_code ec;
    json::value v = json::parse(text, ec, {}, options);
    if (ec || !v.is_object()) throw AssertionError(std::string(what) + " is not a JSON object");
    return std::move(v.get_object());
}

std::string string_member(const json::object& o, std::string_view name, std::string_view what) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_string()) throw AssertionError(std::string(what) + " has no " + std::string(name));
    return std::string(it->value().get_string());
}

std::int64_t int_member(const json::object& o, std::string_view name) {
    auto it = o.find(name);
    if (it == o.end() || !it->value().is_int64()) throw AssertionError("the claims have no integer " + std::string(name));
    return it->value().get_int64();
}

}  // namespace

// ---- JWKS ----

const Jwk* Jwks::find(std::string_view kid) const {
    auto it = std::find_if(keys.begin(), keys.end(), [&](const Jwk& k) { return k.kid == kid; });
    return it == keys.end() ? nullptr : &*it;
}

std::string Jwks::to_json() const {
    json::array array;
    for (const auto& k : keys) {
        json::object o;
        o["kty"] = "OKP";
        o["crv"] = "Ed25519";
        o["x"] = base64url_encode(k.public_key);
        o["kid"] = k.kid;
        o["use"] = "sig";
        o["alg"] = "EdDSA";
        array.push_back(std::move(o));
    }
    json::object root;
    root["keys"] = std::move(array);
    return json::serialize(root);
}

Jwks Jwks::parse(std::string_view text) {
    json::object root = parse_object(text, "the JWKS");
    auto it = root.find("keys");
    if (it == root.end() || !it->value().is_array()) throw AssertionError("the JWKS has no keys array");
    Jwks out;
    for (const auto& entry : it->value().get_array()) {
        if (!entry.is_object()) throw AssertionError("a JWKS entry is not an object");
        const json::object& o = entry.get_object();
        auto member = [&](std::string_view name) {
            auto m = o.find(name);
            return m != o.end() && m->value().is_string() ? std::string(m->value().get_string()) : std::string();
        };
        if (member("kty") != "OKP" || member("crv") != "Ed25519") continue;  // not a key we can use
        Jwk key;
        key.kid = member("kid");
        try {
            key.public_key = base64url_decode(member("x"));
        } catch (const InvalidArgument&) {
            throw AssertionError("a JWKS key is not base64url");
        }
        if (key.kid.empty() || key.public_key.size() != crypto::ed25519_public_key_bytes) {
            throw AssertionError("a JWKS Ed25519 key has no kid or a wrong length");
        }
        out.keys.push_back(std::move(key));
    }
    return out;
}

// ---- signing ----

AssertionSigner::AssertionSigner(std::string issuer, crypto::Ed25519KeyPair key, SecretBytes subject_secret,
                                 std::chrono::seconds lifetime)
    : issuer_(std::move(issuer)), key_(std::move(key)), subject_secret_(std::move(subject_secret)), lifetime_(lifetime) {
    if (issuer_.empty()) throw InvalidArgument("an assertion issuer is needed");
    if (subject_secret_.size() < 32) throw InvalidArgument("the pairwise subject secret must be at least 32 bytes");
    if (lifetime_ <= std::chrono::seconds{0}) throw InvalidArgument("an assertion lifetime must be positive");
}

std::string AssertionSigner::pairwise_subject(std::string_view relying_party_id, std::string_view personal_id) const {
    crypto::ensure_sodium();
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, subject_secret_.data(), subject_secret_.size());
    const std::uint8_t separator = 0x00;
    const ByteView rp = view(relying_party_id), id = view(personal_id);
    crypto_auth_hmacsha256_update(&state, rp.data(), rp.size());
    crypto_auth_hmacsha256_update(&state, &separator, 1);
    crypto_auth_hmacsha256_update(&state, id.data(), id.size());
    Bytes mac(crypto_auth_hmacsha256_BYTES);
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof state);
    return base64url_encode(mac);
}

std::string AssertionSigner::sign(const AssertionContent& content, Instant now) const {
    json::object claims;
    claims["iss"] = issuer_;
    claims["sub"] = pairwise_subject(content.relying_party_id, content.personal_id);
    claims["aud"] = content.relying_party_id;
    claims["iat"] = seconds_of(now);
    claims["exp"] = seconds_of(now + lifetime_);
    claims["jti"] = base64url_encode(crypto::random_bytes(16));
    claims["challenge_id"] = content.challenge_id;
    claims["loa"] = content.loa;
    claims["ca"] = content.chip_authenticated;
    for (const auto& attribute : content.attributes) {
        // Attributes never overwrite the protocol claims above.
        if (!claims.contains(attribute.key())) claims[attribute.key()] = attribute.value();
    }
    std::lock_guard lock(mutex_);
    json::object header;
    header["alg"] = "EdDSA";
    header["typ"] = "JWT";
    header["kid"] = key_.key_id();
    const std::string signing_input = b64url(json::serialize(header)) + "." + b64url(json::serialize(claims));
    return signing_input + "." + base64url_encode(key_.sign(view(signing_input)));
}

void AssertionSigner::rotate(crypto::Ed25519KeyPair next) {
    std::lock_guard lock(mutex_);
    if (next.key_id() == key_.key_id()) return;
    retired_.insert(retired_.begin(), Jwk{key_.key_id(), key_.public_key()});
    std::erase_if(retired_, [&](const Jwk& k) { return k.kid == next.key_id(); });
    key_ = std::move(next);
}

void AssertionSigner::add_retired_public_key(ByteView public_key) {
    if (public_key.size() != crypto::ed25519_public_key_bytes) throw InvalidArgument("an Ed25519 public key is 32 bytes");
    std::lock_guard lock(mutex_);
    Jwk key{crypto::ed25519_key_id(public_key), Bytes(public_key.begin(), public_key.end())};
    if (key.kid == key_.key_id()) return;
    std::erase_if(retired_, [&](const Jwk& k) { return k.kid == key.kid; });
    retired_.push_back(std::move(key));
}

bool AssertionSigner::drop_retired(std::string_view kid) {
    std::lock_guard lock(mutex_);
    return std::erase_if(retired_, [&](const Jwk& k) { return k.kid == kid; }) > 0;
}

Jwks AssertionSigner::jwks() const {
    std::lock_guard lock(mutex_);
    Jwks out;
    out.keys.push_back(Jwk{key_.key_id(), key_.public_key()});
    out.keys.insert(out.keys.end(), retired_.begin(), retired_.end());
    return out;
}

std::string AssertionSigner::current_kid() const {
    std::lock_guard lock(mutex_);
    return key_.key_id();
}

// ---- verifying ----

VerifiedAssertion verify_assertion(std::string_view token, const Jwks& jwks, std::string_view audience, Instant now,
                                   std::optional<std::string_view> issuer) {
    if (token.size() > kMaxAssertionBytes) throw AssertionError("the token is too large");
    const std::size_t first = token.find('.');
    const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        throw AssertionError("the token is not a JWS compact serialization");
    }
    Bytes header_bytes, claims_bytes, signature;
    try {
        header_bytes = base64url_decode(token.substr(0, first));
        claims_bytes = base64url_decode(token.substr(first + 1, second - first - 1));
        signature = base64url_decode(token.substr(second + 1));
    } catch (const InvalidArgument&) {
        throw AssertionError("a token part is not base64url");
    }
    const json::object header = parse_object(to_string(header_bytes), "the header");
    // Only EdDSA: a token naming "none" or an HMAC alg is refused before any key is looked at.
    if (string_member(header, "alg", "the header") != "EdDSA") throw AssertionError("the token is not signed with EdDSA");
    const std::string kid = string_member(header, "kid", "the header");
    const Jwk* key = jwks.find(kid);
    if (key == nullptr) throw AssertionError("the token is signed with a key the JWKS does not hold");
    if (!crypto::ed25519_verify(key->public_key, view(token.substr(0, second)), signature)) {
        throw AssertionError("the token's signature does not verify");
    }
    VerifiedAssertion out;
    out.kid = kid;
    out.claims = parse_object(to_string(claims_bytes), "the claims");
    if (string_member(out.claims, "aud", "the claims") != audience) throw AssertionError("the token is for another audience");
    if (issuer && string_member(out.claims, "iss", "the claims") != *issuer) throw AssertionError("the token has another issuer");
    if (int_member(out.claims, "iat") > seconds_of(now + kClockSkew)) throw AssertionError("the token is issued in the future");
    if (int_member(out.claims, "exp") <= seconds_of(now)) throw AssertionError("the token has expired");
    return out;
}

}  // namespace cccd::auth
