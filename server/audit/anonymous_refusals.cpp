#include "server/audit/anonymous_refusals.hpp"

#include <ctime>
#include <vector>

#include "base/clock.hpp"
#include "server/audit/audit_log.hpp"

namespace cccd::server {

namespace {

constexpr std::string_view kOtherPeers = "(other peers)";

std::string minute_text(std::chrono::time_point<std::chrono::system_clock, std::chrono::minutes> minute) {
    const std::time_t t = std::chrono::system_clock::to_time_t(minute);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%MZ", &tm);
    return buf;
}

}  // namespace

AnonymousRefusals::AnonymousRefusals(Storage& storage, std::size_t max_peers, Clock clock)
    : storage_(storage), max_peers_(max_peers == 0 ? 1 : max_peers), clock_(std::move(clock)) {}

void AnonymousRefusals::record(std::string_view peer_address, std::string_view code) {
    std::lock_guard lock(mutex_);
    const auto minute = std::chrono::floor<std::chrono::minutes>(clock_());
    if (minute != minute_ && !peers_.empty()) {
        try {
            write_locked();
        } catch (const std::exception&) {
            // Kept and written with the next minute's counts: a refusal stands without its entry.
        }
    }
    minute_ = minute;
    std::string_view key = peer_address.empty() ? std::string_view("(unknown)") : peer_address;
    auto peer = peers_.find(key);
    if (peer == peers_.end()) {
        if (peers_.size() + 1 >= max_peers_) key = kOtherPeers;
        peer = peers_.try_emplace(std::string(key)).first;
    }
    ++peer->second.total;
    ++peer->second.by_code[std::string(code)];
}

void AnonymousRefusals::flush() {
    std::lock_guard lock(mutex_);
    if (!peers_.empty()) write_locked();
}

void AnonymousRefusals::flush_finished_minute() {
    std::lock_guard lock(mutex_);
    if (!peers_.empty() && std::chrono::floor<std::chrono::minutes>(clock_()) != minute_) write_locked();
}

std::uint64_t AnonymousRefusals::entries_written() const {
    std::lock_guard lock(mutex_);
    return written_;
}

// Called with the lock held: one transaction, one entry per peer counted this minute.
void AnonymousRefusals::write_locked() {
    std::vector<security::AuditFields> entries;
    entries.reserve(peers_.size());
    const std::string when = minute_text(minute_);
    for (const auto& [peer, counts] : peers_) {
        std::string detail = when + ": " + std::to_string(counts.total) + " refused (";
        bool first = true;
        for (const auto& [code, count] : counts.by_code) {
            detail += (first ? "" : ", ") + code + " " + std::to_string(count);
            first = false;
        }
        detail += ")";
        entries.push_back({utc_now(), "anonymous:" + peer, "refusals.anonymous", "", "refused", std::move(detail)});
    }
    storage_.transaction([&](Transaction& t) {
        for (const auto& fields : entries) append_audit(t, fields);
    });
    written_ += entries.size();
    peers_.clear();
}

}  // namespace cccd::server
