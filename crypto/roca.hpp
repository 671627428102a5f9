#pragma once
// The ROCA fingerprint (CVE-2017-15361, Nemec et al., ACM CCS 2017): RSA primes made by a flawed chip
// library have the form k*M + (65537^a mod M), M the product of the first primes. The modulus then lies,
// modulo every small prime p of M, in the subgroup that 65537 generates modulo p. A random modulus does
// so for all 39 primes up to 167 with negligible probability. A key with the fingerprint can be
// factored: a chip that makes one must not be issued.
#include <openssl/bn.h>
#include <openssl/evp.h>

namespace cccd::crypto {

bool has_roca_fingerprint(const BIGNUM* modulus);
// False for keys that are not RSA.
bool has_roca_fingerprint(const EVP_PKEY* key);

}  // namespace cccd::crypto
