// The assertion: JWS EdDSA signing and verification, the JWKS, key rotation and the pairwise subject.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/assertion.hpp"
#include "base/encoding.hpp"

namespace cccd::auth {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

class Assertions : public ::testing::Test {
protected:
    Assertions()
        : signer_("https://eid.cccd.test", crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(32, 0x5a))) {}

    AssertionContent content(std::string rp = "bank-01") const {
        AssertionContent c;
        c.relying_party_id = std::move(rp);
        c.personal_id = "079303012345";
        c.challenge_id = "AAAAAAAAAAAAAAAAAAAAAA";
        c.loa = "high";
        c.chip_authenticated = true;
        c.attributes["name"] = "TRẦN THỊ MỸ DUYÊN";
        c.attributes["aud"] = "evil";  // an attribute never overrides a protocol claim
        return c;
    }

    Instant now_ = parse_instant("2026-11-23T10:00:00Z");
    AssertionSigner signer_;
};

TEST_F(Assertions, SignedTokenVerifiesWithItsClaims) {
    const std::string token = signer_.sign(content(), now_);
    const auto verified = verify_assertion(token, signer_.jwks(), "bank-01", now_ + 10s, "https://eid.cccd.test");
    EXPECT_EQ(verified.kid, signer_.current_kid());
    const auto& c = verified.claims;
    EXPECT_EQ(c.at("iss").as_string(), "https://eid.cccd.test");
    EXPECT_EQ(c.at("aud").as_string(), "bank-01");
    EXPECT_EQ(c.at("iat").as_int64(), now_.time_since_epoch().count());
    EXPECT_EQ(c.at("exp").as_int64(), (now_ + 300s).time_since_epoch().count());
    EXPECT_EQ(c.at("challenge_id").as_string(), "AAAAAAAAAAAAAAAAAAAAAA");
    EXPECT_EQ(c.at("loa").as_string(), "high");
    EXPECT_TRUE(c.at("ca").as_bool());
    EXPECT_EQ(c.at("name").as_string(), "TRẦN THỊ MỸ DUYÊN");
    EXPECT_EQ(c.at("sub").as_string(), signer_.pairwise_subject("bank-01", "079303012345"));
    EXPECT_EQ(c.at("jti").as_string().size(), 22u);
    EXPECT_FALSE(c.contains("personal_id"));

    // The header is exactly what the docs say.
    const std::string header = to_string(base64url_decode(token.substr(0, token.find('.'))));
    EXPECT_EQ(header, R"({"alg":"EdDSA","typ":"JWT","kid":")" + signer_.current_kid() + R"("})");
}

TEST_F(Assertions, EachTokenHasItsOwnJti) {
    const auto a = verify_assertion(signer_.sign(content(), now_), signer_.jwks(), "bank-01", now_);
    const auto b = verify_assertion(signer_.sign(content(), now_), signer_.jwks(), "bank-01", now_);
    EXPECT_NE(a.claims.at("jti"), b.claims.at("jti"));
}

TEST_F(Assertions, PairwiseSubjectDiffersPerRelyingPartyAndSecret) {
    const std::string a = signer_.pairwise_subject("bank-01", "079303012345");
    EXPECT_EQ(a, signer_.pairwise_subject("bank-01", "079303012345"));
    EXPECT_NE(a, signer_.pairwise_subject("bank-02", "079303012345"));
    EXPECT_NE(a, signer_.pairwise_subject("bank-01", "079303012346"));
    // The separator keeps ("bank-0", "1...") apart from ("bank-01", "...").
    EXPECT_NE(signer_.pairwise_subject("bank-0", "1079303012345"), signer_.pairwise_subject("bank-01", "079303012345"));
    AssertionSigner other("https://eid.cccd.test", crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(32, 0x5b)));
    EXPECT_NE(a, other.pairwise_subject("bank-01", "079303012345"));
    EXPECT_EQ(a.size(), 43u);  // 32 bytes base64url
}

TEST_F(Assertions, RefusesTamperingAudienceExpiryAndForeignKeys) {
    const std::string token = signer_.sign(content(), now_);
    const Jwks jwks = signer_.jwks();
    EXPECT_THROW(verify_assertion(token, jwks, "bank-02", now_), AssertionError);
    EXPECT_THROW(verify_assertion(token, jwks, "bank-01", now_ + 300s), AssertionError);
    EXPECT_THROW(verify_assertion(token, jwks, "bank-01", now_ - 120s), AssertionError);  // iat in the future
    EXPECT_THROW(verify_assertion(token, jwks, "bank-01", now_, "https://other.test"), AssertionError);

    // A claim changed: the signature no longer holds.
    const std::size_t dot = token.find('.');
    const std::size_t dot2 = token.find('.', dot + 1);
    json::object claims = json::parse(to_string(base64url_decode(token.substr(dot + 1, dot2 - dot - 1)))).as_object();
    claims["loa"] = "low";
    const std::string forged = token.substr(0, dot + 1) + base64url_encode(view(json::serialize(claims))) +
                               token.substr(dot2);
    EXPECT_THROW(verify_assertion(forged, jwks, "bank-01", now_), AssertionError);

    // alg "none" with the signature dropped.
    const std::string none = base64url_encode(view(std::string(R"({"alg":"none","kid":")") +
                                                             signer_.current_kid() + "\"}")) +
                             token.substr(dot, dot2 - dot) + ".";
    EXPECT_THROW(verify_assertion(none, jwks, "bank-01", now_), AssertionError);

    // Signed by a key the JWKS does not hold.
    AssertionSigner rogue("https://eid.cccd.test", crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(32, 0x5a)));
    EXPECT_THROW(verify_assertion(rogue.sign(content(), now_), jwks, "bank-01", now_), AssertionError);

    EXPECT_THROW(verify_assertion("a.b", jwks, "bank-01", now_), AssertionError);
    EXPECT_THROW(verify_assertion("a.b.c.d", jwks, "bank-01", now_), AssertionError);
    EXPECT_THROW(verify_assertion("!!.??.**", jwks, "bank-01", now_), AssertionError);
}

TEST_F(Assertions, JwksRoundTripsAndKeepsRetiredKeysThroughRotation) {
    const std::string old_token = signer_.sign(content(), now_);
    const std::string old_kid = signer_.current_kid();
    signer_.rotate(crypto::Ed25519KeyPair::generate());
    EXPECT_NE(signer_.current_kid(), old_kid);
    const std::string new_token = signer_.sign(content(), now_);

    const std::string published = signer_.jwks().to_json();
    const Jwks jwks = Jwks::parse(published);
    ASSERT_EQ(jwks.keys.size(), 2u);
    EXPECT_EQ(jwks.keys[0].kid, signer_.current_kid());  // the current key first
    EXPECT_EQ(jwks.keys[1].kid, old_kid);
    EXPECT_EQ(jwks.keys, signer_.jwks().keys);
    const json::object first = json::parse(published).at("keys").at(0).as_object();
    EXPECT_EQ(first.at("kty").as_string(), "OKP");
    EXPECT_EQ(first.at("crv").as_string(), "Ed25519");
    EXPECT_EQ(first.at("alg").as_string(), "EdDSA");
    EXPECT_EQ(first.at("use").as_string(), "sig");

    EXPECT_EQ(verify_assertion(old_token, jwks, "bank-01", now_).kid, old_kid);
    EXPECT_EQ(verify_assertion(new_token, jwks, "bank-01", now_).kid, signer_.current_kid());

    // Once the retired key is dropped, what it signed no longer verifies.
    EXPECT_TRUE(signer_.drop_retired(old_kid));
    EXPECT_FALSE(signer_.drop_retired(old_kid));
    EXPECT_THROW(verify_assertion(old_token, signer_.jwks(), "bank-01", now_), AssertionError);

    EXPECT_THROW(Jwks::parse("[]"), AssertionError);
    EXPECT_THROW(Jwks::parse(R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"AAAA"}]})"), AssertionError);
    EXPECT_TRUE(Jwks::parse(R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})").keys.empty());
}

TEST_F(Assertions, SignerRefusesWeakSetup) {
    EXPECT_THROW(AssertionSigner("iss", crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(31, 1))), InvalidArgument);
    EXPECT_THROW(AssertionSigner("", crypto::Ed25519KeyPair::generate(), SecretBytes(Bytes(32, 1))), InvalidArgument);
}

}  // namespace
}  // namespace cccd::auth
