#include "vcard/card_image.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "base/error.hpp"
#include "base/file.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/keys.hpp"

namespace cccd::vcard {

namespace {

constexpr std::string_view kMagic = "CCCDIMG1";
constexpr std::size_t kMaxImageSize = 4 * kFileMemory;

Bytes two_bytes(std::uint16_t v) { return Bytes{static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

std::string text_of(ByteView v) { return std::string(v.begin(), v.end()); }

// A file descriptor that closes itself.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return fd_; }
    int release() noexcept { return std::exchange(fd_, -1); }

private:
    int fd_;
};

[[noreturn]] void io_failed(const std::string& what, const std::filesystem::path& path) {
    throw Error("cannot " + what + " the card image " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

SecretBytes encode_card_image(const ChipContents& c) {
    Bytes out(kMagic.begin(), kMagic.end());
    append(out, tlv::encode(0x80, Bytes{static_cast<std::uint8_t>(c.life_cycle)}));
    append(out, tlv::encode(0x81, c.chip_serial));
    if (c.life_cycle != perso::LifeCycle::Locked) append(out, tlv::encode(0x82, c.transport_key.view()));
    append(out, tlv::encode(0x83, view(c.can)));
    append(out, tlv::encode(0x84, view(c.mrz_information)));
    append(out, tlv::encode(0x85, tlv::asn1::encode_integer_value(c.pace_parameter_id)));
    append(out, tlv::encode(0x86, Bytes{static_cast<std::uint8_t>(c.extended_length ? 1 : 0)}));
    for (const auto& [fid, content] : c.files) {
        Bytes file = tlv::encode(0x83, two_bytes(fid));
        append(file, tlv::encode(0x53, content));
        append(out, tlv::encode(0xA0, file));
    }
    if (c.active_auth_key) append(out, tlv::encode(0xA1, crypto::private_key_to_der(c.active_auth_key.get()).view()));
    if (c.chip_auth_key) append(out, tlv::encode(0xA2, crypto::private_key_to_der(c.chip_auth_key.get()).view()));
    return SecretBytes(std::move(out));
}

ChipContents decode_card_image(ByteView image) {
    if (image.size() > kMaxImageSize) throw ParseError("the card image is too large");
    if (image.size() < kMagic.size() || text_of(image.first(kMagic.size())) != kMagic) {
        throw ParseError("not a CCCD card image (it does not start with CCCDIMG1)");
    }
    tlv::Reader r(image.subspan(kMagic.size()));
    ChipContents c;
    ByteView state = r.expect(0x80).value;
    if (state.size() != 1 || state[0] < 0x01 || state[0] > 0x03) throw ParseError("the card image has a bad life cycle");
    c.life_cycle = static_cast<perso::LifeCycle>(state[0]);
    ByteView serial = r.expect(0x81).value;
    c.chip_serial.assign(serial.begin(), serial.end());
    if (c.life_cycle != perso::LifeCycle::Locked) {
        ByteView key = r.expect(0x82).value;
        if (key.size() != 16) throw ParseError("the card image's transport key must have 16 bytes");
        c.transport_key = SecretBytes(key);
    }
    c.can = text_of(r.expect(0x83).value);
    c.mrz_information = text_of(r.expect(0x84).value);
    c.pace_parameter_id = tlv::asn1::decode_integer_value(r.expect(0x85).value, 0xFF);
    ByteView extended = r.expect(0x86).value;
    if (extended.size() != 1 || extended[0] > 1) throw ParseError("the card image has a bad extended-length flag");
    c.extended_length = extended[0] == 1;
    std::size_t used = 0;
    while (auto file = r.next_if(0xA0)) {
        tlv::Reader f(file->value);
        ByteView fid = f.expect(0x83).value;
        if (fid.size() != 2) throw ParseError("a file identifier in the card image must have 2 bytes");
        ByteView content = f.expect(0x53).value;
        f.expect_end();
        used += content.size();
        if (used > kFileMemory) throw ParseError("the card image holds more than the chip's memory");
        auto id = static_cast<std::uint16_t>((fid[0] << 8) | fid[1]);
        if (!c.files.emplace(id, Bytes(content.begin(), content.end())).second) {
            throw ParseError("the card image holds a file twice");
        }
    }
    if (auto aa = r.next_if(0xA1)) c.active_auth_key = crypto::private_key_from_der(aa->value);
    if (auto ca = r.next_if(0xA2)) c.chip_auth_key = crypto::private_key_from_der(ca->value);
    r.expect_end();
    return c;
}

void save_card_image(const std::filesystem::path& path, const ChipContents& contents) {
    SecretBytes image = encode_card_image(contents);
    std::filesystem::path temporary = path;
    temporary += ".tmp";
    {
        Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
        if (fd.get() < 0) io_failed("create", temporary);
        std::size_t written = 0;
        while (written < image.size()) {
            ssize_t n = ::write(fd.get(), image.data() + written, image.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) io_failed("write", temporary);
            written += static_cast<std::size_t>(n);
        }
        if (::fsync(fd.get()) != 0) io_failed("flush", temporary);
        if (::close(fd.release()) != 0) io_failed("close", temporary);
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) io_failed("replace", path);
    std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) (void)::fsync(dir.get());  // the rename itself reaches the disk
}

ChipContents load_card_image(const std::filesystem::path& path) {
    Bytes image = read_file(path);
    try {
        ChipContents c = decode_card_image(image);
        secure_wipe(image);
        return c;
    } catch (const ParseError& e) {
        secure_wipe(image);
        throw ParseError(path.string() + ": " + e.what());
    }
}

}  // namespace cccd::vcard
