// AuditCheckpointer: when it signs, measured with a clock the test controls.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "crypto/random.hpp"
#include "server/audit/audit_log.hpp"
#include "server/audit/checkpoint_ticker.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server {
namespace {

using namespace std::chrono_literals;

// A steady clock that stands still until the test moves it; it starts shortly after its epoch, as
// steady_clock does on a machine that booted a moment ago.
struct ManualClock {
    std::atomic<std::chrono::steady_clock::time_point> now{std::chrono::steady_clock::time_point{} + 10s};
    AuditCheckpointer::SteadyClock function() {
        return [this] { return now.load(); };
    }
};

class Checkpointer : public ::testing::Test {
protected:
    void append(int count) {
        for (int i = 0; i < count; ++i) {
            storage->transaction([&](Transaction& t) {
                append_audit(t, {"2026-11-23T10:00:00Z", "officer:lan", "test.entry", std::to_string(i), "ok", ""});
            });
        }
    }
    std::uint64_t covered() {
        auto last = storage->read([](Transaction& t) { return t.last_checkpoint(); });
        return last ? last->sequence : 0;
    }

    testing::TempDir dir{"cccd-checkpointer"};
    std::unique_ptr<Storage> storage =
        open_storage({StorageKind::SqlCipher, dir.file("audit.db"), SecretBytes(crypto::random_bytes(32)), 2});
    crypto::Ed25519KeyPair key = crypto::Ed25519KeyPair::generate();
    ManualClock clock;
};

TEST_F(Checkpointer, CheckpointNowCoversTheLastEntryEvenShortlyAfterTheClocksEpoch) {
    AuditCheckpointer checkpointer(*storage, key, 1000, 3600s, clock.function());
    append(3);
    const auto made = checkpointer.checkpoint_now();
    ASSERT_TRUE(made.has_value());
    EXPECT_EQ(made->sequence, 3u);
    EXPECT_EQ(covered(), 3u);
    // Already covered: nothing new.
    EXPECT_FALSE(checkpointer.checkpoint_now().has_value());
}

TEST_F(Checkpointer, MaybeCheckpointSignsAfterEveryEntriesOrEveryTimeAndNotBefore) {
    AuditCheckpointer checkpointer(*storage, key, 5, 60s, clock.function());
    append(4);
    EXPECT_FALSE(checkpointer.maybe_checkpoint().has_value());
    append(1);
    EXPECT_EQ(checkpointer.maybe_checkpoint()->sequence, 5u);

    append(1);
    clock.now = clock.now.load() + 59s;
    EXPECT_FALSE(checkpointer.maybe_checkpoint().has_value());
    clock.now = clock.now.load() + 1s;
    EXPECT_EQ(checkpointer.maybe_checkpoint()->sequence, 6u);
    // Time alone, with nothing new to cover, signs nothing.
    clock.now = clock.now.load() + 600s;
    EXPECT_FALSE(checkpointer.maybe_checkpoint().has_value());
}

TEST_F(Checkpointer, EachCheckpointIsPublishedOnceInOrderAndChainedToTheOneBefore) {
    AuditCheckpointer checkpointer(*storage, key, 2, 3600s, clock.function());
    std::vector<AuditCheckpoint> published;
    checkpointer.on_checkpoint([&](const AuditCheckpoint& made) { published.push_back(made); });
    append(2);
    checkpointer.maybe_checkpoint();
    append(1);
    checkpointer.checkpoint_now();
    const auto stored = storage->read([](Transaction& t) { return t.checkpoints_from(1); });
    EXPECT_EQ(published, stored);
    ASSERT_EQ(stored.size(), 2u);
    EXPECT_EQ(stored[0].previous_checkpoint_hash, Bytes(32, 0));
    EXPECT_EQ(stored[1].previous_checkpoint_hash, security::checkpoint_digest(stored[0]));
}

// An idle server: no request calls maybe_checkpoint, the ticker does, and the last entries get covered
// once the interval has passed.
TEST_F(Checkpointer, TheTickerSignsATimeBasedCheckpointWithoutTraffic) {
    AuditCheckpointer checkpointer(*storage, key, 1000, 60s, clock.function());
    append(2);
    CheckpointTicker ticker(checkpointer, 5ms);
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(covered(), 0u) << "the interval has not passed";
    clock.now = clock.now.load() + 60s;
    for (int i = 0; i < 1000 && covered() == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(covered(), 2u);
    ticker.stop();
    ticker.stop();  // twice is harmless
}

}  // namespace
}  // namespace cccd::server
