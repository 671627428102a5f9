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
