#include "base/bytes.hpp"

#include "base/error.hpp"

namespace cccd {

namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Bytes from_hex(std::string_view hex) {
    Bytes out;
    out.reserve(hex.size() / 2);
    int high = -1;
    for (char c : hex) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == ':') continue;
        int v = hex_value(c);
        if (v < 0) throw InvalidArgument("not a hexadecimal string");
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>((high << 4) | v));
            high = -1;
        }
    }
    if (high >= 0) throw InvalidArgument("hexadecimal string has an odd number of digits");
    return out;
}

std::string to_hex(ByteView bytes) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (auto b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 0x0F]);
    }
    return out;
}

Bytes concat(std::initializer_list<ByteView> parts) {
    std::size_t total = 0;
    for (auto p : parts) total += p.size();
    Bytes out;
    out.reserve(total);
    for (auto p : parts) append(out, p);
    return out;
}

Bytes be_bytes(std::uint64_t value, std::size_t width) {
    Bytes out(width, 0);
    for (std::size_t i = 0; i < width && i < 8; ++i) {
        out[width - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
    return out;
}

bool constant_time_equal(ByteView a, ByteView b) noexcept {
    if (a.size() != b.size()) return false;
    std::uint8_t diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) diff = static_cast<std::uint8_t>(diff | (a[i] ^ b[i]));
    return diff == 0;
}

void secure_wipe(void* data, std::size_t size) noexcept {
    if (data == nullptr || size == 0) return;
    volatile auto* p = static_cast<volatile std::uint8_t*>(data);
    for (std::size_t i = 0; i < size; ++i) p[i] = 0;
}

}  // namespace cccd
