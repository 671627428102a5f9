// AuditCheckpointer: when it signs, measured with a clock the test controls.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "card/crypto/random.hpp"
#include "server/audit/audit_log.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server {
namespace {

using namespace std::chrono_literals;

// A steady clock that stands still until the test moves it; it starts shortly after its epoch, as
// steady_clock does on a machine that booted a moment ago.
struct ManualClock {
    std::chrono::steady_clock::time_point now = std::chrono::steady_clock::time_point{} + 10s;
    AuditCheckpointer::SteadyClock function() {
        return [this] { return now; };
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
    security::Ed25519KeyPair key = security::Ed25519KeyPair::generate();
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
    clock.now += 59s;
    EXPECT_FALSE(checkpointer.maybe_checkpoint().has_value());
    clock.now += 1s;
    EXPECT_EQ(checkpointer.maybe_checkpoint()->sequence, 6u);
    // Time alone, with nothing new to cover, signs nothing.
    clock.now += 600s;
    EXPECT_FALSE(checkpointer.maybe_checkpoint().has_value());
}

}  // namespace
}  // namespace cccd::server
