// The token bucket: a burst up to the limit, then refused, refilled with time, keys independent.
#include "server/http/rate_limiter.hpp"

#include <gtest/gtest.h>

using cccd::server::http::RateLimiter;
using namespace std::chrono_literals;

TEST(RateLimiter, ABurstUpToTheLimitThenRefusalThenRefill) {
    RateLimiter limiter;
    auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 60; ++i) EXPECT_TRUE(limiter.allow("bank-01", 60, t0)) << i;
    EXPECT_FALSE(limiter.allow("bank-01", 60, t0));
    EXPECT_EQ(limiter.retry_after_seconds("bank-01", 60, t0), 1u);
    EXPECT_TRUE(limiter.allow("bank-02", 60, t0)) << "another party has its own bucket";
    EXPECT_TRUE(limiter.allow("bank-01", 60, t0 + 1s)) << "one token per second at 60/min";
    EXPECT_FALSE(limiter.allow("bank-01", 60, t0 + 1s));
    EXPECT_TRUE(limiter.allow("bank-01", 60, t0 + 10min));
    EXPECT_FALSE(limiter.allow("blocked", 0, t0));
}

// A bucket untouched for a minute is full again, the same as a new one: such buckets are dropped, so
// keys seen once (anonymous peers, one per address) do not pile up for good.
TEST(RateLimiter, BucketsIdleForAMinuteAreDropped) {
    RateLimiter limiter;
    auto t0 = RateLimiter::Clock::now();
    limiter.allow("spent", 1, t0 + 59s);
    for (int i = 0; i < 100000; ++i) limiter.allow("early-" + std::to_string(i), 10, t0);
    for (int i = 0; i < 100000; ++i) limiter.allow("late-" + std::to_string(i), 10, t0 + 61s);
    EXPECT_LT(limiter.size(), 150000u) << "the buckets idle since t0 are still held";
    EXPECT_FALSE(limiter.allow("spent", 1, t0 + 61s)) << "a bucket used within the minute keeps its state";
    EXPECT_TRUE(limiter.allow("spent", 1, t0 + 125s));
}
