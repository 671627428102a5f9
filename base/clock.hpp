#pragma once
// The wall clock as the register, the audit log and the station's queue write it.
#include <string>

namespace cccd {

// "2026-11-23T10:35:47Z" for now (UTC, whole seconds).
std::string utc_now();

}  // namespace cccd
