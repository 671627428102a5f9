#include "base/clock.hpp"

#include <ctime>

namespace cccd {

std::string utc_time(std::chrono::system_clock::time_point instant) {
    const std::time_t t = std::chrono::system_clock::to_time_t(instant);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string utc_now() { return utc_time(std::chrono::system_clock::now()); }

}  // namespace cccd
