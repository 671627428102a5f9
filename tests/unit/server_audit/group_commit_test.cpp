// AuditGroupCommit: entries of concurrent callers share commits, and every caller returns only when its
// own entry is in the chain.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "crypto/random.hpp"
#include "server/audit/group_commit.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::server {
namespace {

class GroupCommit : public ::testing::Test {
protected:
    std::vector<AuditEntry> entries() {
        return storage->read([](Transaction& t) {
            auto last = t.last_audit();
            return last ? t.audit_range(1, last->sequence) : std::vector<AuditEntry>{};
        });
    }

    testing::TempDir dir{"cccd-audit"};
    std::unique_ptr<Storage> storage =
        open_storage({StorageKind::SqlCipher, dir.file("audit.db"), SecretBytes(crypto::random_bytes(32)), 8});
};

TEST_F(GroupCommit, OneCallerAloneCommitsItsEntryBeforeReturning) {
    AuditGroupCommit log(*storage);
    log.append({"2026-11-23T10:00:00Z", "rp:bank-01", "auth.verify", "0000000000000042", "ok", "loa high"});
    const auto all = entries();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0].actor, "rp:bank-01");
    EXPECT_EQ(all[0].subject, "0000000000000042");
    EXPECT_EQ(log.groups_committed(), 1u);
    EXPECT_EQ(log.entries_committed(), 1u);
}

TEST_F(GroupCommit, ConcurrentCallersShareCommitsAndTheChainHoldsEveryEntryOnce) {
    AuditGroupCommit log(*storage);
    constexpr int kThreads = 16, kEach = 40;
    std::atomic<int> returned{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                log.append({"2026-11-23T10:00:00Z", "rp:bank-" + std::to_string(t), "auth.verify", std::to_string(i), "ok", ""});
                ++returned;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(returned.load(), kThreads * kEach);

    const auto all = entries();
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
    std::set<std::pair<std::string, std::string>> seen;
    for (std::size_t i = 0; i < all.size(); ++i) {
        EXPECT_EQ(all[i].sequence, i + 1);
        EXPECT_TRUE(seen.emplace(all[i].actor, all[i].subject).second) << "entry written twice";
    }
    EXPECT_TRUE(security::verify_chain(all, nullptr).ok);
    EXPECT_EQ(log.entries_committed(), static_cast<std::uint64_t>(kThreads * kEach));
    // Sixteen writers against one fsync at a time: commits carry several entries.
    EXPECT_LT(log.groups_committed(), log.entries_committed());
}

// A store whose write transactions fail on demand; the first write can be slowed down so that other
// callers queue up behind it.
class FlakyStorage final : public Storage {
public:
    explicit FlakyStorage(Storage& inner) : inner_(inner) {}
    StorageKind kind() const noexcept override { return inner_.kind(); }
    void import_citizens(std::span<const Citizen> citizens, std::size_t batch_size) override {
        inner_.import_citizens(citizens, batch_size);
    }
    std::atomic<int> fail_write_number{0};  // 1-based; 0: none
    std::atomic<bool> fail_all_writes{false};
    // The write with this number commits, then reports that its outcome is unknown (as PostgreSQL does
    // when the connection breaks during COMMIT).
    std::atomic<int> commit_then_unknown_write_number{0};
    // The write with this number reports an unknown outcome without having committed.
    std::atomic<int> unknown_without_commit_write_number{0};
    std::chrono::milliseconds first_write_delay{0};
    // When set, the first write waits until the test opens it.
    std::shared_future<void> first_write_gate;

protected:
    void run(Mode mode, const std::function<void(Transaction&)>& work) override {
        if (mode == Mode::ReadWrite) {
            const int number = ++writes_;
            if (number == 1) std::this_thread::sleep_for(first_write_delay);
            if (number == 1 && first_write_gate.valid()) first_write_gate.wait();
            if (fail_all_writes || number == fail_write_number) throw StorageError("storage: the disk is full");
            if (number == unknown_without_commit_write_number)
                throw CommitOutcomeUnknownError("storage: commit: the outcome is unknown");
            inner_.transaction(work);
            if (number == commit_then_unknown_write_number)
                throw CommitOutcomeUnknownError("storage: commit: the outcome is unknown");
        } else {
            inner_.read(work);
        }
    }

private:
    Storage& inner_;
    std::atomic<int> writes_{0};
};

TEST_F(GroupCommit, AGroupThatFailsIsRetriedEntryByEntrySoNoCallerLosesItsEntry) {
    FlakyStorage flaky(*storage);
    flaky.first_write_delay = std::chrono::milliseconds(200);  // the others queue behind the first caller
    flaky.fail_write_number = 2;                                 // the second commit: the queued group
    AuditGroupCommit log(flaky);
    constexpr int kThreads = 8;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    threads.emplace_back([&] { log.append({"2026-11-23T10:00:00Z", "rp:first", "auth.verify", "0", "ok", ""}); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int t = 1; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                log.append({"2026-11-23T10:00:00Z", "rp:bank-" + std::to_string(t), "auth.verify", "0", "ok", ""});
            } catch (const StorageError&) {
                ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(entries().size(), static_cast<std::size_t>(kThreads));
    EXPECT_EQ(log.entries_committed(), static_cast<std::uint64_t>(kThreads));
    EXPECT_TRUE(security::verify_chain(entries(), nullptr).ok);
}

// Eight callers: the first commits alone (slowed down), the seven others queue into one group.
struct QueuedCallers {
    std::atomic<int> failures{0};
    void run(AuditGroupCommit& log) {
        constexpr int kThreads = 8;
        std::vector<std::thread> threads;
        threads.emplace_back([&] { call(log, 0); });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        for (int t = 1; t < kThreads; ++t) threads.emplace_back([&, t] { call(log, t); });
        for (auto& thread : threads) thread.join();
    }
    void call(AuditGroupCommit& log, int t) {
        try {
            log.append({"2026-11-23T10:00:00Z", "rp:bank-" + std::to_string(t), "auth.verify", "0", "ok", ""});
        } catch (const StorageError&) {
            ++failures;
        }
    }
};

void expect_each_caller_once(const std::vector<AuditEntry>& all, int callers) {
    ASSERT_EQ(all.size(), static_cast<std::size_t>(callers)) << "an entry is missing or written twice";
    std::set<std::string> actors;
    for (const auto& entry : all) EXPECT_TRUE(actors.insert(entry.actor).second) << entry.actor << " written twice";
    EXPECT_TRUE(security::verify_chain(all, nullptr).ok);
}

TEST_F(GroupCommit, ACommitThatLandedButReportsAnUnknownOutcomeAnswersTheCallerAndIsNotRepeated) {
    FlakyStorage flaky(*storage);
    flaky.commit_then_unknown_write_number = 1;
    AuditGroupCommit log(flaky);
    EXPECT_NO_THROW(log.append({"2026-11-23T10:00:00Z", "rp:bank-01", "auth.verify", "0", "ok", ""}));
    expect_each_caller_once(entries(), 1);
    EXPECT_EQ(log.entries_committed(), 1u);
}

TEST_F(GroupCommit, AGroupWhoseCommitLandedWithAnUnknownOutcomeIsInTheLogOnceAndEveryWaiterSucceeds) {
    FlakyStorage flaky(*storage);
    flaky.first_write_delay = std::chrono::milliseconds(200);
    flaky.commit_then_unknown_write_number = 2;  // the queued group
    AuditGroupCommit log(flaky);
    QueuedCallers callers;
    callers.run(log);
    EXPECT_EQ(callers.failures.load(), 0);
    expect_each_caller_once(entries(), 8);
    EXPECT_EQ(log.entries_committed(), 8u);
}

TEST_F(GroupCommit, AGroupWhoseCommitDidNotLandWithAnUnknownOutcomeIsWrittenOnceAfterwards) {
    FlakyStorage flaky(*storage);
    flaky.first_write_delay = std::chrono::milliseconds(200);
    flaky.unknown_without_commit_write_number = 2;
    AuditGroupCommit log(flaky);
    QueuedCallers callers;
    callers.run(log);
    EXPECT_EQ(callers.failures.load(), 0);
    expect_each_caller_once(entries(), 8);
    EXPECT_EQ(log.entries_committed(), 8u);
}

TEST_F(GroupCommit, WhenTheStoreCannotWriteEveryCallerHearsItAndNothingIsCounted) {
    FlakyStorage flaky(*storage);
    flaky.fail_all_writes = true;
    AuditGroupCommit log(flaky);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            try {
                log.append({"2026-11-23T10:00:00Z", "rp:bank-01", "auth.verify", "0", "ok", ""});
            } catch (const StorageError& e) {
                ++failures;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failures.load(), 4);
    EXPECT_EQ(log.entries_committed(), 0u);
    EXPECT_TRUE(entries().empty());
}

// ---- append_async: the caller goes on; the completion says when the entry is durable ----

TEST_F(GroupCommit, AnAsynchronousEntryIsInTheLogWhenItsCompletionRunsAndTheCallerDidNotWait) {
    FlakyStorage held(*storage);
    std::promise<void> open;
    held.first_write_gate = open.get_future().share();  // the commit cannot finish before the caller is back
    AuditGroupCommit log(held);
    std::promise<std::pair<std::exception_ptr, std::size_t>> outcome;
    log.append_async({"2026-11-23T10:00:00Z", "rp:bank-01", "auth.verify", "0000000000000042", "ok", ""},
                     [&](std::exception_ptr e) { outcome.set_value({e, entries().size()}); });
    // Back here while the commit is still held: a caller that waited would never have returned.
    auto settled = outcome.get_future();
    EXPECT_EQ(entries().size(), 0u);
    open.set_value();
    const auto [error, entries_when_done] = settled.get();
    EXPECT_FALSE(error);
    EXPECT_EQ(entries_when_done, 1u);  // read on the committer thread, after the commit
}

TEST_F(GroupCommit, AsynchronousAndWaitingCallersShareGroupsAndEachEntryIsWrittenOnce) {
    constexpr int kThreads = 8, kEach = 30;
    std::atomic<int> settled{0}, failed{0};
    {
        AuditGroupCommit log(*storage);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kEach; ++i) {
                    security::AuditFields fields{"2026-11-23T10:00:00Z", "rp:bank-" + std::to_string(t), "auth.verify",
                                                 std::to_string(i), "ok", ""};
                    if (t % 2 == 0) {
                        log.append(fields);
                        ++settled;
                    } else {
                        log.append_async(fields, [&](std::exception_ptr e) {
                            if (e) ++failed;
                            ++settled;
                        });
                    }
                }
            });
        }
        for (auto& thread : threads) thread.join();
    }  // the destructor commits what is still queued before it returns
    EXPECT_EQ(settled.load(), kThreads * kEach);
    EXPECT_EQ(failed.load(), 0);
    const auto all = entries();
    ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& e : all) EXPECT_TRUE(seen.emplace(e.actor, e.subject).second) << "entry written twice";
    EXPECT_TRUE(security::verify_chain(all, nullptr).ok);
}

TEST_F(GroupCommit, AnAsynchronousCallerHearsTheStoresFailureInItsCompletion) {
    FlakyStorage flaky(*storage);
    flaky.fail_all_writes = true;
    std::promise<std::exception_ptr> outcome;
    AuditGroupCommit log(flaky);
    log.append_async({"2026-11-23T10:00:00Z", "rp:bank-01", "auth.verify", "0", "ok", ""},
                     [&](std::exception_ptr e) { outcome.set_value(e); });
    const std::exception_ptr error = outcome.get_future().get();
    ASSERT_TRUE(error);
    EXPECT_THROW(std::rethrow_exception(error), StorageError);
    EXPECT_EQ(log.entries_committed(), 0u);
}

}  // namespace
}  // namespace cccd::server
