#pragma once
// Key pair generation inside a PKCS#11 token through the module's own function list. libp11 0.4.12
// (Debian 12) generates only RSA keys (PKCS11_generate_key, deprecated) and has no PKCS11_keygen, so
// the PKI calls C_GenerateKeyPair itself; everything else about tokens goes through libp11.
#include <string>

#include "base/bytes.hpp"
#include "certs/keys.hpp"

namespace cccd::certs::detail {

// Generates `spec` in the token labelled `token_label`: a private key (CKA_TOKEN, CKA_PRIVATE,
// CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_SIGN only) and its public key, both with `label` and `id`.
// InvalidArgument when the token is missing or already holds an object labelled `label`; CryptoError
// naming the PKCS#11 return code otherwise (a wrong PIN in words).
void generate_key_pair_in_token(const std::string& module_path, const std::string& token_label,
                                const SecretBytes& pin, const std::string& label, ByteView id, const KeySpec& spec);

// "CKR_PIN_INCORRECT: the PIN is wrong" and the like, for errors from libp11 too.
std::string pkcs11_error_text(unsigned long rv);

}  // namespace cccd::certs::detail
