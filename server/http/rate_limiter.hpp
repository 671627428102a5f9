#pragma once
// Per-client rate limits: a token bucket per key (a relying party, a station), refilled continuously.
// In-process: with several server instances each enforces its own share (docs/authentication.md).
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cccd::server::http {

class RateLimiter {
public:
    using Clock = std::chrono::steady_clock;

    // Takes one token for `key` whose limit is `per_minute` (bursts up to the same number). False when
    // the bucket is empty: answer 429 too_many_requests with Retry-After.
    bool allow(std::string_view key, std::uint32_t per_minute, Clock::time_point now = Clock::now());
    // Seconds until `key` has a token again (0 when it has one).
    std::uint32_t retry_after_seconds(std::string_view key, std::uint32_t per_minute, Clock::time_point now = Clock::now());

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    Bucket& refill(std::string_view key, std::uint32_t per_minute, Clock::time_point now);
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace cccd::server::http
