#include "server/audit/audit_log.hpp"

#include <ctime>
#include <map>

namespace cccd::server {

namespace {

constexpr std::uint64_t kPage = 5000;

}  // namespace

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

AuditEntry append_audit(Transaction& t, const security::AuditFields& fields) {
    std::optional<AuditEntry> last = t.last_audit();
    AuditEntry entry = security::next_entry(last ? &*last : nullptr, fields);
    t.append_audit(entry);
    return entry;
}

AuditCheckpointer::AuditCheckpointer(Storage& storage, const security::Ed25519KeyPair& key, std::uint64_t every_entries,
                                     std::chrono::seconds every_time, SteadyClock clock)
    : storage_(storage),
      key_(key),
      every_entries_(every_entries),
      every_time_(every_time),
      clock_(clock ? std::move(clock) : SteadyClock([] { return std::chrono::steady_clock::now(); })),
      last_time_(clock_()) {}

std::optional<AuditCheckpoint> AuditCheckpointer::maybe_checkpoint() { return checkpoint(false); }

std::optional<AuditCheckpoint> AuditCheckpointer::checkpoint_now() { return checkpoint(true); }

// `force`: sign whenever the last entry is not covered, whatever the clock says (no clock arithmetic:
// steady_clock's epoch is the boot, so "long ago" is not a time point to fake).
std::optional<AuditCheckpoint> AuditCheckpointer::checkpoint(bool force) {
    std::lock_guard lock(mutex_);
    const bool due = force || clock_() - last_time_ >= every_time_;
    auto made = storage_.transaction([&](Transaction& t) -> std::optional<AuditCheckpoint> {
        auto last = t.last_audit();
        if (!last) return std::nullopt;
        auto previous = t.last_checkpoint();
        std::uint64_t covered = previous ? previous->sequence : 0;
        if (last->sequence == covered) return std::nullopt;
        if (last->sequence - covered < every_entries_ && !due) return std::nullopt;
        AuditCheckpoint cp = security::sign_checkpoint(*last, utc_now(), key_);
        t.append_checkpoint(cp);
        return cp;
    });
    if (made) last_time_ = clock_();
    return made;
}

AuditVerification verify_audit(Storage& storage, const security::PublicKeySet& trusted_keys,
                               const std::function<void(std::uint64_t)>& on_progress) {
    AuditVerification result;
    auto last = storage.read([](Transaction& t) { return t.last_audit(); });
    std::uint64_t end = last ? last->sequence : 0;
    auto checkpoints = storage.read([](Transaction& t) { return t.checkpoints_from(1); });
    std::map<std::uint64_t, const AuditCheckpoint*> by_sequence;
    for (const auto& cp : checkpoints) {
        auto v = security::verify_checkpoint(cp, trusted_keys);
        if (!v) {
            result.ok = false;
            result.problem = "checkpoint at entry " + std::to_string(cp.sequence) + ": " + v.reason;
            return result;
        }
        by_sequence[cp.sequence] = &cp;
    }
    std::optional<AuditEntry> anchor;
    for (std::uint64_t first = 1; first <= end; first += kPage) {
        std::uint64_t to = std::min(end, first + kPage - 1);
        auto page = storage.read([&](Transaction& t) { return t.audit_range(first, to); });
        auto v = security::verify_chain(page, anchor ? &*anchor : nullptr);
        if (!v) {
            result.ok = false;
            result.problem = v.reason;
            result.entries = first - 1 + v.entries_checked;
            return result;
        }
        for (const auto& e : page) {
            if (auto cp = by_sequence.find(e.sequence); cp != by_sequence.end()) {
                if (cp->second->hash != e.hash) {
                    result.ok = false;
                    result.problem = "entry " + std::to_string(e.sequence) + " differs from what its checkpoint signed";
                    return result;
                }
                result.covered_up_to = e.sequence;
                ++result.checkpoints;
            }
        }
        result.entries = to;
        anchor = page.back();
        if (on_progress) on_progress(to);
    }
    if (result.checkpoints != checkpoints.size()) {
        result.ok = false;
        result.problem = "a checkpoint names an entry the log does not have (the log was cut short)";
    }
    return result;
}

}  // namespace cccd::server
