#include "auth/challenge_store.hpp"

#include <utility>
#include <vector>

#include "base/clock.hpp"

namespace cccd::auth {

std::string encode_challenge_record(const Challenge& c) {
    return "v1|" + c.relying_party_id + "|" + to_hex(c.nonce) + "|" + utc_time(c.created_at) + "|" +
           utc_time(c.expires_at);
}

Challenge decode_challenge_record(std::string_view challenge_id, std::string_view record) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (parts.size() < 6) {
        const std::size_t bar = record.find('|', start);
        parts.push_back(record.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start));
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    if (parts.size() != 5 || parts[0] != "v1") throw ChallengeStoreError("a stored challenge is not a v1 record");
    try {
        Challenge c;
        c.id = std::string(challenge_id);
        check_relying_party_id(parts[1]);
        c.relying_party_id = std::string(parts[1]);
        c.nonce = from_hex(parts[2]);
        if (c.nonce.size() != kNonceSize) throw InvalidArgument("nonce length");
        c.created_at = parse_instant(parts[3]);
        c.expires_at = parse_instant(parts[4]);
        return c;
    } catch (const InvalidArgument&) {
        throw ChallengeStoreError("a stored challenge record is damaged");
    }
}

InProcessChallengeStore::InProcessChallengeStore(Clock clock, InProcessStoreOptions options)
    : clock_(std::move(clock)), options_(options) {
    if (!clock_) throw InvalidArgument("a challenge store needs a clock");
}

void InProcessChallengeStore::put(const Challenge& challenge) {
    const Instant now = clock_();
    std::lock_guard lock(mutex_);
    if (challenges_.size() >= 2 * size_after_last_purge_ + 1024 || challenges_.size() >= options_.max_entries) {
        purge_locked(now);
    }
    if (challenges_.size() >= options_.max_entries) throw ChallengeStoreError("the challenge store is full");
    if (!challenges_.emplace(challenge.id, challenge).second) {
        throw ChallengeStoreError("a challenge with this id is already stored");
    }
}

std::optional<Challenge> InProcessChallengeStore::take(std::string_view challenge_id) {
    std::lock_guard lock(mutex_);
    auto it = challenges_.find(challenge_id);
    if (it == challenges_.end()) return std::nullopt;
    Challenge taken = std::move(it->second);
    challenges_.erase(it);
    // Past its retention it counts as gone, exactly as Redis would have dropped it.
    if (taken.expires_at + options_.expired_retention <= clock_()) return std::nullopt;
    return taken;
}

std::size_t InProcessChallengeStore::purge_expired() {
    const Instant now = clock_();
    std::lock_guard lock(mutex_);
    return purge_locked(now);
}

std::size_t InProcessChallengeStore::purge_locked(Instant now) {
    std::size_t removed = 0;
    for (auto it = challenges_.begin(); it != challenges_.end();) {
        if (it->second.expires_at + options_.expired_retention <= now) {
            it = challenges_.erase(it);
            ++removed;
        } else {
            ++it;
        }
    }
    size_after_last_purge_ = challenges_.size();
    return removed;
}

std::size_t InProcessChallengeStore::size() const {
    std::lock_guard lock(mutex_);
    return challenges_.size();
}

}  // namespace cccd::auth
