#include "auth/redis_challenge_store.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <condition_variable>
#include <mutex>
#include <utility>
#include <vector>

namespace cccd::auth {
namespace {

struct ContextDeleter {
    void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct ReplyDeleter {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

timeval to_timeval(std::chrono::milliseconds ms) {
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms.count() % 1000) * 1000);
    return tv;
}

// The error text Redis sent, cut short: it names commands, never our values.
std::string redis_error_text(const redisReply& reply) {
    return std::string(reply.str, std::min<std::size_t>(reply.len, 120));
}

}  // namespace

// A fixed number of connections, each used by one caller at a time.
class RedisChallengeStore::Pool {
public:
    explicit Pool(const RedisStoreOptions& options) : options_(options), idle_(options.pool_size) {
        if (options.pool_size == 0) throw InvalidArgument("a Redis pool needs at least one connection");
    }

    // Runs the command on a pooled connection; a connection that fails is dropped, made again and the
    // command retried once. nullptr never comes back: an unreachable Redis is ChallengeStoreError.
    ReplyPtr command(const std::vector<std::string>& args) {
        ContextPtr context = checkout();
        try {
            for (int attempt = 0;; ++attempt) {
                if (!context) context = connect();
                ReplyPtr reply = send(*context, args);
                if (reply) {
                    checkin(std::move(context));
                    return reply;
                }
                context.reset();  // the connection is broken: never reuse it
                if (attempt == 1) throw ChallengeStoreError("Redis did not answer");
            }
        } catch (...) {
            checkin(std::move(context));
            throw;
        }
    }

private:
    ContextPtr connect() {
        ContextPtr c(redisConnectWithTimeout(options_.host.c_str(), options_.port, to_timeval(options_.connect_timeout)));
        if (!c) throw ChallengeStoreError("cannot allocate a Redis connection");
        if (c->err != 0) throw ChallengeStoreError(std::string("cannot connect to Redis: ") + c->errstr);
        if (redisSetTimeout(c.get(), to_timeval(options_.command_timeout)) != REDIS_OK) {
            throw ChallengeStoreError("cannot set the Redis command timeout");
        }
        if (!options_.password.empty()) expect_ok(*c, {"AUTH", options_.password}, "AUTH");
        if (options_.database != 0) expect_ok(*c, {"SELECT", std::to_string(options_.database)}, "SELECT");
        return c;
    }

    static void expect_ok(redisContext& c, const std::vector<std::string>& args, std::string_view what) {
        ReplyPtr reply = send(c, args);
        if (!reply || reply->type == REDIS_REPLY_ERROR) {
            throw ChallengeStoreError("Redis refused " + std::string(what));
        }
    }

    static ReplyPtr send(redisContext& c, const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<std::size_t> lengths;
        for (const auto& a : args) {
            argv.push_back(a.data());
            lengths.push_back(a.size());
        }
        return ReplyPtr(
            static_cast<redisReply*>(redisCommandArgv(&c, static_cast<int>(argv.size()), argv.data(), lengths.data())));
    }

    ContextPtr checkout() {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return idle_ > 0; });
        --idle_;
        if (connections_.empty()) return nullptr;  // a fresh connection is made outside the lock
        ContextPtr c = std::move(connections_.back());
        connections_.pop_back();
        return c;
    }

    void checkin(ContextPtr context) {
        {
            std::lock_guard lock(mutex_);
            if (context) connections_.push_back(std::move(context));
            ++idle_;
        }
        available_.notify_one();
    }

    RedisStoreOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::size_t idle_;                      // slots free: open connections kept + connections not yet made
    std::vector<ContextPtr> connections_;  // open and idle
};

RedisChallengeStore::RedisChallengeStore(RedisStoreOptions options, Clock clock)
    : options_(std::move(options)), clock_(std::move(clock)), pool_(std::make_unique<Pool>(options_)) {
    if (!clock_) throw InvalidArgument("a challenge store needs a clock");
}

RedisChallengeStore::~RedisChallengeStore() = default;

void RedisChallengeStore::put(const Challenge& challenge) {
    if (!is_valid_challenge_id(challenge.id)) throw InvalidArgument("a challenge id is 22 base64url characters");
    const auto keep = std::chrono::duration_cast<std::chrono::milliseconds>(
        challenge.expires_at + options_.expired_retention - clock_());
    if (keep.count() <= 0) throw ChallengeStoreError("the challenge is already past its retention");
    ReplyPtr reply = pool_->command({"SET", options_.key_prefix + challenge.id, encode_challenge_record(challenge), "PX",
                                     std::to_string(keep.count()), "NX"});
    if (reply->type == REDIS_REPLY_ERROR) throw ChallengeStoreError("Redis refused SET: " + redis_error_text(*reply));
    if (reply->type == REDIS_REPLY_NIL) throw ChallengeStoreError("a challenge with this id is already stored");
}

std::optional<Challenge> RedisChallengeStore::take(std::string_view challenge_id) {
    // Ids that cannot be ours never reach Redis (and cannot smuggle a key outside the prefix).
    if (!is_valid_challenge_id(challenge_id)) return std::nullopt;
    const std::string key = options_.key_prefix + std::string(challenge_id);
    ReplyPtr reply = pool_->command({"GETDEL", key});
    if (reply->type == REDIS_REPLY_ERROR && redis_error_text(*reply).starts_with("ERR unknown command")) {
        // Redis before 6.2: the same take-and-delete as one script, which Redis also runs atomically.
        reply = pool_->command({"EVAL",
                                "local v = redis.call('GET', KEYS[1]) if v then redis.call('DEL', KEYS[1]) end return v",
                                "1", key});
    }
    if (reply->type == REDIS_REPLY_ERROR) throw ChallengeStoreError("Redis refused GETDEL: " + redis_error_text(*reply));
    if (reply->type == REDIS_REPLY_NIL) return std::nullopt;
    if (reply->type != REDIS_REPLY_STRING) throw ChallengeStoreError("Redis answered GETDEL with an unexpected type");
    return decode_challenge_record(challenge_id, std::string_view(reply->str, reply->len));
}

bool RedisChallengeStore::ping() {
    try {
        ReplyPtr reply = pool_->command({"PING"});
        return reply->type == REDIS_REPLY_STATUS;
    } catch (const ChallengeStoreError&) {
        return false;
    }
}

}  // namespace cccd::auth
