#pragma once
// Group commit for audit entries that are the only write of their request (authentication: every
// verification is audited, nothing else is written). Each caller still waits until its own entry is
// durable before it answers, but the entries of callers that arrive while a commit is syncing go
// together in the next transaction: one fsync for the group instead of one per request.
//
// No thread of its own: the first waiting caller commits the group (its own entry included) and
// wakes the others; a caller whose entry missed that group leads the next one.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <span>

#include "server/audit/audit_log.hpp"

namespace cccd::server {

class AuditGroupCommit {
public:
    // `checkpointer` may be null (no checkpoints); it is asked once per group.
    explicit AuditGroupCommit(Storage& storage, AuditCheckpointer* checkpointer = nullptr, std::size_t max_group = 512);

    // Appends the entry and returns once it is committed. StorageError (or whatever the storage threw)
    // when it could not be: then the caller must not act as if it was audited. A commit whose outcome
    // the store reports as unknown is settled by reading the log, never by appending again blindly.
    void append(const security::AuditFields& fields);

    std::uint64_t groups_committed() const;
    std::uint64_t entries_committed() const;

private:
    struct Waiter {
        const security::AuditFields* fields;
        bool done = false;
        std::exception_ptr error;
    };

    void commit_group(std::deque<Waiter*>& group);
    // The entries of `waiters` in one transaction, in the log exactly once when it returns. Throws what
    // the store threw; CommitOutcomeUnknownError when whether they landed could not be settled.
    void append_once(std::span<Waiter* const> waiters);

    Storage& storage_;
    AuditCheckpointer* checkpointer_;
    const std::size_t max_group_;
    mutable std::mutex mutex_;
    std::condition_variable committed_;
    std::deque<Waiter*> queue_;
    bool committing_ = false;
    std::uint64_t groups_ = 0;
    std::uint64_t entries_ = 0;
};

}  // namespace cccd::server
