#pragma once
// The wall clock as the register, the audit log and the station's queue write it.
#include <chrono>
#include <string>

namespace cccd {

// "2026-11-23T10:35:47Z" for `instant` (UTC, whole seconds), and for now.
std::string utc_time(std::chrono::system_clock::time_point instant);
std::string utc_now();

}  // namespace cccd
