#pragma once
// Strict DER walking shared by the LDS codecs. Every element must use the shortest length form, so
// that re-encoding a decoded file gives back the same bytes; messages name the file being read.
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::lds::detail {

// "6D", "5F1F": a tag as hex for messages.
std::string tag_hex(tlv::Tag tag);

// ParseError "<what>: <message>".
[[noreturn]] void fail(std::string_view what, const std::string& message);

// ParseError unless the element's length uses the shortest form (DER).
void require_minimal(const tlv::Element& element, std::string_view what);

// The element must carry `tag` and a minimal length.
void require_tag(const tlv::Element& element, tlv::Tag tag, std::string_view what);

// Exactly one element with `tag` that fills `data`, with a minimal length.
tlv::Element read_single_strict(ByteView data, tlv::Tag tag, std::string_view what);

// The next element of `reader`, which must carry `tag` (minimal length).
tlv::Element expect_strict(tlv::Reader& reader, tlv::Tag tag, std::string_view what);

// The next element of `reader` whatever its tag (minimal length).
tlv::Element next_strict(tlv::Reader& reader, std::string_view what);

// A DER INTEGER (tag 02, minimal content) between 0 and `max`.
std::uint64_t read_integer(const tlv::Element& element, std::uint64_t max, std::string_view what);

// A DER OBJECT IDENTIFIER (tag 06) as dotted text.
std::string read_oid(const tlv::Element& element, std::string_view what);

// True for well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(ByteView text) noexcept;

// True when every byte is printable ASCII (0x20..0x7E).
bool is_printable_ascii(ByteView text) noexcept;

// True when `tag` is a string type the codecs read as text (UTF8String, PrintableString, IA5String).
bool is_text_tag(tlv::Tag tag) noexcept;

// The text of a string element: UTF-8 for UTF8String, printable ASCII for the others.
std::string read_text(const tlv::Element& element, std::string_view what);

// ParseError unless the text may be stored with that string type (InvalidArgument when encoding).
void check_text_for_encoding(std::string_view text, tlv::Tag string_type, std::string_view what);

}  // namespace cccd::lds::detail
