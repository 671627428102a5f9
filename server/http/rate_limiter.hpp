#pragma once
// Per-client rate limits: a token bucket per key (a relying party, a peer address), refilled
// continuously. In-process: with several server instances each enforces its own share
// (docs/authentication.md). Buckets idle for a minute are full again, like new ones, and are dropped
// now and then, so keys seen once do not pile up.
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
    // Buckets held.
    std::size_t size() const;

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };
    Bucket& refill(std::string_view key, std::uint32_t per_minute, Clock::time_point now);
    void drop_full_buckets(Clock::time_point now);
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
    std::size_t next_sweep_ = kFirstSweep;  // drop full buckets when this many are held
    static constexpr std::size_t kFirstSweep = 4096;
};

}  // namespace cccd::server::http
