#include "server/audit/group_commit.hpp"

#include <algorithm>
#include <iterator>
#include <span>
#include <vector>

#include "base/error.hpp"

namespace cccd::server {

AuditGroupCommit::AuditGroupCommit(Storage& storage, AuditCheckpointer* checkpointer, std::size_t max_group)
    : storage_(storage), checkpointer_(checkpointer), max_group_(std::max<std::size_t>(max_group, 1)) {}

void AuditGroupCommit::append(const security::AuditFields& fields) {
    Waiter me{&fields, false, nullptr};
    std::unique_lock lock(mutex_);
    queue_.push_back(&me);
    while (!me.done) {
        if (committing_) {
            committed_.wait(lock);
            continue;
        }
        committing_ = true;
        const std::size_t count = std::min(queue_.size(), max_group_);
        std::deque<Waiter*> group(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(count));
        lock.unlock();
        commit_group(group);
        lock.lock();
        for (Waiter* waiter : group) waiter->done = true;
        committing_ = false;
        committed_.notify_all();
    }
    if (me.error) std::rethrow_exception(me.error);
}

namespace {

constexpr int kUnknownOutcomeRounds = 3;

// Whether `attempt` (entries appended together, so contiguous) is in the log as it was written: the
// same hash at each sequence, and the hash covers the fields, the sequence and the previous hash.
bool in_log(Transaction& t, const std::vector<AuditEntry>& attempt) {
    if (attempt.empty()) return false;
    const auto stored = t.audit_range(attempt.front().sequence, attempt.back().sequence);
    if (stored.size() != attempt.size()) return false;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        if (stored[i].sequence != attempt[i].sequence || stored[i].hash != attempt[i].hash) return false;
    }
    return true;
}

}  // namespace

// A commit whose outcome is unknown is not simply run again (that could append the entries twice):
// the next transaction first looks whether an attempt in doubt is in the log and appends only if not.
void AuditGroupCommit::append_once(std::span<Waiter* const> waiters) {
    std::vector<AuditEntry> attempt;               // what the current transaction appends
    std::vector<std::vector<AuditEntry>> in_doubt;  // attempts whose commit was sent but not confirmed
    for (int round = 1;; ++round) {
        try {
            storage_.transaction([&](Transaction& t) {
                attempt.clear();
                for (const auto& earlier : in_doubt) {
                    if (in_log(t, earlier)) return;  // it landed: nothing more to write
                }
                for (Waiter* waiter : waiters) attempt.push_back(append_audit(t, *waiter->fields));
            });
            return;
        } catch (const CommitOutcomeUnknownError&) {
            if (round >= kUnknownOutcomeRounds) throw;
            in_doubt.push_back(attempt);
        } catch (const StorageError& e) {
            // An attempt in doubt may be in the log: the caller must not write these entries again.
            if (!in_doubt.empty())
                throw CommitOutcomeUnknownError(std::string(e.what()) + " (after a commit whose outcome is unknown)");
            throw;
        }
    }
}

// Runs without the lock; sets each waiter's error, never throws.
void AuditGroupCommit::commit_group(std::deque<Waiter*>& group) {
    const std::vector<Waiter*> waiters(group.begin(), group.end());
    std::size_t written = 0;
    try {
        append_once(waiters);
        written = waiters.size();
    } catch (const CommitOutcomeUnknownError&) {
        // Some or all may be in the log: writing them one by one could repeat them. Each caller hears it.
        for (Waiter* waiter : waiters) waiter->error = std::current_exception();
    } catch (...) {
        // One entry must not sink the others: each alone, so only the one at fault reports it.
        if (waiters.size() == 1) {
            waiters.front()->error = std::current_exception();
        } else {
            for (Waiter* waiter : waiters) {
                try {
                    append_once(std::span<Waiter* const>(&waiter, 1));
                    ++written;
                } catch (...) {
                    waiter->error = std::current_exception();
                }
            }
        }
    }
    if (written > 0 && checkpointer_ != nullptr) {
        try {
            checkpointer_->maybe_checkpoint();
        } catch (const std::exception&) {
            // The next group tries again; the entries are safe in the chain meanwhile.
        }
    }
    std::lock_guard lock(mutex_);
    ++groups_;
    entries_ += written;
}

std::uint64_t AuditGroupCommit::groups_committed() const {
    std::lock_guard lock(mutex_);
    return groups_;
}

std::uint64_t AuditGroupCommit::entries_committed() const {
    std::lock_guard lock(mutex_);
    return entries_;
}

}  // namespace cccd::server
