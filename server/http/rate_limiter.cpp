#include "server/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace cccd::server::http {

// A bucket refills from empty to its burst (per_minute tokens) in one minute at any rate, so one left
// alone for a minute is the same as no bucket. Sweeping when the map has doubled keeps the cost O(1)
// per call and the map within twice the keys used in the last minute.
void RateLimiter::drop_full_buckets(Clock::time_point now) {
    std::erase_if(buckets_, [now](const auto& entry) { return now - entry.second.updated >= std::chrono::minutes(1); });
    next_sweep_ = std::max(kFirstSweep, 2 * buckets_.size());
}

RateLimiter::Bucket& RateLimiter::refill(std::string_view key, std::uint32_t per_minute, Clock::time_point now) {
    if (buckets_.size() >= next_sweep_) drop_full_buckets(now);
    auto [it, created] = buckets_.try_emplace(std::string(key));
    Bucket& b = it->second;
    if (created) {
        b.tokens = per_minute;
        b.updated = now;
        return b;
    }
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) {
        b.tokens = std::min<double>(per_minute, b.tokens + elapsed * per_minute / 60.0);
        b.updated = now;
    }
    return b;
}

bool RateLimiter::allow(std::string_view key, std::uint32_t per_minute, Clock::time_point now) {
    if (per_minute == 0) return false;
    std::lock_guard lock(mutex_);
    Bucket& b = refill(key, per_minute, now);
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

std::uint32_t RateLimiter::retry_after_seconds(std::string_view key, std::uint32_t per_minute, Clock::time_point now) {
    if (per_minute == 0) return 60;
    std::lock_guard lock(mutex_);
    Bucket& b = refill(key, per_minute, now);
    if (b.tokens >= 1.0) return 0;
    return static_cast<std::uint32_t>(std::ceil((1.0 - b.tokens) * 60.0 / per_minute));
}

std::size_t RateLimiter::size() const {
    std::lock_guard lock(mutex_);
    return buckets_.size();
}

}  // namespace cccd::server::http
