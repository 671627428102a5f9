#pragma once
// JSON view of an EF.SOD, shared by `cccd-card parse` and `cccd-card verify`.
#include "apps/cccd-card/json.hpp"
#include "base/bytes.hpp"

namespace cccd::tool {

// Writes one JSON object describing the SOD (hash algorithm, data-group hashes, signer, DS certificate).
void write_sod_json(ByteView sod, JsonWriter& out);

}  // namespace cccd::tool
