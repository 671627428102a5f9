#pragma once
// JSON fields of a decoded LDS file, shared by `cccd-card parse` and `cccd-card read`.
#include <optional>

#include "apps/cccd-card/json.hpp"
#include "base/bytes.hpp"
#include "card/lds/lds_file.hpp"

namespace cccd::tool {

// Writes the decoded fields of `data` (a file of kind `kind`) into the open JSON object. Returns DG2's
// face image when there is one. ParseError when the file is malformed.
std::optional<Bytes> write_lds_fields(lds::LdsFile kind, ByteView data, JsonWriter& out);

}  // namespace cccd::tool
