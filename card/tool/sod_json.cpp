#include "card/tool/sod_json.hpp"

#include "card/core/error.hpp"

namespace cccd::tool {

// Placeholder until the SOD codec lands.
void write_sod_json(ByteView, JsonWriter&) { throw ParseError("EF.SOD decoding is not available yet"); }

}  // namespace cccd::tool
