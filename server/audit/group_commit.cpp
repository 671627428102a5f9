#include "server/audit/group_commit.hpp"

#include <algorithm>
#include <iterator>

#include "card/core/error.hpp"

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

// Runs without the lock; sets each waiter's error, never throws.
void AuditGroupCommit::commit_group(std::deque<Waiter*>& group) {
    std::size_t written = 0;
    try {
        storage_.transaction([&](Transaction& t) {
            for (Waiter* waiter : group) append_audit(t, *waiter->fields);
        });
        written = group.size();
    } catch (...) {
        // One entry must not sink the others: each alone, so only the one at fault reports it.
        if (group.size() == 1) {
            group.front()->error = std::current_exception();
        } else {
            for (Waiter* waiter : group) {
                try {
                    storage_.transaction([&](Transaction& t) { append_audit(t, *waiter->fields); });
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
