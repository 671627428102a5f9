#pragma once
// BER-TLV as ICAO 9303 and ISO 7816-4 use it: tags of up to 4 bytes, lengths of up to 4 length bytes,
// strict bounds, and a nesting limit for tree parsing. Parsing never reads past the input and throws
// ParseError on anything malformed.
//
// Read leniently, write strictly. Reading takes BER as real chips serve it: indefinite lengths on
// constructed values (X.690 8.1.3.6; an element's `value` then stops before the end-of-contents and
// its `raw` includes it), lengths in a longer form than needed, and strings in the constructed form
// (string_value). Everything this project writes is DER, and der_problem says where bytes are not.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::tlv {

// A tag as its encoded bytes read big-endian: 0x30, 0x5F1F, 0x7F49.
using Tag = std::uint32_t;

inline constexpr std::size_t kMaxTagBytes = 4;
inline constexpr std::size_t kMaxLengthBytes = 4;
inline constexpr std::size_t kDefaultMaxDepth = 32;

// True when the tag's first byte has the "constructed" bit (0x20) set.
bool is_constructed(Tag tag) noexcept;

// One TLV found in a buffer. The views point into the parsed buffer, which must outlive it.
struct Element {
    Tag tag = 0;
    ByteView value;  // the V
    ByteView raw;    // T, L and V together, exactly as encoded
    bool constructed() const noexcept { return is_constructed(tag); }
};

// The TLV at the start of `data`. Trailing bytes are allowed and left alone (raw.size() tells how
// many were used).
Element read_element(ByteView data);

// Exactly one TLV that fills all of `data`; trailing bytes are an error.
Element read_single(ByteView data);

// Exactly one TLV with the expected tag that fills all of `data`.
Element read_single(ByteView data, Tag expected);

// Walks the TLVs of a value one after another.
class Reader {
public:
    explicit Reader(ByteView data) : rest_(data) {}
    bool at_end() const noexcept { return rest_.empty(); }
    // The next TLV; ParseError at the end or on malformed bytes.
    Element next();
    // The next TLV, which must carry `tag`.
    Element expect(Tag tag);
    // The next TLV if it carries `tag`, otherwise nothing is consumed.
    std::optional<Element> next_if(Tag tag);
    // Tag of the next element without consuming it.
    std::optional<Tag> peek_tag() const;
    // ParseError unless every byte was consumed.
    void expect_end() const;

private:
    ByteView rest_;
};

// All TLVs of `data`, which must be filled exactly.
std::vector<Element> read_all(ByteView data);

// The content of a string type (OCTET STRING 04, a character string) in either BER form: primitive
// (`primitive_tag`) or constructed (`primitive_tag | 0x20`, the concatenation of its segments, which
// may themselves be constructed). ParseError for any other tag, or a segment of another type.
Bytes string_value(const Element& e, Tag primitive_tag);

// Where `data` (one or more data objects filling it exactly) is not DER (X.690 section 10 and 11), in
// words with the offset; nothing when it is. Checked: definite lengths in their shortest form, string
// types and BIT STRING primitive, BOOLEAN 00 or FF, INTEGER in the fewest octets, and the elements of
// every universal SET in ascending order of their encodings (11.6), nested as deep as parse_tree allows.
std::optional<std::string> der_problem(ByteView data);

// A decoded tree: constructed elements hold children, primitive ones hold their value.
struct Node {
    Tag tag = 0;
    Bytes value;               // primitive only
    std::vector<Node> children;  // constructed only
    bool constructed() const noexcept { return is_constructed(tag); }
};

// Parses a whole tree (every constructed element recursively). Deeper nesting than `max_depth`
// is refused, so hostile input cannot exhaust the stack.
std::vector<Node> parse_tree(ByteView data, std::size_t max_depth = kDefaultMaxDepth);

// ---- encoding ----
Bytes encode_tag(Tag tag);
Bytes encode_length(std::size_t length);
Bytes encode(Tag tag, ByteView value);
Bytes encode(const Node& node);
// A constructed TLV around the concatenation of `parts`.
Bytes encode_constructed(Tag tag, std::initializer_list<ByteView> parts);
// A SET OF (tag 31) in DER: its elements (each a whole encoding) in ascending order (X.690 11.6).
Bytes encode_set_of(std::vector<Bytes> elements);

// ---- ASN.1 helpers for the DER values the LDS uses ----
namespace asn1 {
inline constexpr Tag kBoolean = 0x01;
inline constexpr Tag kInteger = 0x02;
inline constexpr Tag kBitString = 0x03;
inline constexpr Tag kOctetString = 0x04;
inline constexpr Tag kNull = 0x05;
inline constexpr Tag kOid = 0x06;
inline constexpr Tag kUtf8String = 0x0C;
inline constexpr Tag kPrintableString = 0x13;
inline constexpr Tag kIa5String = 0x16;
inline constexpr Tag kSequence = 0x30;
inline constexpr Tag kSet = 0x31;

// "1.2.840.10045.2.1" <-> DER content bytes (without tag and length).
Bytes encode_oid_value(std::string_view dotted);
std::string decode_oid_value(ByteView value);
Bytes encode_oid(std::string_view dotted);  // with tag 06

// INTEGER content for a non-negative value (minimal two's complement) and back.
Bytes encode_integer_value(std::uint64_t value);
// Refuses negative numbers and values above `max`.
std::uint64_t decode_integer_value(ByteView value, std::uint64_t max = UINT32_MAX);
Bytes encode_integer(std::uint64_t value);  // with tag 02
}  // namespace asn1

}  // namespace cccd::tlv
