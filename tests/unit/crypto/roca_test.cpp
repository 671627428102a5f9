// The ROCA fingerprint test: moduli built the way the flawed library built its primes are caught, keys
// from OpenSSL are not, and one residue out of the subgroup clears the fingerprint.
#include "crypto/roca.hpp"

#include <gtest/gtest.h>

#include "crypto/keys.hpp"
#include "crypto/openssl.hpp"

using namespace cccd::crypto;

namespace {

// M = the product of the primes up to 167, as the flawed library used for 512-to-960-bit primes.
BignumPtr primorial_167() {
    BignumPtr m(BN_new());
    BN_one(m.get());
    for (unsigned p = 2; p <= 167; ++p) {
        bool prime = true;
        for (unsigned d = 2; d * d <= p; ++d) prime = prime && (p % d != 0);
        if (prime) BN_mul_word(m.get(), p);
    }
    return m;
}

// k*M + (65537^a mod M) with random k and a.
BignumPtr roca_style_factor(const BIGNUM* m, BN_CTX* ctx) {
    BignumPtr a(BN_new()), k(BN_new()), g(BN_new()), e(BN_new()), out(BN_new());
    BN_rand(a.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY);
    BN_rand(k.get(), 800, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY);
    BN_set_word(e.get(), 65537);
    BN_mod_exp(g.get(), e.get(), a.get(), m, ctx);
    BN_mul(out.get(), k.get(), m, ctx);
    BN_add(out.get(), out.get(), g.get());
    return out;
}

}  // namespace

TEST(Roca, AModulusOfFlawedPrimesHasTheFingerprint) {
    BnCtxPtr ctx(BN_CTX_new());
    BignumPtr m = primorial_167();
    for (int i = 0; i < 5; ++i) {
        BignumPtr p = roca_style_factor(m.get(), ctx.get());
        BignumPtr q = roca_style_factor(m.get(), ctx.get());
        BignumPtr n(BN_new());
        BN_mul(n.get(), p.get(), q.get(), ctx.get());
        EXPECT_TRUE(has_roca_fingerprint(n.get()));
        // Shift the residue modulo 3 out of the subgroup {1, 2}: 0 mod 3 is never a power of 65537.
        BN_ULONG r3 = BN_mod_word(n.get(), 3);
        BN_add_word(n.get(), 3 - r3);
        EXPECT_FALSE(has_roca_fingerprint(n.get()));
    }
}

TEST(Roca, KeysFromOpenSslDoNotHaveIt) {
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(has_roca_fingerprint(generate_rsa_key(2048).get()));
    EXPECT_FALSE(has_roca_fingerprint(generate_ec_key(EcGroup::by_parameter_id(13)).get()));  // not RSA
}
