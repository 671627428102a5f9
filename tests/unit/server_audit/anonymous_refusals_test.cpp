// AnonymousRefusals: refusals of callers without a client certificate become one audit entry per peer
// and minute, with the counts per code; the peers told apart are bounded; nothing is lost when a
// minute turns or the server stops.
#include <gtest/gtest.h>

#include <chrono>

#include "crypto/random.hpp"
#include "server/audit/anonymous_refusals.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server {
namespace {

using namespace std::chrono_literals;

class AnonymousRefusalsTest : public ::testing::Test {
protected:
    std::vector<AuditEntry> entries() {
        return storage->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }

    testing::TempDir dir{"cccd-anonymous"};
    std::unique_ptr<Storage> storage =
        open_storage({StorageKind::SqlCipher, dir.file("audit.db"), SecretBytes(crypto::random_bytes(32)), 2});
    std::chrono::system_clock::time_point now = std::chrono::sys_days{std::chrono::year{2026} / 12 / 5} + 10h + 41min + 7s;
};

TEST_F(AnonymousRefusalsTest, AMinuteOfRefusalsIsOneEntryPerPeerWithTheCountsPerCode) {
    AnonymousRefusals refusals(*storage, 1000, [this] { return now; });
    for (int i = 0; i < 300; ++i) refusals.record("203.0.113.7", i % 3 == 0 ? "unauthenticated" : "station_unknown");
    for (int i = 0; i < 5; ++i) refusals.record("198.51.100.2", "station_unknown");
    EXPECT_TRUE(entries().empty()) << "counted, not written one by one";

    refusals.flush_finished_minute();
    EXPECT_TRUE(entries().empty()) << "the minute is not over";
    now += 1min;
    refusals.flush_finished_minute();
    const auto written = entries();
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0].actor, "anonymous:198.51.100.2");
    EXPECT_EQ(written[0].action, "refusals.anonymous");
    EXPECT_EQ(written[0].detail, "2026-12-05T10:41Z: 5 refused (station_unknown 5)");
    EXPECT_EQ(written[1].actor, "anonymous:203.0.113.7");
    EXPECT_EQ(written[1].detail, "2026-12-05T10:41Z: 300 refused (station_unknown 200, unauthenticated 100)");
}

TEST_F(AnonymousRefusalsTest, TheNextMinutesFirstRefusalWritesThePreviousMinute) {
    AnonymousRefusals refusals(*storage, 1000, [this] { return now; });
    refusals.record("203.0.113.7", "unauthenticated");
    now += 1min;
    refusals.record("203.0.113.7", "unauthenticated");
    EXPECT_EQ(entries().size(), 1u);
    refusals.flush();  // shutdown: what is counted is written
    EXPECT_EQ(entries().size(), 2u);
    EXPECT_EQ(refusals.entries_written(), 2u);
}

TEST_F(AnonymousRefusalsTest, ManyPeersAreBoundedToMaxPeersEntriesAMinute) {
    AnonymousRefusals refusals(*storage, 10, [this] { return now; });
    for (int i = 0; i < 5000; ++i) refusals.record("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), "unauthenticated");
    refusals.flush();
    const auto written = entries();
    EXPECT_EQ(written.size(), 10u);
    std::uint64_t total = 0;
    for (const auto& e : written) total += std::stoull(e.detail.substr(e.detail.find(": ") + 2));
    EXPECT_EQ(total, 5000u) << "every refusal is counted somewhere";
    bool others = false;
    for (const auto& e : written) others = others || e.actor == "anonymous:(other peers)";
    EXPECT_TRUE(others);
}

}  // namespace
}  // namespace cccd::server
