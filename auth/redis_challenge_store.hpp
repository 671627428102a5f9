#pragma once
// The challenge store shared by several server processes: one Redis (6.2 or later), over hiredis.
//   put   SET <prefix><id> <record> PX <ms until expiry + retention> NX   (an existing id is refused)
//   take  GETDEL <prefix><id>                                             (atomic in Redis itself)
// Redis runs commands one at a time, so however many servers race for one id, one GETDEL returns it
// and every other returns nil. A pool of connections serves concurrent callers; a connection that
// fails is dropped and made again, and the command is retried once on the new connection (a take
// retried after its reply was lost finds nothing: it fails closed).
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "auth/challenge_store.hpp"

namespace cccd::auth {

struct RedisStoreOptions {
    std::string host = "127.0.0.1";
    int port = 6379;
    std::string password;  // AUTH when not empty (never logged)
    int database = 0;      // SELECT when not 0
    std::string key_prefix = "cccd:auth:challenge:";
    std::size_t pool_size = 4;
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{1000};
    std::chrono::seconds expired_retention = kDefaultExpiredRetention;
};

class RedisChallengeStore final : public ChallengeStore {
public:
    // Connects lazily: the first command opens a connection. ChallengeStoreError from put/take when
    // Redis cannot be reached or refuses.
    explicit RedisChallengeStore(RedisStoreOptions options, Clock clock = system_clock());
    ~RedisChallengeStore() override;
    RedisChallengeStore(const RedisChallengeStore&) = delete;
    RedisChallengeStore& operator=(const RedisChallengeStore&) = delete;

    void put(const Challenge& challenge) override;
    std::optional<Challenge> take(std::string_view challenge_id) override;

    // PING; false when Redis cannot be reached (for readiness checks).
    bool ping() override;

private:
    class Pool;
    RedisStoreOptions options_;
    Clock clock_;
    std::unique_ptr<Pool> pool_;
};

}  // namespace cccd::auth
