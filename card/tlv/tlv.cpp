#include "card/tlv/tlv.hpp"

#include <algorithm>
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
    std::size_t trailer_size;  // 2 for the end-of-contents of an indefinite length, else 0
};

Header read_header(ByteView data, std::size_t depth_left);

// The length of the content of an indefinite-length element starting at `content`: the data objects up
// to the end-of-contents octets (00 00), each of which may itself be indefinite, `depth_left` deep.
std::size_t indefinite_content_size(ByteView content, std::size_t depth_left) {
    if (depth_left == 0) throw ParseError("TLV: indefinite lengths are nested deeper than allowed");
    std::size_t pos = 0;
    for (;;) {
        if (content.size() - pos < 2) throw ParseError("TLV: an indefinite length has no end-of-contents");
        if (content[pos] == 0x00 && content[pos + 1] == 0x00) return pos;
        const Header inner = read_header(content.subspan(pos), depth_left - 1);
        pos += inner.header_size + inner.value_size + inner.trailer_size;
    }
}

Header read_header(ByteView data, std::size_t depth_left) {
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
        // BER (X.690 8.1.3.6): a constructed value may end with end-of-contents instead of a length, as
        // some chips serve EF.SOD. A primitive one may not.
        if (!is_constructed(tag)) throw ParseError("TLV: a primitive data object has an indefinite length");
        return {tag, pos, indefinite_content_size(data.subspan(pos), depth_left), 2};
    } else {
        // Lengths are read whatever their form (BER allows leading zero bytes and the long form for
        // short lengths); check_der refuses what DER does not allow.
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
    return {tag, pos, length, 0};
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
    const Header h = read_header(data, kDefaultMaxDepth);
    Element e;
    e.tag = h.tag;
    e.value = data.subspan(h.header_size, h.value_size);
    e.raw = data.subspan(0, h.header_size + h.value_size + h.trailer_size);
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
    return read_header(rest_, kDefaultMaxDepth).tag;
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

namespace {

Bytes string_value_at(const Element& e, Tag primitive_tag, std::size_t depth_left) {
    if (e.tag == primitive_tag) return {e.value.begin(), e.value.end()};
    if (e.tag != (primitive_tag | 0x20)) {
        throw ParseError("TLV: expected a string of tag " + to_hex(encode_tag(primitive_tag)) + " but found " +
                         to_hex(encode_tag(e.tag)));
    }
    if (depth_left == 0) throw ParseError("TLV: string segments are nested deeper than allowed");
    Bytes out;
    Reader r(e.value);
    while (!r.at_end()) append(out, string_value_at(r.next(), primitive_tag, depth_left - 1));
    return out;
}

// Universal types DER encodes primitive only (X.690 10.2): BIT STRING, OCTET STRING, the character strings
// and times.
bool primitive_only(Tag tag) {
    switch (tag & ~Tag{0x20}) {
        case 0x03: case 0x04: case 0x0C: case 0x12: case 0x13: case 0x14: case 0x15: case 0x16: case 0x17:
        case 0x18: case 0x19: case 0x1A: case 0x1B: case 0x1C: case 0x1E:
            return tag <= 0x3F;  // a one-byte universal tag
        default:
            return false;
    }
}

// X.690 11.6: compared as octet strings, the shorter padded at its end with zeros.
bool encoding_less(ByteView a, ByteView b) {
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t x = i < a.size() ? a[i] : 0;
        const std::uint8_t y = i < b.size() ? b[i] : 0;
        if (x != y) return x < y;
    }
    return false;
}

std::optional<std::string> der_problem_at(ByteView data, std::size_t base, std::size_t depth_left) {
    std::size_t pos = 0;
    while (pos < data.size()) {
        const auto at = [&](const std::string& what) { return "at offset " + std::to_string(base + pos) + ": " + what; };
        Element e;
        try {
            e = read_element(data.subspan(pos));
        } catch (const ParseError& error) {
            return at(error.what());
        }
        const std::size_t header = e.raw.size() - e.value.size();
        const std::uint8_t length_byte = data[pos + encode_tag(e.tag).size()];
        if (length_byte == 0x80) return at("an indefinite length");
        if (header != encode_tag(e.tag).size() + encode_length(e.value.size()).size()) {
            return at("a length in a longer form than needed");
        }
        if (e.constructed() && primitive_only(e.tag)) return at("a string in the constructed form");
        if (e.tag == 0x01 && (e.value.size() != 1 || (e.value[0] != 0x00 && e.value[0] != 0xFF))) {
            return at("a BOOLEAN that is not 00 or FF");
        }
        if (e.tag == 0x02) {
            if (e.value.empty()) return at("an empty INTEGER");
            if (e.value.size() > 1 && ((e.value[0] == 0x00 && (e.value[1] & 0x80) == 0) ||
                                       (e.value[0] == 0xFF && (e.value[1] & 0x80) != 0))) {
                return at("an INTEGER in more octets than needed");
            }
        }
        if (e.constructed()) {
            if (depth_left == 0) return at("nesting deeper than allowed");
            const std::size_t content_base = base + pos + header;
            if (auto inner = der_problem_at(e.value, content_base, depth_left - 1)) return inner;
            if (e.tag == asn1::kSet) {
                ByteView last;
                Reader r(e.value);
                while (!r.at_end()) {
                    const Element child = r.next();
                    if (!last.empty() && encoding_less(child.raw, last)) {
                        return at("the elements of a SET are not in ascending order (X.690 11.6)");
                    }
                    last = child.raw;
                }
            }
        }
        pos += e.raw.size();
    }
    return std::nullopt;
}

}  // namespace

Bytes string_value(const Element& e, Tag primitive_tag) { return string_value_at(e, primitive_tag, kDefaultMaxDepth); }

std::optional<std::string> der_problem(ByteView data) {
    if (data.empty()) return "no data";
    return der_problem_at(data, 0, kDefaultMaxDepth);
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

Bytes encode_set_of(std::vector<Bytes> elements) {
    std::sort(elements.begin(), elements.end(), [](const Bytes& a, const Bytes& b) { return encoding_less(a, b); });
    Bytes content;
    for (const Bytes& e : elements) append(content, e);
    return encode(asn1::kSet, content);
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
