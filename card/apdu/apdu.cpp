#include "card/apdu/apdu.hpp"

#include <cstdio>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::apdu {

namespace {
std::uint8_t byte_of(std::size_t v, int shift) { return static_cast<std::uint8_t>((v >> shift) & 0xFF); }
}  // namespace

bool CommandApdu::extended() const noexcept {
    return force_extended || data.size() > kMaxShortNc || (ne && *ne > kMaxShortNe);
}

Bytes CommandApdu::encode() const {
    if (data.size() > kMaxExtendedNc) throw InvalidArgument("APDU: command data longer than 65535 bytes");
    if (ne && (*ne == 0 || *ne > kMaxExtendedNe)) throw InvalidArgument("APDU: Ne must be 1..65536");
    Bytes out{cla, ins, p1, p2};
    bool ext = extended();
    if (!data.empty()) {
        if (ext) {
            out.push_back(0x00);
            out.push_back(byte_of(data.size(), 8));
            out.push_back(byte_of(data.size(), 0));
        } else {
            out.push_back(static_cast<std::uint8_t>(data.size()));
        }
        append(out, data);
    }
    if (ne) {
        std::size_t le = *ne;
        if (ext) {
            if (data.empty()) out.push_back(0x00);
            le = le == kMaxExtendedNe ? 0 : le;
            out.push_back(byte_of(le, 8));
            out.push_back(byte_of(le, 0));
        } else {
            out.push_back(static_cast<std::uint8_t>(le == kMaxShortNe ? 0 : le));
        }
    }
    return out;
}

CommandApdu CommandApdu::parse(ByteView b) {
    if (b.size() < 4) throw ParseError("APDU: a command needs at least 4 header bytes");
    CommandApdu c;
    c.cla = b[0];
    c.ins = b[1];
    c.p1 = b[2];
    c.p2 = b[3];
    std::size_t n = b.size();
    if (n == 4) return c;  // case 1
    if (n == 5) {           // case 2S
        c.ne = b[4] == 0 ? kMaxShortNe : b[4];
        return c;
    }
    if (b[4] != 0) {  // short Lc
        std::size_t lc = b[4];
        if (n == 5 + lc) {
            c.data.assign(b.begin() + 5, b.end());  // case 3S
        } else if (n == 6 + lc) {
            c.data.assign(b.begin() + 5, b.begin() + static_cast<std::ptrdiff_t>(5 + lc));  // case 4S
            c.ne = b[n - 1] == 0 ? kMaxShortNe : b[n - 1];
        } else {
            throw ParseError("APDU: the length byte Lc does not match the command's size");
        }
        return c;
    }
    // Extended length: 00 then two bytes.
    if (n < 7) throw ParseError("APDU: an extended length field is truncated");
    c.force_extended = true;
    if (n == 7) {  // case 2E
        std::size_t le = static_cast<std::size_t>((b[5] << 8) | b[6]);
        c.ne = le == 0 ? kMaxExtendedNe : le;
        return c;
    }
    std::size_t lc = static_cast<std::size_t>((b[5] << 8) | b[6]);
    if (lc == 0) throw ParseError("APDU: extended Lc of zero");
    if (n == 7 + lc) {
        c.data.assign(b.begin() + 7, b.end());  // case 3E
    } else if (n == 9 + lc) {
        c.data.assign(b.begin() + 7, b.begin() + static_cast<std::ptrdiff_t>(7 + lc));  // case 4E
        std::size_t le = static_cast<std::size_t>((b[n - 2] << 8) | b[n - 1]);
        c.ne = le == 0 ? kMaxExtendedNe : le;
    } else {
        throw ParseError("APDU: the extended length Lc does not match the command's size");
    }
    return c;
}

Bytes ResponseApdu::encode() const {
    Bytes out = data;
    out.push_back(sw1());
    out.push_back(sw2());
    return out;
}

ResponseApdu ResponseApdu::parse(ByteView bytes) {
    if (bytes.size() < 2) throw ParseError("APDU: a response needs at least the two status bytes");
    ResponseApdu r;
    r.data.assign(bytes.begin(), bytes.end() - 2);
    r.sw = static_cast<std::uint16_t>((bytes[bytes.size() - 2] << 8) | bytes[bytes.size() - 1]);
    return r;
}

std::string describe_status_word(std::uint16_t s) {
    char code[8];
    std::snprintf(code, sizeof code, "%04X", s);
    std::string meaning;
    std::uint8_t sw1 = static_cast<std::uint8_t>(s >> 8);
    std::uint8_t sw2 = static_cast<std::uint8_t>(s & 0xFF);
    switch (s) {
        case 0x9000: meaning = "success"; break;
        case 0x6281: meaning = "part of the returned data may be corrupted"; break;
        case 0x6282: meaning = "end of file reached before reading the requested length"; break;
        case 0x6300: meaning = "authentication failed"; break;
        case 0x6400: meaning = "execution error, the card's memory is unchanged"; break;
        case 0x6581: meaning = "memory failure in the card"; break;
        case 0x6700: meaning = "wrong length"; break;
        case 0x6881: meaning = "logical channel not supported"; break;
        case 0x6882: meaning = "secure messaging not supported"; break;
        case 0x6982: meaning = "security status not satisfied (access denied)"; break;
        case 0x6983: meaning = "authentication method blocked"; break;
        case 0x6984: meaning = "reference data not usable"; break;
        case 0x6985: meaning = "conditions of use not satisfied"; break;
        case 0x6986: meaning = "command not allowed (no current file)"; break;
        case 0x6987: meaning = "secure messaging data objects missing"; break;
        case 0x6988: meaning = "secure messaging data objects incorrect (wrong MAC)"; break;
        case 0x6A80: meaning = "incorrect data in the command"; break;
        case 0x6A81: meaning = "function not supported"; break;
        case 0x6A82: meaning = "file or application not found"; break;
        case 0x6A84: meaning = "not enough memory space in the file"; break;
        case 0x6A86: meaning = "incorrect parameters P1-P2"; break;
        case 0x6A87: meaning = "Lc inconsistent with P1-P2"; break;
        case 0x6A88: meaning = "referenced data not found"; break;
        case 0x6B00: meaning = "wrong parameters (offset outside the file)"; break;
        case 0x6D00: meaning = "instruction not supported"; break;
        case 0x6E00: meaning = "class not supported"; break;
        case 0x6F00: meaning = "unknown error in the card"; break;
        default:
            if (sw1 == 0x61) meaning = std::to_string(sw2) + " more bytes available";
            else if (sw1 == 0x6C) meaning = "wrong Le: the card has " + std::to_string(sw2) + " bytes";
            else if (sw1 == 0x63 && (sw2 & 0xF0) == 0xC0) meaning = std::to_string(sw2 & 0x0F) + " tries left";
            else meaning = "unknown status";
    }
    return std::string(code) + ": " + meaning;
}

Bytes emrtd_aid() { return {0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}; }

CommandApdu select_application(ByteView aid) {
    return CommandApdu{0x00, kInsSelect, 0x04, 0x0C, Bytes(aid.begin(), aid.end()), std::nullopt, false};
}

CommandApdu select_file(std::uint16_t fid) {
    return CommandApdu{0x00, kInsSelect, 0x02, 0x0C, be_bytes(fid, 2), std::nullopt, false};
}

CommandApdu read_binary(std::size_t offset, std::size_t ne) {
    if (offset > 0x7FFF) throw InvalidArgument("READ BINARY: offset above 32767 needs the odd instruction B1");
    return CommandApdu{0x00, kInsReadBinary, byte_of(offset, 8), byte_of(offset, 0), {}, ne, false};
}

CommandApdu read_binary_short_ef(std::uint8_t sfi, std::uint8_t offset, std::size_t ne) {
    if (sfi == 0 || sfi > 30) throw InvalidArgument("READ BINARY: short EF identifier must be 1..30");
    return CommandApdu{0x00, kInsReadBinary, static_cast<std::uint8_t>(0x80 | sfi), offset, {}, ne, false};
}

CommandApdu read_binary_odd(std::size_t offset, std::size_t ne) {
    if (offset > 0xFFFFFF) throw InvalidArgument("READ BINARY: offset above 16 MiB");
    Bytes offset_bytes = be_bytes(offset, offset > 0xFFFF ? 3 : 2);
    Bytes data{0x54, static_cast<std::uint8_t>(offset_bytes.size())};
    append(data, offset_bytes);
    return CommandApdu{0x00, kInsReadBinaryOdd, 0x00, 0x00, data, ne, false};
}

CommandApdu update_binary(std::size_t offset, ByteView data) {
    if (data.empty()) throw InvalidArgument("UPDATE BINARY needs data");
    if (offset <= 0x7FFF) {
        return CommandApdu{0x00, kInsUpdateBinary, byte_of(offset, 8), byte_of(offset, 0), Bytes(data.begin(), data.end()),
                           std::nullopt, false};
    }
    if (offset > 0xFFFFFF) throw InvalidArgument("UPDATE BINARY offset beyond 16 MB");
    Bytes body = tlv::encode(0x54, be_bytes(offset, offset > 0xFFFF ? 3 : 2));
    append(body, tlv::encode(0x53, data));
    return CommandApdu{0x00, kInsUpdateBinaryOdd, 0x00, 0x00, std::move(body), std::nullopt, false};
}

CommandApdu get_challenge() { return CommandApdu{0x00, kInsGetChallenge, 0x00, 0x00, {}, 8, false}; }

CommandApdu mutual_authenticate(ByteView data) {
    return CommandApdu{0x00, kInsMutualAuthenticate, 0x00, 0x00, Bytes(data.begin(), data.end()), 40, false};
}

CommandApdu external_authenticate(ByteView signature) {
    return CommandApdu{0x00, kInsExternalAuthenticate, 0x00, 0x00, Bytes(signature.begin(), signature.end()),
                       std::nullopt, false};
}

CommandApdu internal_authenticate(ByteView challenge, std::size_t ne) {
    return CommandApdu{0x00, kInsInternalAuthenticate, 0x00, 0x00, Bytes(challenge.begin(), challenge.end()), ne,
                       false};
}

CommandApdu mse_set_at(std::uint8_t p1, ByteView data) {
    return CommandApdu{0x00, kInsManageSecurityEnvironment, p1, 0xA4, Bytes(data.begin(), data.end()), std::nullopt,
                       false};
}

CommandApdu mse_set_kat(ByteView data) {
    return CommandApdu{0x00, kInsManageSecurityEnvironment, 0x41, 0xA6, Bytes(data.begin(), data.end()),
                       std::nullopt, false};
}

CommandApdu general_authenticate(ByteView data, bool more_follow) {
    return CommandApdu{static_cast<std::uint8_t>(more_follow ? 0x10 : 0x00), kInsGeneralAuthenticate, 0x00, 0x00,
                       Bytes(data.begin(), data.end()), kMaxShortNe, false};
}

}  // namespace cccd::apdu
