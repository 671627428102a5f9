#include "server/security/sodium.hpp"

#include <sodium.h>

#include "base/error.hpp"

namespace cccd::server::security {

void ensure_sodium() {
    // sodium_init is itself thread-safe and idempotent; the static makes the check run once.
    static const int status = sodium_init();
    if (status < 0) throw CryptoError("libsodium could not be initialised");
}

Bytes random_bytes(std::size_t count) {
    ensure_sodium();
    Bytes out(count);
    randombytes_buf(out.data(), out.size());
    return out;
}

Bytes sha256(ByteView data) {
    ensure_sodium();
    Bytes out(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(out.data(), data.data(), data.size());
    return out;
}

Bytes keyed_hash(ByteView key, ByteView data, std::size_t bytes) {
    ensure_sodium();
    if (key.size() < crypto_generichash_KEYBYTES_MIN || key.size() > crypto_generichash_KEYBYTES_MAX ||
        bytes < crypto_generichash_BYTES_MIN || bytes > crypto_generichash_BYTES_MAX)
        throw InvalidArgument("keyed_hash: key of 16 to 64 bytes, output of 16 to 64 bytes");
    Bytes out(bytes);
    crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(), key.size());
    return out;
}

std::string lower_hex(ByteView bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (std::uint8_t b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0f]);
    }
    return out;
}

namespace {

std::string encode_base64(ByteView bytes, int variant) {
    ensure_sodium();
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.resize(out.size() - 1);  // the encoder writes a terminating NUL
    return out;
}

Bytes decode_base64(std::string_view text, int variant, const char* what) {
    ensure_sodium();
    Bytes out(text.size() * 3 / 4 + 3);
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end, variant) != 0 ||
        end != text.data() + text.size())
        throw InvalidArgument(what);
    out.resize(length);
    return out;
}

}  // namespace

std::string base64url_encode(ByteView bytes) { return encode_base64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }

Bytes base64url_decode(std::string_view text) {
    return decode_base64(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, "not URL-safe base64 without padding");
}

std::string base64_encode(ByteView bytes) { return encode_base64(bytes, sodium_base64_VARIANT_ORIGINAL); }

Bytes base64_decode(std::string_view text) {
    return decode_base64(text, sodium_base64_VARIANT_ORIGINAL, "not base64 (RFC 4648, with padding)");
}

}  // namespace cccd::server::security
