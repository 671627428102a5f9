#include "card/perso/commands.hpp"

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::perso {

namespace {

apdu::CommandApdu command(std::uint8_t ins, std::uint8_t p1, std::uint8_t p2, Bytes data = {},
                          std::optional<std::size_t> ne = std::nullopt) {
    apdu::CommandApdu c;
    c.ins = ins;
    c.p1 = p1;
    c.p2 = p2;
    c.data = std::move(data);
    c.ne = ne;
    return c;
}

Bytes two_bytes(std::size_t v) { return Bytes{static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)}; }

// An unsigned big-endian value of 1..max_bytes bytes.
std::size_t unsigned_value(ByteView v, std::size_t max_bytes, const char* what) {
    if (v.empty() || v.size() > max_bytes) throw ParseError(std::string(what) + " has a wrong length");
    std::size_t out = 0;
    for (auto b : v) out = (out << 8) | b;
    return out;
}

}  // namespace

std::string_view life_cycle_name(LifeCycle state) {
    switch (state) {
        case LifeCycle::Blank: return "blank";
        case LifeCycle::Personalization: return "personalization";
        case LifeCycle::Locked: return "locked";
    }
    return "unknown";
}

apdu::CommandApdu create_file(const FileSpec& file) {
    if (file.size == 0 || file.size > 0xFFFF) throw InvalidArgument("a file must hold 1 to 65535 bytes");
    Bytes fcp = tlv::encode(0x80, two_bytes(file.size));
    append(fcp, tlv::encode(0x83, two_bytes(file.fid)));
    if (file.short_id) {
        if (*file.short_id == 0 || *file.short_id > 30) throw InvalidArgument("a short EF identifier is 1 to 30");
        append(fcp, tlv::encode(0x88, Bytes{static_cast<std::uint8_t>(*file.short_id << 3)}));
    }
    return command(kInsCreateFile, 0x00, 0x00, tlv::encode(0x62, fcp));
}

apdu::CommandApdu delete_file(std::uint16_t fid) { return command(kInsDeleteFile, 0x00, 0x00, two_bytes(fid)); }

apdu::CommandApdu generate_key_pair(KeyReference key, const KeySpec& spec) {
    Bytes crt = tlv::encode(0x80, Bytes{static_cast<std::uint8_t>(spec.algorithm)});
    if (spec.algorithm == KeyAlgorithm::Ec) {
        append(crt, tlv::encode(0x84, tlv::asn1::encode_integer_value(spec.parameter_id)));
    } else {
        append(crt, tlv::encode(0x81, two_bytes(spec.modulus_bits)));
    }
    return command(kInsGenerateKeyPair, 0x00, static_cast<std::uint8_t>(key), tlv::encode(0xAC, crt),
                   apdu::kMaxExtendedNe);
}

apdu::CommandApdu put_data(DataReference reference, ByteView value) {
    return command(kInsPutData, 0x00, static_cast<std::uint8_t>(reference), Bytes(value.begin(), value.end()));
}

apdu::CommandApdu get_data(InfoReference reference) {
    return command(kInsGetData, 0x00, static_cast<std::uint8_t>(reference), {}, apdu::kMaxShortNe);
}

apdu::CommandApdu lock() { return command(kInsLock, 0x00, 0x00); }

FileSpec decode_create_file(ByteView data) {
    tlv::Element fcp = tlv::read_single(data, 0x62);
    tlv::Reader r(fcp.value);
    FileSpec spec;
    spec.size = unsigned_value(r.expect(0x80).value, 2, "the file size");
    ByteView fid = r.expect(0x83).value;
    if (fid.size() != 2) throw ParseError("a file identifier has 2 bytes");
    spec.fid = static_cast<std::uint16_t>((fid[0] << 8) | fid[1]);
    if (auto sfi = r.next_if(0x88)) {
        if (sfi->value.size() != 1 || (sfi->value[0] & 0x07) != 0 || sfi->value[0] == 0 || (sfi->value[0] >> 3) > 30) {
            throw ParseError("the short EF identifier is malformed");
        }
        spec.short_id = static_cast<std::uint8_t>(sfi->value[0] >> 3);
    }
    r.expect_end();
    if (spec.size == 0) throw ParseError("a file cannot be empty");
    return spec;
}

KeySpec decode_key_spec(ByteView data) {
    tlv::Element crt = tlv::read_single(data, 0xAC);
    tlv::Reader r(crt.value);
    ByteView algorithm = r.expect(0x80).value;
    if (algorithm.size() != 1) throw ParseError("the key algorithm has 1 byte");
    KeySpec spec;
    if (algorithm[0] == static_cast<std::uint8_t>(KeyAlgorithm::Ec)) {
        spec = KeySpec::ec(tlv::asn1::decode_integer_value(r.expect(0x84).value, 0xFF));
    } else if (algorithm[0] == static_cast<std::uint8_t>(KeyAlgorithm::Rsa)) {
        spec = KeySpec::rsa(static_cast<unsigned>(unsigned_value(r.expect(0x81).value, 2, "the modulus size")));
    } else {
        throw ParseError("unknown key algorithm");
    }
    r.expect_end();
    return spec;
}

OddUpdate decode_update_binary_odd(ByteView data) {
    tlv::Reader r(data);
    OddUpdate u;
    u.offset = unsigned_value(r.expect(0x54).value, 3, "the offset");
    ByteView value = r.expect(0x53).value;
    u.data.assign(value.begin(), value.end());
    r.expect_end();
    if (u.data.empty()) throw ParseError("UPDATE BINARY carries no data");
    return u;
}

}  // namespace cccd::perso
