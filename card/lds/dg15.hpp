#pragma once
// DG15 (ICAO 9303 Part 10): 6F { SubjectPublicKeyInfo }, the Active Authentication public key.
#include <optional>
#include <string>

#include "base/bytes.hpp"

namespace cccd::lds {

struct Dg15 {
    Bytes public_key_info;  // SubjectPublicKeyInfo DER, as found
    friend bool operator==(const Dg15&, const Dg15&) = default;
};

Bytes encode(const Dg15& dg15);
Dg15 decode_dg15(ByteView bytes);

// What a SubjectPublicKeyInfo holds, as OpenSSL understands it.
struct PublicKeyDescription {
    std::string algorithm_oid;         // of the AlgorithmIdentifier, dotted
    std::string type;                  // "EC", "RSA", "DH" or "other"
    int bits = 0;                      // modulus bits (RSA), field/order bits (EC), prime bits (DH)
    std::optional<std::string> curve;  // named curve for EC keys ("brainpoolP256r1"), if recognised
    bool explicit_parameters = false;  // EC curve given by explicit parameters rather than by name
    std::string summary() const;       // "EC brainpoolP256r1 (256 bits)", "RSA 2048 bits"
};

// ParseError when the bytes are not a SubjectPublicKeyInfo OpenSSL can load.
PublicKeyDescription describe_public_key(ByteView subject_public_key_info);

}  // namespace cccd::lds
