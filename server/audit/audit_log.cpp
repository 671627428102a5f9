#include "server/audit/audit_log.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "base/clock.hpp"
#include "base/error.hpp"

namespace cccd::server {

namespace {

constexpr std::uint64_t kPage = 5000;

}  // namespace

AuditEntry append_audit(Transaction& t, const security::AuditFields& fields) {
    std::optional<AuditEntry> last = t.last_audit();
    AuditEntry entry = security::next_entry(last ? &*last : nullptr, fields);
    t.append_audit(entry);
    return entry;
}

AuditCheckpointer::AuditCheckpointer(Storage& storage, const crypto::Ed25519KeyPair& key, std::uint64_t every_entries,
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
        AuditCheckpoint cp = security::sign_checkpoint(*last, previous ? &*previous : nullptr, utc_now(), key_);
        t.append_checkpoint(cp);
        return cp;
    });
    if (made) {
        last_time_ = clock_();
        if (publish_) publish_(*made);
    }
    return made;
}

void AuditCheckpointer::on_checkpoint(std::function<void(const AuditCheckpoint&)> publish) {
    std::lock_guard lock(mutex_);
    publish_ = std::move(publish);
}

AuditAnchor parse_audit_anchor(std::string_view text) {
    const auto colon = text.find(':');
    const std::string_view sequence = text.substr(0, colon);
    const bool digits = colon != std::string_view::npos && !sequence.empty() && sequence.size() <= 19 &&
                        std::all_of(sequence.begin(), sequence.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::string_view hash = colon == std::string_view::npos ? std::string_view{} : text.substr(colon + 1);
    const bool hex = hash.size() == 2 * security::audit_hash_bytes &&
                     std::all_of(hash.begin(), hash.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
    if (!digits || !hex || std::stoull(std::string(sequence)) == 0)
        throw InvalidArgument("an anchor is SEQUENCE:HASH, the entry's number and its hash as 64 hex digits "
                              "(as the checkpoint journal line prints them)");
    return {std::stoull(std::string(sequence)), from_hex(hash)};
}

std::optional<std::int64_t> utc_seconds(std::string_view instant) {
    // YYYY-MM-DDTHH:MM:SS[.fraction]Z
    if (instant.size() < 20 || instant.back() != 'Z') return std::nullopt;
    const std::string_view pattern = "dddd-dd-ddTdd:dd:dd";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool ok = pattern[i] == 'd' ? std::isdigit(static_cast<unsigned char>(instant[i])) != 0 : instant[i] == pattern[i];
        if (!ok) return std::nullopt;
    }
    const std::string_view rest = instant.substr(pattern.size(), instant.size() - pattern.size() - 1);
    if (!rest.empty() && (rest.front() != '.' || rest.size() == 1 ||
                          !std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; })))
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t length) { return std::stoi(std::string(instant.substr(at, length))); };
    std::tm tm{};
    tm.tm_year = number(0, 4) - 1900;
    tm.tm_mon = number(5, 2) - 1;
    tm.tm_mday = number(8, 2);
    tm.tm_hour = number(11, 2);
    tm.tm_min = number(14, 2);
    tm.tm_sec = number(17, 2);
    return static_cast<std::int64_t>(timegm(&tm));
}

namespace {

AuditVerification failed(AuditVerification result, std::string problem) {
    result.ok = false;
    result.problem = std::move(problem);
    return result;
}

std::string hash_prefix(const Bytes& hash) { return to_hex(hash).substr(0, 16); }

}  // namespace

AuditVerification verify_audit(Storage& storage, const crypto::PublicKeySet& trusted_keys,
                               const AuditExpectations& expected, const std::function<void(std::uint64_t)>& on_progress) {
    AuditVerification result;
    const auto last = storage.read([](Transaction& t) { return t.last_audit(); });
    const std::uint64_t end = last ? last->sequence : 0;
    const auto checkpoints = storage.read([](Transaction& t) { return t.checkpoints_from(1); });
    std::map<std::uint64_t, const AuditCheckpoint*> by_sequence;
    for (const auto& cp : checkpoints) {
        auto v = security::verify_checkpoint(cp, trusted_keys);
        if (!v) return failed(result, "checkpoint at entry " + std::to_string(cp.sequence) + ": " + v.reason);
        by_sequence[cp.sequence] = &cp;
    }
    if (auto links = security::verify_checkpoint_links(checkpoints); !links) return failed(result, links.reason);
    if (!checkpoints.empty()) result.newest_checkpoint = checkpoints.back();

    // What was published outside the database must still be in it, unchanged.
    const std::uint64_t newest_in_database = checkpoints.empty() ? 0 : checkpoints.back().sequence;
    std::map<std::uint64_t, const AuditCheckpoint*> signed_after_copy;  // checked against their entries below
    for (const auto& published : expected.published) {
        const std::string at = "checkpoint " + std::to_string(published.sequence) + " of the checkpoint log";
        if (auto v = security::verify_checkpoint(published, trusted_keys); !v) return failed(result, at + ": " + v.reason);
        const auto found = by_sequence.find(published.sequence);
        if (found == by_sequence.end() && expected.copy && published.sequence > newest_in_database &&
            published.sequence <= end) {
            signed_after_copy[published.sequence] = &published;
            continue;
        }
        if (found == by_sequence.end())
            return failed(result, at + " is missing from the database: the log was cut back or its checkpoints removed");
        if (!(*found->second == published))
            return failed(result, at + " differs from the database's: the log was rewritten");
        ++result.published_matched;
    }
    std::map<std::uint64_t, const AuditAnchor*> anchors;
    for (const auto& anchor : expected.anchors) {
        if (anchor.sequence > end)
            return failed(result, "anchor " + std::to_string(anchor.sequence) + ": the log ends at entry " +
                                      std::to_string(end) + ": it was cut short");
        anchors[anchor.sequence] = &anchor;
    }

    std::optional<AuditEntry> previous_page_end;
    for (std::uint64_t first = 1; first <= end; first += kPage) {
        std::uint64_t to = std::min(end, first + kPage - 1);
        auto page = storage.read([&](Transaction& t) { return t.audit_range(first, to); });
        auto v = security::verify_chain(page, previous_page_end ? &*previous_page_end : nullptr);
        if (!v) {
            result.entries = first - 1 + v.entries_checked;
            return failed(result, v.reason);
        }
        for (const auto& e : page) {
            if (auto cp = by_sequence.find(e.sequence); cp != by_sequence.end()) {
                if (cp->second->hash != e.hash)
                    return failed(result, "entry " + std::to_string(e.sequence) + " differs from what its checkpoint signed");
                result.covered_up_to = e.sequence;
                ++result.checkpoints;
            }
            if (auto late = signed_after_copy.find(e.sequence); late != signed_after_copy.end()) {
                if (late->second->hash != e.hash)
                    return failed(result, "entry " + std::to_string(e.sequence) +
                                              " differs from what checkpoint " + std::to_string(e.sequence) +
                                              " of the checkpoint log signed: the log was rewritten");
                ++result.published_matched;
            }
            if (auto anchor = anchors.find(e.sequence); anchor != anchors.end()) {
                if (anchor->second->hash != e.hash)
                    return failed(result, "entry " + std::to_string(e.sequence) + " has hash " + hash_prefix(e.hash) +
                                              "..., not the anchor's " + hash_prefix(anchor->second->hash) +
                                              "...: the log was rewritten");
                ++result.anchors_matched;
            }
        }
        result.entries = to;
        previous_page_end = page.back();
        if (on_progress) on_progress(to);
    }
    if (result.checkpoints != checkpoints.size())
        return failed(result, "a checkpoint names an entry the log does not have (the log was cut short)");
    if (checkpoints.empty())
        return failed(result, "no signed checkpoint: nothing vouches for the log (a server signs one at start, at "
                              "every interval and at stop)");

    // The newest checkpoint must not lag behind the newest entry by more than the interval allows:
    // otherwise the checkpoints after it were removed, or the server stopped signing.
    const AuditCheckpoint& newest = checkpoints.back();
    const std::uint64_t uncovered = end - newest.sequence;
    if (uncovered > 0 && expected.checkpoint_interval.count() > 0) {
        const auto entry_time = utc_seconds(last->time);
        const auto checkpoint_time = utc_seconds(newest.time);
        if (!entry_time || !checkpoint_time)
            return failed(result, "the time of entry " + std::to_string(end) + " or of checkpoint " +
                                      std::to_string(newest.sequence) + " is not a UTC instant (YYYY-MM-DDTHH:MM:SSZ)");
        const std::int64_t lag = *entry_time - *checkpoint_time;
        if (lag > (expected.checkpoint_interval + expected.grace).count())
            return failed(result, "the newest checkpoint (entry " + std::to_string(newest.sequence) + ", " + newest.time +
                                      ") is " + std::to_string(lag) + " s older than the newest entry (" +
                                      std::to_string(end) + ", " + last->time + "), more than the " +
                                      std::to_string(expected.checkpoint_interval.count()) + " s interval and " +
                                      std::to_string(expected.grace.count()) +
                                      " s grace: later checkpoints were removed, or no server signed them");
    }
    if (expected.checkpoint_entries > 0 && uncovered > expected.checkpoint_entries + expected.entry_grace)
        return failed(result, std::to_string(uncovered) + " entries after the newest checkpoint (entry " +
                                  std::to_string(newest.sequence) + "), more than the " +
                                  std::to_string(expected.checkpoint_entries) + " of the interval and " +
                                  std::to_string(expected.entry_grace) +
                                  " of grace: later checkpoints were removed, or no server signed them");
    return result;
}

}  // namespace cccd::server
