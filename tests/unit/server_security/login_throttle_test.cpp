// Failed officer logins: locked per officer ID after a few failures (doubling), per station after many;
// while locked even the right password waits; success resets; memory stays bounded.
#include <gtest/gtest.h>

#include "server/security/login_throttle.hpp"

namespace cccd::server::security {
namespace {

using namespace std::chrono_literals;

struct LoginThrottleTest : ::testing::Test {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{} + 1000h;
    LoginThrottle throttle{LoginThrottlePolicy{}, [this] { return now; }};
};

TEST_F(LoginThrottleTest, FiveWrongPasswordsLockTheOfficerForThirtySecondsThenLonger) {
    for (int i = 0; i < 4; ++i) {
        EXPECT_FALSE(throttle.locked("canbo01", "HCM-Q1-01"));
        EXPECT_FALSE(throttle.failed("canbo01", "HCM-Q1-01"));
    }
    const auto started = throttle.failed("canbo01", "HCM-Q1-01");
    ASSERT_TRUE(started);
    EXPECT_EQ(started->who, LoginThrottle::Lock::Who::Officer);
    EXPECT_EQ(started->retry_after, 30s);
    const auto lock = throttle.locked("canbo01", "HCM-Q1-01");
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->retry_after, 30s);
    EXPECT_FALSE(throttle.locked("canbo02", "HCM-Q1-01"));  // another officer at the same station

    now += 31s;
    EXPECT_FALSE(throttle.locked("canbo01", "HCM-Q1-01"));
    const auto longer = throttle.failed("canbo01", "HCM-Q1-01");
    ASSERT_TRUE(longer);
    EXPECT_EQ(longer->retry_after, 60s);
    for (int i = 0; i < 30; ++i) {
        now += 16min;
        throttle.failed("canbo01", "HCM-Q1-" + std::to_string(i));
    }
    EXPECT_EQ(throttle.locked("canbo01", "HCM-Q1-01")->retry_after, 15min);  // capped
}

TEST_F(LoginThrottleTest, SuccessResetsTheOfficersCount) {
    for (int i = 0; i < 4; ++i) throttle.failed("canbo01", "HCM-Q1-01");
    throttle.succeeded("canbo01");
    for (int i = 0; i < 4; ++i) EXPECT_FALSE(throttle.failed("canbo01", "HCM-Q1-01"));
}

TEST_F(LoginThrottleTest, AStationTryingManyOfficerIdsIsLocked) {
    for (int i = 0; i < 20; ++i) EXPECT_FALSE(throttle.failed("guess" + std::to_string(i), "HCM-Q1-01"));
    const auto started = throttle.failed("guess20", "HCM-Q1-01");
    ASSERT_TRUE(started);
    EXPECT_EQ(started->who, LoginThrottle::Lock::Who::Station);
    const auto lock = throttle.locked("canbo01", "HCM-Q1-01");  // every officer at that station
    ASSERT_TRUE(lock);
    EXPECT_EQ(lock->who, LoginThrottle::Lock::Who::Station);
    EXPECT_FALSE(throttle.locked("canbo01", "HCM-Q1-02"));       // not at the others
    now += 5min + 1s;
    EXPECT_FALSE(throttle.locked("canbo01", "HCM-Q1-01"));
}

TEST_F(LoginThrottleTest, FailuresSpreadOverTimeDoNotLockTheStation) {
    for (int i = 0; i < 100; ++i) {
        now += 1min;
        EXPECT_FALSE(throttle.failed("guess" + std::to_string(i), "HCM-Q1-01")) << i;
    }
}

TEST(LoginThrottleMemory, InventedIdsDoNotGrowTheTableWithoutBound) {
    auto now = std::chrono::steady_clock::time_point{} + 1000h;
    LoginThrottlePolicy policy;
    policy.max_tracked = 1000;
    policy.station_failures = 1'000'000;
    LoginThrottle throttle(policy, [&] { return now; });
    for (int i = 0; i < 20'000; ++i) {
        now += 1ms;
        throttle.failed("id" + std::to_string(i), "HCM-Q1-01");
    }
    EXPECT_LE(throttle.tracked_officers(), 1000u);
}

}  // namespace
}  // namespace cccd::server::security
