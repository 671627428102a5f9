#pragma once
// Throttling of failed officer logins, so a station (or someone at it) cannot guess passwords at the
// speed of Argon2id. Two counters, both consulted before a password is checked:
//   per officer ID (as typed):  after `officer_free_failures` wrong passwords in a row the ID is locked
//     for `officer_first_lock`, doubling with each further failure up to `officer_max_lock`; a
//     successful login resets it. An ID that does not exist is counted the same way, so the answers
//     do not tell which IDs exist.
//   per station: more than `station_failures` failures within `station_window` lock the station's
//     logins for `station_lock` (one station trying many officer IDs).
// While locked, even the right password is refused: the lock must not tell a right guess from a wrong
// one. Counters live in the process (each server instance counts on its own; docs/server.md).
//
// Pure bookkeeping with an injected clock: the API decides what to answer and what to audit.
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace cccd::server::security {

struct LoginThrottlePolicy {
    unsigned officer_free_failures = 5;
    std::chrono::seconds officer_first_lock{30};
    std::chrono::seconds officer_max_lock{std::chrono::minutes(15)};
    unsigned station_failures = 20;
    std::chrono::seconds station_window{std::chrono::minutes(10)};
    std::chrono::seconds station_lock{std::chrono::minutes(5)};
    std::size_t max_tracked = 100'000;  // officer IDs remembered at once; the oldest unlocked go first
};

class LoginThrottle {
public:
    using Clock = std::function<std::chrono::steady_clock::time_point()>;

    explicit LoginThrottle(LoginThrottlePolicy policy = {}, Clock clock = [] { return std::chrono::steady_clock::now(); });

    struct Lock {
        enum class Who { Officer, Station } who = Who::Officer;
        std::chrono::seconds retry_after{0};  // at least 1 s
    };
    // Whether a login for this officer ID at this station must be refused without checking the password.
    std::optional<Lock> locked(std::string_view officer_id, std::string_view station_id);
    // A wrong password (or an unknown or disabled officer). Returns the lock this failure started, if any.
    std::optional<Lock> failed(std::string_view officer_id, std::string_view station_id);
    // The right password: the officer's counter starts again (the station's window runs on).
    void succeeded(std::string_view officer_id);

    std::size_t tracked_officers() const;

private:
    using TimePoint = std::chrono::steady_clock::time_point;
    struct OfficerState {
        unsigned failures = 0;
        TimePoint locked_until{};
        TimePoint last_failure{};
    };
    struct StationState {
        unsigned failures = 0;
        TimePoint window_start{};
        TimePoint locked_until{};
    };
    static std::chrono::seconds remaining(TimePoint until, TimePoint now);
    void forget_oldest(TimePoint now);

    LoginThrottlePolicy policy_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::map<std::string, OfficerState, std::less<>> officers_;
    std::map<std::string, StationState, std::less<>> stations_;
};

}  // namespace cccd::server::security
