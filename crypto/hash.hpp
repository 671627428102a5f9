#pragma once
// Message digests used by ICAO 9303: SHA-1 (BAC, PACE KDF, AA) and the SHA-2 family (SOD, AA).
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "base/bytes.hpp"

namespace cccd::crypto {

enum class HashAlgorithm { Sha1, Sha224, Sha256, Sha384, Sha512 };

Bytes digest(HashAlgorithm algorithm, ByteView data);
inline Bytes sha1(ByteView data) { return digest(HashAlgorithm::Sha1, data); }
inline Bytes sha256(ByteView data) { return digest(HashAlgorithm::Sha256, data); }

std::size_t digest_size(HashAlgorithm algorithm) noexcept;
// The OpenSSL digest, for signing and verifying with EVP.
const EVP_MD* evp_md(HashAlgorithm algorithm) noexcept;
// "SHA-256" and so on, for messages and JSON.
std::string_view hash_name(HashAlgorithm algorithm) noexcept;
// Dotted OID of the algorithm (2.16.840.1.101.3.4.2.1 for SHA-256) and back.
std::string_view hash_oid(HashAlgorithm algorithm) noexcept;
std::optional<HashAlgorithm> hash_from_oid(std::string_view dotted_oid) noexcept;
// The hash of a BSI TR-03111 ecdsa-plain-SHA* signature OID (0.4.0.127.0.7.1.1.4.1.1 to .5).
std::optional<HashAlgorithm> ecdsa_plain_hash_from_oid(std::string_view dotted_oid) noexcept;

}  // namespace cccd::crypto
