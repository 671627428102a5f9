#include "server/audit/group_commit.hpp"

#include <algorithm>
#include <iterator>
#include <span>
#include <vector>

#include "base/error.hpp"

namespace cccd::server {

AuditGroupCommit::AuditGroupCommit(Storage& storage, AuditCheckpointer* checkpointer, std::size_t max_group)
    : storage_(storage), checkpointer_(checkpointer), max_group_(std::max<std::size_t>(max_group, 1)),
      committer_([this] { run(); }) {}

AuditGroupCommit::~AuditGroupCommit() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    queued_.notify_all();
    committer_.join();
}

void AuditGroupCommit::append(const security::AuditFields& fields) {
    std::mutex settled_mutex;
    std::condition_variable settled_signal;
    bool settled = false;
    std::exception_ptr error;
    append_async(fields, [&](std::exception_ptr e) {
        std::lock_guard lock(settled_mutex);
        error = std::move(e);
        settled = true;
        settled_signal.notify_one();
    });
    std::unique_lock lock(settled_mutex);
    settled_signal.wait(lock, [&] { return settled; });
    if (error) std::rethrow_exception(error);
}

void AuditGroupCommit::append_async(security::AuditFields fields, Completion done) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::make_unique<Waiter>(Waiter{std::move(fields), std::move(done)}));
    }
    queued_.notify_one();
}

// The committer: takes whatever has queued up (at most max_group), commits it in one transaction and
// settles each entry; once stopping, it drains the queue first.
void AuditGroupCommit::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        const std::size_t count = std::min(queue_.size(), max_group_);
        std::vector<std::unique_ptr<Waiter>> group;
        group.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            group.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        lock.unlock();
        std::vector<Waiter*> waiters;
        for (const auto& waiter : group) waiters.push_back(waiter.get());
        std::vector<std::exception_ptr> errors(waiters.size());
        commit_group(waiters, errors);
        for (std::size_t i = 0; i < waiters.size(); ++i) {
            try {
                waiters[i]->done(errors[i]);
            } catch (...) {
                // A completion must not throw; one that does must not stop the log for everybody else.
            }
        }
        lock.lock();
    }
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
                for (Waiter* waiter : waiters) attempt.push_back(append_audit(t, waiter->fields));
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

// Runs without the lock; sets each waiter's error in `errors`, never throws.
void AuditGroupCommit::commit_group(std::span<Waiter* const> waiters, std::vector<std::exception_ptr>& errors) {
    std::size_t written = 0;
    try {
        append_once(waiters);
        written = waiters.size();
    } catch (const CommitOutcomeUnknownError&) {
        // Some or all may be in the log: writing them one by one could repeat them. Each caller hears it.
        for (auto& error : errors) error = std::current_exception();
    } catch (...) {
        // One entry must not sink the others: each alone, so only the one at fault reports it.
        if (waiters.size() == 1) {
            errors.front() = std::current_exception();
        } else {
            for (std::size_t i = 0; i < waiters.size(); ++i) {
                try {
                    append_once(waiters.subspan(i, 1));
                    ++written;
                } catch (...) {
                    errors[i] = std::current_exception();
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
