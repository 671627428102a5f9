// Wycheproof's signature vectors through the project's own checks: Active Authentication's ECDSA
// (plain r||s and DER, the CCCD's brainpoolP256r1 and P-256), the assertions' Ed25519.
#include <gtest/gtest.h>

#include "card/protocol/active_auth.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/hash.hpp"
#include "tests/unit/wycheproof/wycheproof.hpp"

namespace cccd::wycheproof {
namespace {

// Every case through protocol::verify_active_auth_ecdsa, the ECDSA step of Active Authentication, with
// the group's key as a DG15 would carry it (SubjectPublicKeyInfo DER).
void active_authentication(const std::string& file) {
    Tally tally(file);
    for (const Group& group : load(file)) {
        const crypto::PKeyPtr key = protocol::parse_active_auth_key(group.hex("publicKeyDer"));
        ASSERT_EQ(std::string(group.fields.at("sha").as_string()), "SHA-256");
        for (const Case& c : group.cases) {
            const auto verdict = protocol::verify_active_auth_ecdsa(*key, crypto::HashAlgorithm::Sha256, c.hex("msg"), c.hex("sig"));
            tally.record(c, verdict.ok);
        }
    }
    EXPECT_GT(tally.total(), 0);
    EXPECT_EQ(tally.acceptable(), 0);  // these files have none; a new one would need a decision here
}

TEST(Wycheproof, ActiveAuthenticationEcdsaPlainOnBrainpoolP256r1) {
    active_authentication("ecdsa_brainpoolP256r1_sha256_p1363_test.json");
}
TEST(Wycheproof, ActiveAuthenticationEcdsaDerOnBrainpoolP256r1) { active_authentication("ecdsa_brainpoolP256r1_sha256_test.json"); }
TEST(Wycheproof, ActiveAuthenticationEcdsaPlainOnP256) { active_authentication("ecdsa_secp256r1_sha256_p1363_test.json"); }
TEST(Wycheproof, ActiveAuthenticationEcdsaDerOnP256) { active_authentication("ecdsa_secp256r1_sha256_test.json"); }

// The Ed25519 check verify_assertion runs on a token's signing input (crypto::ed25519_verify).
TEST(Wycheproof, AssertionEd25519) {
    const std::string file = "ed25519_test.json";
    Tally tally(file);
    for (const Group& group : load(file)) {
        const Bytes public_key = from_hex(std::string(group.fields.at("publicKey").as_object().at("pk").as_string()));
        for (const Case& c : group.cases) tally.record(c, crypto::ed25519_verify(public_key, c.hex("msg"), c.hex("sig")));
    }
    EXPECT_GT(tally.total(), 0);
    EXPECT_EQ(tally.acceptable(), 0);
}

}  // namespace
}  // namespace cccd::wycheproof
