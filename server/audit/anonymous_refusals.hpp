#pragma once
// Refusals of callers that proved nothing about themselves (no client certificate) are counted, not
// written one by one: each such entry would cost an fsync under the audit log's write lock, so
// anonymous traffic could starve real enrollments and grow a log that cannot be pruned. Instead one
// entry per peer address per minute says how many refusals there were and with which codes:
//
//   actor "anonymous:203.0.113.7"  action "refusals.anonymous"  outcome "refused"
//   detail "2026-12-05T10:41Z: 37 refused (station_unknown 30, unauthenticated 7)"
//
// At most `max_peers` addresses are told apart within a minute; the rest are counted together as
// "anonymous:(other peers)", so the memory and the entries per minute stay bounded whatever arrives.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "server/storage/storage.hpp"

namespace cccd::server {

class AnonymousRefusals {
public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    explicit AnonymousRefusals(Storage& storage, std::size_t max_peers = 1000,
                               Clock clock = [] { return std::chrono::system_clock::now(); });

    // Counts one refusal of `code` for `peer_address`. When the minute has turned, the counts of the
    // minute before are written first (one transaction for all peers).
    void record(std::string_view peer_address, std::string_view code);
    // Writes what has been counted so far (shutdown). A storage failure keeps the counts for the next
    // try and is rethrown.
    void flush();
    // Writes the counts once their minute is over (a housekeeping tick): an attack that stops is
    // still on record within a minute or so, without waiting for the next anonymous request.
    void flush_finished_minute();

    std::uint64_t entries_written() const;

private:
    struct Counts {
        std::uint64_t total = 0;
        std::map<std::string, std::uint64_t, std::less<>> by_code;
    };
    using Minute = std::chrono::time_point<std::chrono::system_clock, std::chrono::minutes>;
    void write_locked();

    Storage& storage_;
    const std::size_t max_peers_;
    Clock clock_;
    mutable std::mutex mutex_;
    Minute minute_{};
    std::map<std::string, Counts, std::less<>> peers_;
    std::uint64_t written_ = 0;
};

}  // namespace cccd::server
