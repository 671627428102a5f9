#pragma once
// Byte values used by every layer: owned buffers, read-only views, hex, wiping.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cccd {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// "0A1b" -> {0x0a, 0x1b}. Whitespace is ignored; anything else that is not hex throws InvalidArgument.
Bytes from_hex(std::string_view hex);
// Upper-case hex, no separators.
std::string to_hex(ByteView bytes);

inline ByteView view(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline ByteView view(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string to_string(ByteView b) { return {b.begin(), b.end()}; }

// a || b || ...
Bytes concat(std::initializer_list<ByteView> parts);
inline void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

// Big-endian unsigned integer of `width` bytes.
Bytes be_bytes(std::uint64_t value, std::size_t width);

// Compares in time that depends only on the lengths, never on where the contents differ.
bool constant_time_equal(ByteView a, ByteView b) noexcept;

// Overwrites memory the compiler may not elide (key material after use).
void secure_wipe(void* data, std::size_t size) noexcept;
inline void secure_wipe(Bytes& b) noexcept { secure_wipe(b.data(), b.size()); }

// A byte buffer for secrets: wiped when it goes out of scope or is reassigned.
class SecretBytes {
public:
    SecretBytes() = default;
    explicit SecretBytes(Bytes b) : bytes_(std::move(b)) {}
    explicit SecretBytes(ByteView v) : bytes_(v.begin(), v.end()) {}
    SecretBytes(const SecretBytes& o) : bytes_(o.bytes_) {}
    SecretBytes(SecretBytes&& o) noexcept : bytes_(std::move(o.bytes_)) { o.bytes_.clear(); }
    SecretBytes& operator=(const SecretBytes& o) {
        if (this != &o) { secure_wipe(bytes_); bytes_ = o.bytes_; }
        return *this;
    }
    SecretBytes& operator=(SecretBytes&& o) noexcept {
        if (this != &o) { secure_wipe(bytes_); bytes_ = std::move(o.bytes_); o.bytes_.clear(); }
        return *this;
    }
    ~SecretBytes() { secure_wipe(bytes_); }

    ByteView view() const noexcept { return bytes_; }
    const std::uint8_t* data() const noexcept { return bytes_.data(); }
    std::uint8_t* data() noexcept { return bytes_.data(); }
    std::size_t size() const noexcept { return bytes_.size(); }
    bool empty() const noexcept { return bytes_.empty(); }
    // A copy that is no longer protected; use only where an API demands a Bytes.
    Bytes copy() const { return bytes_; }
    friend bool operator==(const SecretBytes& a, const SecretBytes& b) noexcept {
        return constant_time_equal(a.bytes_, b.bytes_);
    }

private:
    Bytes bytes_;
};

}  // namespace cccd
