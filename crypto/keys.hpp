#pragma once
// Key pairs made on the chip (Active and Chip Authentication) and their storage form. A real chip never
// lets a private key out; the virtual chip keeps its keys in its card image, the file that stands for
// the chip's memory, as unencrypted PKCS#8 (guard the image like a chip).
#include <cstddef>

#include "base/bytes.hpp"
#include "crypto/ec.hpp"
#include "crypto/openssl.hpp"

namespace cccd::crypto {

// A fresh EC key on `group`, named-curve form.
PKeyPtr generate_ec_key(const EcGroup& group);
// A fresh RSA key with public exponent 65537; `bits` from 1024 to 4096.
PKeyPtr generate_rsa_key(unsigned bits);

// PKCS#8 PrivateKeyInfo DER and back; ParseError for anything that is not a private key.
SecretBytes private_key_to_der(const EVP_PKEY* key);
PKeyPtr private_key_from_der(ByteView der);

}  // namespace cccd::crypto
