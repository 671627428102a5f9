// cccd-card watch: print reader, card and pcscd events as they happen, until Ctrl-C, SIGTERM or --for.
#include <signal.h>
#include <time.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <variant>

#include "apps/cccd-card/commands.hpp"
#include "card/reader/monitor.hpp"

namespace cccd::tool {

namespace {

struct WatchOptions {
    std::string reader;  // empty: every reader
    double for_seconds = 0;  // 0: until a signal
};

std::string spaced_hex(ByteView bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string text;
    for (std::uint8_t b : bytes) {
        if (!text.empty()) text += ' ';
        text += kDigits[b >> 4];
        text += kDigits[b & 0x0F];
    }
    return text;
}

// One line per event, in the user's words; empty for an event about a reader other than --reader.
std::string describe(const reader::ReaderEvent& event, const std::string& only_reader) {
    auto wanted = [&](const std::string& name) { return only_reader.empty() || name == only_reader; };
    if (const auto* e = std::get_if<reader::ReaderAdded>(&event)) {
        return wanted(e->reader) ? "reader added: " + e->reader : "";
    }
    if (const auto* e = std::get_if<reader::ReaderRemoved>(&event)) {
        return wanted(e->reader) ? "reader removed: " + e->reader : "";
    }
    if (const auto* e = std::get_if<reader::CardInserted>(&event)) {
        if (!wanted(e->reader)) return "";
        return "card inserted: " + e->reader + (e->atr.empty() ? " (no ATR)" : " (ATR " + spaced_hex(e->atr) + ")");
    }
    if (const auto* e = std::get_if<reader::CardRemoved>(&event)) {
        return wanted(e->reader) ? "card removed: " + e->reader : "";
    }
    if (const auto* e = std::get_if<reader::ServiceLost>(&event)) {
        return e->before_first_contact ? "pcscd is not running: waiting for it to start"
                                       : "pcscd stopped: waiting for it to come back";
    }
    return "pcscd is back";  // ServiceRestored
}

// Blocks SIGINT and SIGTERM in this thread (and the threads it starts) for its lifetime, so they are
// taken with sigtimedwait instead of a handler: no PC/SC call ever runs in signal context.
class BlockedStopSignals {
public:
    BlockedStopSignals() {
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &signals_, &previous_);
    }
    ~BlockedStopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
    BlockedStopSignals(const BlockedStopSignals&) = delete;
    BlockedStopSignals& operator=(const BlockedStopSignals&) = delete;

    // True when a stop signal came within `timeout`.
    bool wait_for(std::chrono::nanoseconds timeout) const {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
        timespec ts{};
        ts.tv_sec = static_cast<time_t>(seconds.count());
        ts.tv_nsec = static_cast<long>((timeout - seconds).count());
        for (;;) {
            if (sigtimedwait(&signals_, nullptr, &ts) >= 0) return true;
            if (errno == EAGAIN) return false;
            // EINTR: another signal (e.g. SIGWINCH) came in; the deadline is re-checked by the caller.
            if (errno == EINTR) return false;
        }
    }
    void wait() const {
        int signal_number = 0;
        while (sigwait(&signals_, &signal_number) != 0) {
        }
    }

private:
    sigset_t signals_{};
    sigset_t previous_{};
};

int run_watch(const WatchOptions& o) {
    if (o.for_seconds < 0) {
        std::cerr << "cccd-card watch: --for takes a number of seconds (0 or more)\n";
        return kExitUsage;
    }
    BlockedStopSignals stop_signals;  // before the monitor's thread exists, so it inherits the mask
    reader::ReaderMonitor monitor([only = o.reader](const reader::ReaderEvent& event) {
        std::string line = describe(event, only);
        if (!line.empty()) std::cout << line << std::endl;  // flushed: other programs read this live
    });
    if (!o.reader.empty()) std::cout << "watching reader: " << o.reader << std::endl;
    monitor.start();
    if (o.for_seconds > 0) {
        using Clock = std::chrono::steady_clock;
        const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(o.for_seconds));
        while (Clock::now() < deadline) {
            if (stop_signals.wait_for(deadline - Clock::now())) break;
        }
    } else {
        stop_signals.wait();
    }
    monitor.stop();
    return kExitOk;
}

}  // namespace

void add_watch_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<WatchOptions>();
    auto* watch = app.add_subcommand("watch", "Print reader, card and pcscd events as they happen");
    watch->add_option("--reader", options->reader, "Only events of this reader (default: every reader)");
    watch->add_option("--for", options->for_seconds, "Stop after this many seconds (default: until Ctrl-C or SIGTERM)");
    watch->footer(
        "Prints the readers and cards present first, then one line per event. Waits for pcscd when it is\n"
        "not running or restarts. Exit codes: 0 stopped by Ctrl-C, SIGTERM or --for; 2 usage error.");
    watch->callback([options, &exit_code] { exit_code = run_watch(*options); });
}

}  // namespace cccd::tool
