#pragma once
// Group commit for audit entries that are the only write of their request (authentication: every
// verification is audited, nothing else is written). Each entry is durable before its caller answers,
// but the entries that arrive while a commit is syncing go together in the next transaction: one fsync
// for the group instead of one per request.
//
// One committer thread of its own does every commit, in arrival order. A caller either waits for its
// entry (append) or hands over a completion and goes on (append_async): a server thread that has
// finished a verification then serves the next request while the group's fsync runs, instead of the
// core idling until the disk answers.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "server/audit/audit_log.hpp"

namespace cccd::server {

class AuditGroupCommit {
public:
    // `checkpointer` may be null (no checkpoints); it is asked once per group.
    explicit AuditGroupCommit(Storage& storage, AuditCheckpointer* checkpointer = nullptr, std::size_t max_group = 512);

    // Commits what is queued, then stops the committer thread.
    ~AuditGroupCommit();
    AuditGroupCommit(const AuditGroupCommit&) = delete;
    AuditGroupCommit& operator=(const AuditGroupCommit&) = delete;

    // Appends the entry and returns once it is committed. StorageError (or whatever the storage threw)
    // when it could not be: then the caller must not act as if it was audited. A commit whose outcome
    // the store reports as unknown is settled by reading the log, never by appending again blindly.
    void append(const security::AuditFields& fields);

    // The same without waiting: `done` runs on the committer thread once the entry's group is settled,
    // with nothing when the entry is in the log and the error append would have thrown otherwise. It
    // must not block for long (it holds up the next group) and must not throw.
    using Completion = std::function<void(std::exception_ptr)>;
    void append_async(security::AuditFields fields, Completion done);

    std::uint64_t groups_committed() const;
    std::uint64_t entries_committed() const;

private:
    struct Waiter {
        security::AuditFields fields;
        Completion done;  // the caller's completion; append's own sets `settled`
    };

    void run();
    void commit_group(std::span<Waiter* const> group, std::vector<std::exception_ptr>& errors);
    // The entries of `waiters` in one transaction, in the log exactly once when it returns. Throws what
    // the store threw; CommitOutcomeUnknownError when whether they landed could not be settled.
    void append_once(std::span<Waiter* const> waiters);

    Storage& storage_;
    AuditCheckpointer* checkpointer_;
    const std::size_t max_group_;
    mutable std::mutex mutex_;
    std::condition_variable queued_;
    std::deque<std::unique_ptr<Waiter>> queue_;
    bool stopping_ = false;
    std::uint64_t groups_ = 0;
    std::uint64_t entries_ = 0;
    std::thread committer_;  // last: starts once everything above exists
};

}  // namespace cccd::server
