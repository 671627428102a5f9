#include "crypto/roca.hpp"

#include <openssl/core_names.h>

#include <array>
#include <bitset>

#include "crypto/openssl.hpp"

namespace cccd::crypto {

namespace {

constexpr std::array<unsigned, 39> kPrimes = {2,  3,  5,  7,   11,  13,  17,  19,  23,  29,  31,  37,  41,
                                              43, 47, 53, 59,  61,  67,  71,  73,  79,  83,  89,  97,  101,
                                              103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};

// {65537^k mod p : k >= 0} as a bit set over the residues 0..p-1.
std::bitset<168> powers_of_65537(unsigned p) {
    std::bitset<168> set;
    unsigned g = 65537u % p;
    unsigned x = 1;
    do {
        set.set(x);
        x = (x * g) % p;
    } while (x != 1 && !set.test(x));
    return set;
}

}  // namespace

bool has_roca_fingerprint(const BIGNUM* modulus) {
    if (modulus == nullptr || BN_is_zero(modulus)) return false;
    for (unsigned p : kPrimes) {
        BN_ULONG residue = BN_mod_word(modulus, p);
        check(residue != static_cast<BN_ULONG>(-1), "BN_mod_word");
        if (!powers_of_65537(p).test(static_cast<std::size_t>(residue))) return false;
    }
    return true;
}

bool has_roca_fingerprint(const EVP_PKEY* key) {
    if (key == nullptr || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) return false;
    BIGNUM* raw = nullptr;
    check(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &raw) == 1, "EVP_PKEY_get_bn_param(n)");
    BignumPtr n(raw);
    return has_roca_fingerprint(n.get());
}

}  // namespace cccd::crypto
