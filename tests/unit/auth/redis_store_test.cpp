// The Redis challenge store against a real redis-server this test starts on 127.0.0.1 at a port
// chosen at run time, stopped by its PID. Skipped only when redis-server is not installed.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "auth/redis_challenge_store.hpp"
#include "tests/unit/auth/store_race.hpp"

namespace cccd::auth {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRedisServer = "/usr/bin/redis-server";

// A port the kernel just handed out on 127.0.0.1 (released again for redis-server to bind).
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

class RedisServer {
public:
    RedisServer() {
        for (int attempt = 0; attempt < 5 && pid_ <= 0; ++attempt) start();
    }
    ~RedisServer() { stop(); }
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    int port() const { return port_; }
    bool running() const { return pid_ > 0; }

    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }

private:
    void start() {
        port_ = free_port();
        if (port_ <= 0) return;
        const std::string port = std::to_string(port_);
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::filesystem::current_path(std::filesystem::temp_directory_path());
            // Its start-up banner and warnings would clutter the test output.
            const int null_fd = ::open("/dev/null", O_WRONLY);
            if (null_fd >= 0) {
                ::dup2(null_fd, STDOUT_FILENO);
                ::dup2(null_fd, STDERR_FILENO);
            }
            ::execl(kRedisServer, kRedisServer, "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        pid_ = pid;
        // Ready when it answers PING.
        RedisStoreOptions options;
        options.port = port_;
        options.pool_size = 1;
        options.connect_timeout = 200ms;
        RedisChallengeStore probe(options);
        for (int i = 0; i < 100; ++i) {
            if (probe.ping()) return;
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) break;  // it died (port taken meanwhile?)
            std::this_thread::sleep_for(50ms);
        }
        stop();
    }

    pid_t pid_ = -1;
    int port_ = -1;
};

class RedisStore : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (::access(kRedisServer, X_OK) == 0) server_ = new RedisServer();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    void SetUp() override {
        if (server_ == nullptr) GTEST_SKIP() << "redis-server is not installed";
        ASSERT_TRUE(server_->running()) << "redis-server did not start";
    }
    RedisStoreOptions options(std::size_t pool = 4) const {
        RedisStoreOptions o;
        o.port = server_->port();
        o.pool_size = pool;
        return o;
    }

    Instant now_ = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    Clock clock_ = [this] { return now_; };
    static inline RedisServer* server_ = nullptr;
};

TEST_F(RedisStore, PutThenTakeOnceExactly) {
    RedisChallengeStore store(options(), clock_);
    const Challenge c = make_challenge("bank-01", now_);
    store.put(c);
    EXPECT_THROW(store.put(c), ChallengeStoreError);  // SET NX: never overwritten
    const auto taken = store.take(c.id);
    ASSERT_TRUE(taken);
    EXPECT_EQ(*taken, c);
    EXPECT_FALSE(store.take(c.id));
    EXPECT_FALSE(store.take("not a challenge id"));
}

TEST_F(RedisStore, ASecondServerProcessSeesTheSameChallengesOnce) {
    RedisChallengeStore server_a(options(), clock_);
    RedisChallengeStore server_b(options(), clock_);
    const Challenge c = make_challenge("bank-01", now_);
    server_a.put(c);
    ASSERT_TRUE(server_b.take(c.id));
    EXPECT_FALSE(server_a.take(c.id));
}

TEST_F(RedisStore, ExactlyOneOfEightRacingThreadsWins) {
    RedisChallengeStore store(options(8), clock_);
    test::expect_exactly_one_taker(store, now_, 100);
}

TEST_F(RedisStore, RedisDropsTheChallengeAfterExpiryAndRetention) {
    RedisStoreOptions o = options();
    o.expired_retention = 0s;
    RedisChallengeStore store(o, clock_);
    const Challenge short_lived = make_challenge("bank-01", now_, 1s);
    const Challenge long_lived = make_challenge("bank-01", now_, 60s);
    store.put(short_lived);
    store.put(long_lived);
    std::this_thread::sleep_for(1500ms);
    EXPECT_FALSE(store.take(short_lived.id));
    EXPECT_TRUE(store.take(long_lived.id));
    // A challenge already past its retention is not stored at all.
    EXPECT_THROW(store.put(make_challenge("bank-01", now_ - 120s, 60s)), ChallengeStoreError);
}

TEST_F(RedisStore, ReconnectsAfterTheServerDropsTheConnection) {
    if (::access("/usr/bin/redis-cli", X_OK) != 0) GTEST_SKIP() << "redis-cli is not installed";
    RedisChallengeStore store(options(1), clock_);
    const Challenge c = make_challenge("bank-01", now_);
    store.put(c);  // the pooled connection is open now
    // The server closes every normal client connection, ours included: the store must notice,
    // reconnect and retry.
    ASSERT_EQ(std::system(("/usr/bin/redis-cli -h 127.0.0.1 -p " + std::to_string(server_->port()) +
                           " CLIENT KILL TYPE normal > /dev/null 2>&1").c_str()),
              0);
    const auto taken = store.take(c.id);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->id, c.id);
}

// A measurement, not a check: run with --gtest_also_run_disabled_tests.
TEST_F(RedisStore, DISABLED_MeasurePutTakePairsPerSecond) {
    RedisChallengeStore store(options(8), clock_);
    constexpr int kThreads = 8, kPerThread = 2000;
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kPerThread; ++i) {
                const Challenge c = make_challenge("bank-01", now_);
                store.put(c);
                if (!store.take(c.id)) std::abort();
            }
        });
    }
    for (auto& t : threads) t.join();
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    std::printf("Redis put+take, 8 threads: %.0f pairs per second\n", kThreads * kPerThread / elapsed.count());
}

TEST_F(RedisStore, AnUnreachableRedisIsAStoreErrorNotAnAnswer) {
    RedisStoreOptions o = options(1);
    o.port = free_port();  // nobody listens there
    o.connect_timeout = 200ms;
    RedisChallengeStore store(o, clock_);
    EXPECT_FALSE(store.ping());
    EXPECT_THROW(store.put(make_challenge("bank-01", now_)), ChallengeStoreError);
    EXPECT_THROW(store.take("AAAAAAAAAAAAAAAAAAAAAA"), ChallengeStoreError);
}

}  // namespace
}  // namespace cccd::auth
