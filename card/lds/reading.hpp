#pragma once
// Reading shared by the LDS codecs: lenient on the form, strict on the content. Any BER length form is
// read as chips serve it (indefinite, longer than needed) and strings in the constructed form are
// joined; tags, INTEGERs, OIDs and text must be right. Messages name the file being read. Hashes are
// taken over the file as read, never over a re-encoding; the codecs' encoders write DER.
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

// The element must carry `tag`.
void require_tag(const tlv::Element& element, tlv::Tag tag, std::string_view what);

// Exactly one element with `tag` that fills `data`.
tlv::Element read_one(ByteView data, tlv::Tag tag, std::string_view what);

// The next element of `reader`, which must carry `tag`.
tlv::Element expect_tag(tlv::Reader& reader, tlv::Tag tag, std::string_view what);

// The next element of `reader` whatever its tag.
tlv::Element next_element(tlv::Reader& reader, std::string_view what);

// A DER INTEGER (tag 02, minimal content) between 0 and `max`.
std::uint64_t read_integer(const tlv::Element& element, std::uint64_t max, std::string_view what);

// A DER OBJECT IDENTIFIER (tag 06) as dotted text.
std::string read_oid(const tlv::Element& element, std::string_view what);

// True for well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(ByteView text) noexcept;

// True when every byte is printable ASCII (0x20..0x7E).
bool is_printable_ascii(ByteView text) noexcept;

// True when `tag` is a string type the codecs read as text (UTF8String, PrintableString, IA5String),
// in the primitive form or BER's constructed one.
bool is_text_tag(tlv::Tag tag) noexcept;

// The primitive tag of a text element's string type (0x2C, a constructed UTF8String, gives 0x0C).
tlv::Tag text_type(tlv::Tag tag) noexcept;

// The text of a string element: UTF-8 for UTF8String, printable ASCII for the others.
std::string read_text(const tlv::Element& element, std::string_view what);

// ParseError unless the text may be stored with that string type (InvalidArgument when encoding).
void check_text_for_encoding(std::string_view text, tlv::Tag string_type, std::string_view what);

}  // namespace cccd::lds::detail
