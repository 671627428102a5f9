#include "server/security/login_throttle.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace cccd::server::security {

LoginThrottle::LoginThrottle(LoginThrottlePolicy policy, Clock clock) : policy_(policy), clock_(std::move(clock)) {
    policy_.officer_free_failures = std::max(policy_.officer_free_failures, 1u);
    policy_.max_tracked = std::max<std::size_t>(policy_.max_tracked, 16);
}

std::chrono::seconds LoginThrottle::remaining(TimePoint until, TimePoint now) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(until - now);
    return std::max(left, std::chrono::seconds(1));
}

std::optional<LoginThrottle::Lock> LoginThrottle::locked(std::string_view officer_id, std::string_view station_id) {
    const TimePoint now = clock_();
    std::lock_guard lock(mutex_);
    if (auto station = stations_.find(station_id); station != stations_.end() && station->second.locked_until > now)
        return Lock{Lock::Who::Station, remaining(station->second.locked_until, now)};
    if (auto officer = officers_.find(officer_id); officer != officers_.end() && officer->second.locked_until > now)
        return Lock{Lock::Who::Officer, remaining(officer->second.locked_until, now)};
    return std::nullopt;
}

std::optional<LoginThrottle::Lock> LoginThrottle::failed(std::string_view officer_id, std::string_view station_id) {
    const TimePoint now = clock_();
    std::lock_guard lock(mutex_);
    std::optional<Lock> started;

    auto officer = officers_.find(officer_id);
    if (officer == officers_.end()) {
        if (officers_.size() >= policy_.max_tracked) forget_oldest(now);
        officer = officers_.emplace(std::string(officer_id), OfficerState{}).first;
    }
    OfficerState& o = officer->second;
    ++o.failures;
    o.last_failure = now;
    if (o.failures >= policy_.officer_free_failures) {
        // 30 s, 60 s, 120 s, ... for each failure past the free ones, up to the maximum.
        const unsigned doublings = std::min(o.failures - policy_.officer_free_failures, 20u);
        const std::chrono::seconds doubled(policy_.officer_first_lock.count() << doublings);
        const std::chrono::seconds lock_for = std::min(doubled, policy_.officer_max_lock);
        o.locked_until = now + lock_for;
        started = Lock{Lock::Who::Officer, lock_for};
    }

    StationState& s = stations_[std::string(station_id)];
    if (now - s.window_start >= policy_.station_window) {
        s.window_start = now;
        s.failures = 0;
    }
    if (++s.failures > policy_.station_failures) {
        s.locked_until = now + policy_.station_lock;
        s.window_start = now;
        s.failures = 0;
        started = Lock{Lock::Who::Station, policy_.station_lock};
    }
    return started;
}

void LoginThrottle::succeeded(std::string_view officer_id) {
    std::lock_guard lock(mutex_);
    if (auto officer = officers_.find(officer_id); officer != officers_.end()) officers_.erase(officer);
}

std::size_t LoginThrottle::tracked_officers() const {
    std::lock_guard lock(mutex_);
    return officers_.size();
}

// Makes room: drops the unlocked IDs whose last failure is oldest (a tenth of the table at a time, so
// a flood of invented IDs costs one sort per many failures). Locked IDs stay locked.
void LoginThrottle::forget_oldest(TimePoint now) {
    std::vector<std::pair<TimePoint, std::string>> unlocked;
    for (const auto& [id, state] : officers_)
        if (state.locked_until <= now) unlocked.emplace_back(state.last_failure, id);
    std::sort(unlocked.begin(), unlocked.end());
    const std::size_t drop = std::max<std::size_t>(1, policy_.max_tracked / 10);
    for (std::size_t i = 0; i < unlocked.size() && i < drop; ++i) officers_.erase(unlocked[i].second);
}

}  // namespace cccd::server::security
