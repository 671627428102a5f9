#include "card/tlv/tlv.hpp"

#include <string>

#include "base/error.hpp"

namespace cccd::tlv {

bool is_constructed(Tag tag) noexcept {
    // The first tag byte is the most significant non-zero byte.
    Tag first = tag;
    while (first > 0xFF) first >>= 8;
    return (first & 0x20) != 0;
}

namespace {

struct Header {
    Tag tag;
    std::size_t header_size;
    std::size_t value_size;
};

Header read_header(ByteView data) {
    if (data.empty()) throw ParseError("TLV: no data where a tag was expected");
    std::size_t pos = 0;
    Tag tag = data[pos++];
    if ((tag & 0x1F) == 0x1F) {
        // Multi-byte tag: subsequent bytes carry 7 bits each, bit 8 says "more follows".
        bool first_subsequent = true;
        for (;;) {
            if (pos >= data.size()) throw ParseError("TLV: tag is truncated");
            if (pos >= kMaxTagBytes) throw ParseError("TLV: tag is longer than 4 bytes");
            std::uint8_t b = data[pos++];
            if (first_subsequent && b == 0x80) throw ParseError("TLV: tag has a non-minimal encoding");
            first_subsequent = false;
            tag = (tag << 8) | b;
            if ((b & 0x80) == 0) break;
        }
    }
    if (pos >= data.size()) throw ParseError("TLV: length is missing");
    std::uint8_t first = data[pos++];
    std::size_t length = 0;
    if (first < 0x80) {
        length = first;
    } else if (first == 0x80) {
        throw ParseError("TLV: indefinite length is not allowed");
    } else {
        std::size_t count = first & 0x7F;
        if (count > kMaxLengthBytes) throw ParseError("TLV: length field is longer than 4 bytes");
        if (data.size() - pos < count) throw ParseError("TLV: length is truncated");
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | data[pos++];
    }
    if (length > data.size() - pos) {
        throw ParseError("TLV: value of tag " + to_hex(be_bytes(tag, tag > 0xFFFFFF ? 4 : tag > 0xFFFF ? 3 : tag > 0xFF ? 2 : 1)) +
                         " runs past the end of the data (" + std::to_string(length) + " bytes announced, " +
                         std::to_string(data.size() - pos) + " present)");
    }
    return {tag, pos, length};
}

void parse_nodes(ByteView data, std::size_t depth_left, std::vector<Node>& out) {
    Reader reader(data);
    while (!reader.at_end()) {
        Element e = reader.next();
        Node node;
        node.tag = e.tag;
        if (e.constructed()) {
            if (depth_left == 0) throw ParseError("TLV: nesting is deeper than allowed");
            parse_nodes(e.value, depth_left - 1, node.children);
        } else {
            node.value.assign(e.value.begin(), e.value.end());
        }
        out.push_back(std::move(node));
    }
}

}  // namespace

Element read_element(ByteView data) {
    Header h = read_header(data);
    Element e;
    e.tag = h.tag;
    e.value = data.subspan(h.header_size, h.value_size);
    e.raw = data.subspan(0, h.header_size + h.value_size);
    return e;
}

Element read_single(ByteView data) {
    Element e = read_element(data);
    if (e.raw.size() != data.size()) throw ParseError("TLV: unexpected bytes after the data object");
    return e;
}

Element read_single(ByteView data, Tag expected) {
    Element e = read_single(data);
    if (e.tag != expected) {
        throw ParseError("TLV: expected tag " + to_hex(encode_tag(expected)) + " but found " +
                         to_hex(encode_tag(e.tag)));
    }
    return e;
}

Element Reader::next() {
    if (rest_.empty()) throw ParseError("TLV: a data object is missing at the end");
    Element e = read_element(rest_);
    rest_ = rest_.subspan(e.raw.size());
    return e;
}

Element Reader::expect(Tag tag) {
    if (rest_.empty()) throw ParseError("TLV: expected tag " + to_hex(encode_tag(tag)) + " but the data ended");
    Element e = next();
    if (e.tag != tag) {
        throw ParseError("TLV: expected tag " + to_hex(encode_tag(tag)) + " but found " + to_hex(encode_tag(e.tag)));
    }
    return e;
}

std::optional<Element> Reader::next_if(Tag tag) {
    if (rest_.empty()) return std::nullopt;
    Element e = read_element(rest_);
    if (e.tag != tag) return std::nullopt;
    rest_ = rest_.subspan(e.raw.size());
    return e;
}

std::optional<Tag> Reader::peek_tag() const {
    if (rest_.empty()) return std::nullopt;
    return read_header(rest_).tag;
}

void Reader::expect_end() const {
    if (!rest_.empty()) throw ParseError("TLV: unexpected bytes after the last data object");
}

std::vector<Element> read_all(ByteView data) {
    std::vector<Element> out;
    Reader r(data);
    while (!r.at_end()) out.push_back(r.next());
    return out;
}

std::vector<Node> parse_tree(ByteView data, std::size_t max_depth) {
    std::vector<Node> out;
    parse_nodes(data, max_depth, out);
    return out;
}

Bytes encode_tag(Tag tag) {
    Bytes out;
    if (tag > 0xFFFFFF) out.push_back(static_cast<std::uint8_t>(tag >> 24));
    if (tag > 0xFFFF) out.push_back(static_cast<std::uint8_t>(tag >> 16));
    if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
    out.push_back(static_cast<std::uint8_t>(tag));
    return out;
}

Bytes encode_length(std::size_t length) {
    if (length < 0x80) return {static_cast<std::uint8_t>(length)};
    if (length <= 0xFF) return {0x81, static_cast<std::uint8_t>(length)};
    if (length <= 0xFFFF) return {0x82, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    if (length <= 0xFFFFFF) {
        return {0x83, static_cast<std::uint8_t>(length >> 16), static_cast<std::uint8_t>(length >> 8),
                static_cast<std::uint8_t>(length)};
    }
    if (length <= 0xFFFFFFFFull) {
        return {0x84, static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
                static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    }
    throw InvalidArgument("TLV: value too long to encode");
}

Bytes encode(Tag tag, ByteView value) {
    Bytes out = encode_tag(tag);
    append(out, encode_length(value.size()));
    append(out, value);
    return out;
}

Bytes encode(const Node& node) {
    if (!node.constructed()) return encode(node.tag, node.value);
    Bytes inner;
    for (const auto& child : node.children) append(inner, encode(child));
    return encode(node.tag, inner);
}

Bytes encode_constructed(Tag tag, std::initializer_list<ByteView> parts) {
    return encode(tag, concat(parts));
}

namespace asn1 {

Bytes encode_oid_value(std::string_view dotted) {
    std::vector<std::uint64_t> arcs;
    std::uint64_t current = 0;
    bool have_digit = false;
    for (char c : dotted) {
        if (c == '.') {
            if (!have_digit) throw InvalidArgument("OID: empty arc in \"" + std::string(dotted) + "\"");
            arcs.push_back(current);
            current = 0;
            have_digit = false;
        } else if (c >= '0' && c <= '9') {
            if (current > (UINT64_MAX - 9) / 10) throw InvalidArgument("OID: arc too large");
            current = current * 10 + static_cast<std::uint64_t>(c - '0');
            have_digit = true;
        } else {
            throw InvalidArgument("OID: not a dotted number: \"" + std::string(dotted) + "\"");
        }
    }
    if (!have_digit) throw InvalidArgument("OID: empty arc in \"" + std::string(dotted) + "\"");
    arcs.push_back(current);
    if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) {
        throw InvalidArgument("OID: invalid first arcs in \"" + std::string(dotted) + "\"");
    }
    Bytes out;
    auto put = [&out](std::uint64_t v) {
        std::uint8_t tmp[10];
        std::size_t n = 0;
        do {
            tmp[n++] = static_cast<std::uint8_t>(v & 0x7F);
            v >>= 7;
        } while (v != 0);
        while (n > 0) {
            --n;
            out.push_back(static_cast<std::uint8_t>(tmp[n] | (n > 0 ? 0x80 : 0x00)));
        }
    };
    put(arcs[0] * 40 + arcs[1]);
    for (std::size_t i = 2; i < arcs.size(); ++i) put(arcs[i]);
    return out;
}

std::string decode_oid_value(ByteView value) {
    if (value.empty()) throw ParseError("OID: empty value");
    std::string out;
    std::uint64_t current = 0;
    bool first = true;
    std::size_t arc_bytes = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        std::uint8_t b = value[i];
        if (arc_bytes == 0 && b == 0x80) throw ParseError("OID: non-minimal arc encoding");
        if (++arc_bytes > 9) throw ParseError("OID: arc too large");
        current = (current << 7) | (b & 0x7F);
        if ((b & 0x80) != 0) continue;
        if (first) {
            std::uint64_t a = current < 40 ? 0 : current < 80 ? 1 : 2;
            out = std::to_string(a) + "." + std::to_string(current - a * 40);
            first = false;
        } else {
            out += "." + std::to_string(current);
        }
        current = 0;
        arc_bytes = 0;
    }
    if (arc_bytes != 0) throw ParseError("OID: last arc is truncated");
    return out;
}

Bytes encode_oid(std::string_view dotted) { return encode(kOid, encode_oid_value(dotted)); }

Bytes encode_integer_value(std::uint64_t value) {
    Bytes out;
    do {
        out.insert(out.begin(), static_cast<std::uint8_t>(value & 0xFF));
        value >>= 8;
    } while (value != 0);
    if (out.front() & 0x80) out.insert(out.begin(), 0x00);
    return out;
}

std::uint64_t decode_integer_value(ByteView value, std::uint64_t max) {
    if (value.empty()) throw ParseError("INTEGER: empty value");
    if (value[0] & 0x80) throw ParseError("INTEGER: negative value where a non-negative one is required");
    std::size_t start = 0;
    while (start + 1 < value.size() && value[start] == 0) ++start;
    if (value.size() - start > 8) throw ParseError("INTEGER: value too large");
    std::uint64_t v = 0;
    for (std::size_t i = start; i < value.size(); ++i) v = (v << 8) | value[i];
    if (v > max) throw ParseError("INTEGER: value " + std::to_string(v) + " is out of range");
    return v;
}

Bytes encode_integer(std::uint64_t value) { return encode(kInteger, encode_integer_value(value)); }

}  // namespace asn1

}  // namespace cccd::tlv
