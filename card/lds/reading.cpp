#include "card/lds/reading.hpp"

#include "base/error.hpp"

namespace cccd::lds::detail {

std::string tag_hex(tlv::Tag tag) { return to_hex(tlv::encode_tag(tag)); }

void fail(std::string_view what, const std::string& message) {
    throw ParseError(std::string(what) + ": " + message);
}

void require_tag(const tlv::Element& element, tlv::Tag tag, std::string_view what) {
    if (element.tag != tag) fail(what, "expected tag " + tag_hex(tag) + " but found " + tag_hex(element.tag));
}

tlv::Element read_one(ByteView data, tlv::Tag tag, std::string_view what) {
    if (data.empty()) fail(what, "no data where tag " + tag_hex(tag) + " was expected");
    tlv::Element e;
    try {
        e = tlv::read_element(data);
    } catch (const ParseError& error) {
        fail(what, error.what());
    }
    if (e.tag != tag) fail(what, "expected tag " + tag_hex(tag) + " but found " + tag_hex(e.tag));
    if (e.raw.size() != data.size()) fail(what, "unexpected bytes after the end of tag " + tag_hex(tag));
    return e;
}

tlv::Element expect_tag(tlv::Reader& reader, tlv::Tag tag, std::string_view what) {
    if (reader.at_end()) fail(what, "tag " + tag_hex(tag) + " is missing");
    tlv::Element e = reader.next();
    require_tag(e, tag, what);
    return e;
}

tlv::Element next_element(tlv::Reader& reader, std::string_view what) {
    if (reader.at_end()) fail(what, "a data object is missing");
    return reader.next();
}

std::uint64_t read_integer(const tlv::Element& element, std::uint64_t max, std::string_view what) {
    require_tag(element, tlv::asn1::kInteger, what);
    std::uint64_t v = tlv::asn1::decode_integer_value(element.value, max);
    // BER as well as DER forbids leading zero bytes (X.690 8.3.2); refusing them keeps re-encoding exact.
    if (tlv::asn1::encode_integer_value(v).size() != element.value.size()) {
        fail(what, "an INTEGER is not in its shortest form");
    }
    return v;
}

std::string read_oid(const tlv::Element& element, std::string_view what) {
    require_tag(element, tlv::asn1::kOid, what);
    std::string dotted = tlv::asn1::decode_oid_value(element.value);
    // Some encodings decode but re-encode differently (e.g. a huge first arc); refuse those.
    if (tlv::asn1::encode_oid_value(dotted) != Bytes(element.value.begin(), element.value.end())) {
        fail(what, "an OBJECT IDENTIFIER is not in its canonical form");
    }
    return dotted;
}

bool is_valid_utf8(ByteView s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        std::uint8_t c = s[i];
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (s.size() - i - 1 < extra) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            std::uint8_t cc = s[i + k];
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        if (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
        if (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
        i += extra + 1;
    }
    return true;
}

bool is_printable_ascii(ByteView s) noexcept {
    for (std::uint8_t c : s) {
        if (c < 0x20 || c > 0x7E) return false;
    }
    return true;
}

tlv::Tag text_type(tlv::Tag tag) noexcept { return tag <= 0x3F ? (tag & ~tlv::Tag{0x20}) : tag; }

bool is_text_tag(tlv::Tag tag) noexcept {
    const tlv::Tag type = text_type(tag);
    return type == tlv::asn1::kUtf8String || type == tlv::asn1::kPrintableString || type == tlv::asn1::kIa5String;
}

std::string read_text(const tlv::Element& element, std::string_view what) {
    if (!is_text_tag(element.tag)) fail(what, "expected a text string but found tag " + tag_hex(element.tag));
    const tlv::Tag type = text_type(element.tag);
    Bytes value;
    try {
        value = tlv::string_value(element, type);
    } catch (const ParseError& error) {
        fail(what, error.what());
    }
    if (type == tlv::asn1::kUtf8String) {
        if (!is_valid_utf8(value)) fail(what, "a UTF8String is not valid UTF-8");
    } else if (!is_printable_ascii(value)) {
        fail(what, "a " + std::string(type == tlv::asn1::kIa5String ? "IA5String" : "PrintableString") +
                       " holds characters outside printable ASCII");
    }
    return to_string(value);
}

void check_text_for_encoding(std::string_view text, tlv::Tag string_type, std::string_view what) {
    if (!is_text_tag(string_type)) throw InvalidArgument(std::string(what) + ": unsupported string type " + tag_hex(string_type));
    ByteView bytes = view(text);
    if (string_type == tlv::asn1::kUtf8String) {
        if (!is_valid_utf8(bytes)) throw InvalidArgument(std::string(what) + ": text is not valid UTF-8");
    } else if (!is_printable_ascii(bytes)) {
        throw InvalidArgument(std::string(what) + ": text needs a UTF8String (it is not printable ASCII)");
    }
}

}  // namespace cccd::lds::detail
