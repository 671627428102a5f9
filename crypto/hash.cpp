#include "crypto/hash.hpp"

#include "crypto/openssl.hpp"

namespace cccd::crypto {

const EVP_MD* evp_md(HashAlgorithm a) noexcept {
    switch (a) {
        case HashAlgorithm::Sha1: return EVP_sha1();
        case HashAlgorithm::Sha224: return EVP_sha224();
        case HashAlgorithm::Sha256: return EVP_sha256();
        case HashAlgorithm::Sha384: return EVP_sha384();
        case HashAlgorithm::Sha512: return EVP_sha512();
    }
    return EVP_sha256();
}

Bytes digest(HashAlgorithm algorithm, ByteView data) {
    Bytes out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    check(EVP_Digest(data.data(), data.size(), out.data(), &len, evp_md(algorithm), nullptr) == 1,
          "computing a message digest");
    out.resize(len);
    return out;
}

std::size_t digest_size(HashAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case HashAlgorithm::Sha1: return 20;
        case HashAlgorithm::Sha224: return 28;
        case HashAlgorithm::Sha256: return 32;
        case HashAlgorithm::Sha384: return 48;
        case HashAlgorithm::Sha512: return 64;
    }
    return 0;
}

std::string_view hash_name(HashAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case HashAlgorithm::Sha1: return "SHA-1";
        case HashAlgorithm::Sha224: return "SHA-224";
        case HashAlgorithm::Sha256: return "SHA-256";
        case HashAlgorithm::Sha384: return "SHA-384";
        case HashAlgorithm::Sha512: return "SHA-512";
    }
    return "unknown";
}

std::string_view hash_oid(HashAlgorithm algorithm) noexcept {
    switch (algorithm) {
        case HashAlgorithm::Sha1: return "1.3.14.3.2.26";
        case HashAlgorithm::Sha224: return "2.16.840.1.101.3.4.2.4";
        case HashAlgorithm::Sha256: return "2.16.840.1.101.3.4.2.1";
        case HashAlgorithm::Sha384: return "2.16.840.1.101.3.4.2.2";
        case HashAlgorithm::Sha512: return "2.16.840.1.101.3.4.2.3";
    }
    return "";
}

std::optional<HashAlgorithm> hash_from_oid(std::string_view dotted_oid) noexcept {
    for (auto a : {HashAlgorithm::Sha1, HashAlgorithm::Sha224, HashAlgorithm::Sha256, HashAlgorithm::Sha384,
                   HashAlgorithm::Sha512}) {
        if (hash_oid(a) == dotted_oid) return a;
    }
    return std::nullopt;
}

std::optional<HashAlgorithm> ecdsa_plain_hash_from_oid(std::string_view oid) noexcept {
    constexpr std::string_view kPrefix = "0.4.0.127.0.7.1.1.4.1.";
    if (oid.size() != kPrefix.size() + 1 || oid.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    switch (oid.back()) {
        case '1': return HashAlgorithm::Sha1;
        case '2': return HashAlgorithm::Sha224;
        case '3': return HashAlgorithm::Sha256;
        case '4': return HashAlgorithm::Sha384;
        case '5': return HashAlgorithm::Sha512;
        default: return std::nullopt;
    }
}

}  // namespace cccd::crypto
