#include "base/encoding.hpp"

#include <sodium.h>

#include "base/error.hpp"

// libsodium's constant-time codecs (they need no sodium_init): a secret (a session token, a key) may pass
// through them.
namespace cccd {

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
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
    out.resize(out.size() - 1);  // the encoder writes a terminating NUL
    return out;
}

Bytes decode_base64(std::string_view text, int variant, const char* what) {
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

}  // namespace cccd
