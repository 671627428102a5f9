#pragma once
// Bytes as text for JSON, tokens and file names: base64 (RFC 4648) in both alphabets and lower-case hex.
#include <string>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd {

// Lower-case hex, the form used for key ids and certificate fingerprints.
std::string lower_hex(ByteView bytes);

// URL-safe base64 without padding (RFC 4648 §5), and back; InvalidArgument on anything else.
std::string base64url_encode(ByteView bytes);
Bytes base64url_decode(std::string_view text);
// Standard base64 with padding (RFC 4648 §4), as JSON APIs carry bytes; InvalidArgument when malformed.
std::string base64_encode(ByteView bytes);
Bytes base64_decode(std::string_view text);

}  // namespace cccd
