#pragma once
// Where issued challenges wait to be redeemed. Taking one is atomic take-and-delete: however many
// callers race for the same id, at most one ever gets it, so a challenge authenticates at most once
// (and a replay finds nothing: challenge_unknown).
//
// An expired challenge is kept for `expired_retention` after its expiry so the pipeline can say
// challenge_expired rather than challenge_unknown; after that it is gone.
//   InProcessChallengeStore  the embedded default: a mutex and a map, one server process
//   RedisChallengeStore      scale-out: several servers share one Redis (redis_challenge_store.hpp)
#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/challenge.hpp"
#include "base/error.hpp"

namespace cccd::auth {

// The store cannot do what was asked: unreachable, full, or the id is already taken.
class ChallengeStoreError : public Error {
public:
    using Error::Error;
};

inline constexpr std::chrono::seconds kDefaultExpiredRetention{600};

class ChallengeStore {
public:
    virtual ~ChallengeStore() = default;
    // Keeps `challenge` until expires_at + expired_retention. ChallengeStoreError when its id is
    // already stored or the store cannot take it.
    virtual void put(const Challenge& challenge) = 0;
    // Removes and returns the challenge, expired or not; nothing when unknown or already taken.
    virtual std::optional<Challenge> take(std::string_view challenge_id) = 0;
    // True when the store answers (readiness probes). An in-process store always does.
    virtual bool ping() { return true; }
};

// The text form a shared store keeps: "v1|<rp id>|<nonce hex>|<created>|<expires>" (instants ISO 8601).
std::string encode_challenge_record(const Challenge& challenge);
// Back from that text (the id is not in it); ChallengeStoreError when it is not a record of ours.
Challenge decode_challenge_record(std::string_view challenge_id, std::string_view record);

struct InProcessStoreOptions {
    std::chrono::seconds expired_retention = kDefaultExpiredRetention;
    std::size_t max_entries = 1'000'000;  // a bound on memory: put refuses beyond it
};

class InProcessChallengeStore final : public ChallengeStore {
public:
    explicit InProcessChallengeStore(Clock clock = system_clock(), InProcessStoreOptions options = {});

    void put(const Challenge& challenge) override;
    std::optional<Challenge> take(std::string_view challenge_id) override;

    // Drops every challenge past its retention; returns how many. put also does it when the store
    // has doubled since the last purge, so memory stays proportional to live challenges.
    std::size_t purge_expired();
    std::size_t size() const;

private:
    std::size_t purge_locked(Instant now);

    Clock clock_;
    InProcessStoreOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, Challenge, std::less<>> challenges_;
    std::size_t size_after_last_purge_ = 0;
};

}  // namespace cccd::auth
