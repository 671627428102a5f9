#include "card/reader/monitor.hpp"

#include <PCSC/winscard.h>

#include <algorithm>
#include <chrono>
#include <optional>

#include "card/reader/pcsc.hpp"

namespace cccd::reader {

namespace {

// pcsc-lite's pseudo-reader whose state changes when a reader is plugged in or out.
constexpr const char* kPnpNotification = "\\\\?PnP?\\Notification";
constexpr auto kRetryInterval = std::chrono::milliseconds(500);

const ReaderSnapshot* find_reader(const std::vector<ReaderSnapshot>& readers, const std::string& name) {
    auto it = std::find_if(readers.begin(), readers.end(), [&](const ReaderSnapshot& r) { return r.reader == name; });
    return it == readers.end() ? nullptr : &*it;
}

// Runs `action` when the scope ends, whatever the way out.
class OnScopeExit {
public:
    explicit OnScopeExit(std::function<void()> action) : action_(std::move(action)) {}
    ~OnScopeExit() { action_(); }
    OnScopeExit(const OnScopeExit&) = delete;
    OnScopeExit& operator=(const OnScopeExit&) = delete;

private:
    std::function<void()> action_;
};

// Why the watch over one context ended.
struct WatchEnd {
    bool service_lost = false;
    std::string why;
};

}  // namespace

std::vector<ReaderEvent> diff_reader_states(const std::vector<ReaderSnapshot>& before,
                                            const std::vector<ReaderSnapshot>& after) {
    std::vector<ReaderEvent> events;
    for (const auto& old_reader : before) {
        if (find_reader(after, old_reader.reader) != nullptr) continue;
        if (old_reader.card_present) events.emplace_back(CardRemoved{old_reader.reader});
        events.emplace_back(ReaderRemoved{old_reader.reader});
    }
    for (const auto& now : after) {
        const ReaderSnapshot* old_reader = find_reader(before, now.reader);
        if (old_reader == nullptr) {
            events.emplace_back(ReaderAdded{now.reader});
            if (now.card_present) events.emplace_back(CardInserted{now.reader, now.atr});
            continue;
        }
        const bool swapped = old_reader->card_present && now.card_present &&
                             (old_reader->atr != now.atr || old_reader->card_events != now.card_events);
        if (old_reader->card_present && (!now.card_present || swapped)) events.emplace_back(CardRemoved{now.reader});
        if (now.card_present && (!old_reader->card_present || swapped)) {
            events.emplace_back(CardInserted{now.reader, now.atr});
        }
    }
    return events;
}

ReaderMonitor::ReaderMonitor(Callback on_event) : on_event_(std::move(on_event)) {}

ReaderMonitor::~ReaderMonitor() { stop(); }

void ReaderMonitor::start() {
    std::lock_guard lock(mutex_);
    if (thread_.joinable()) return;
    stopping_ = false;
    finished_ = false;
    thread_ = std::thread([this] {
        try {
            run();
        } catch (...) {
            // Nothing but allocation failures can get here; end the thread instead of the program.
        }
        std::lock_guard done(mutex_);
        finished_ = true;
        wake_.notify_all();
    });
}

void ReaderMonitor::stop() {
    std::unique_lock lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_all();
    // SCardCancel only interrupts a wait already in progress: one that starts just after a cancel
    // would block forever, so cancel again until the thread has really finished.
    while (!finished_) {
        if (active_context_ != 0) SCardCancel(active_context_);
        wake_.wait_for(lock, std::chrono::milliseconds(100));
    }
    lock.unlock();
    thread_.join();
}

bool ReaderMonitor::stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
}

bool ReaderMonitor::publish_context(long context) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    active_context_ = context;
    return true;
}

bool ReaderMonitor::wait_before_retry() {
    std::unique_lock lock(mutex_);
    return !wake_.wait_for(lock, kRetryInterval, [this] { return stopping_; });
}

void ReaderMonitor::emit(const ReaderEvent& event) {
    try {
        on_event_(event);
    } catch (...) {
        // The callback must not throw; if it does, the monitor still has to keep watching.
    }
}

void ReaderMonitor::emit_all(const std::vector<ReaderEvent>& events) {
    for (const auto& event : events) emit(event);
}

void ReaderMonitor::run() {
    std::vector<ReaderSnapshot> known;
    bool ever_connected = false;
    bool service_down = false;  // ServiceLost reported and not yet ServiceRestored

    auto lose_service = [&](const std::string& why) {
        if (service_down) return;
        service_down = true;
        emit(ServiceLost{why, !ever_connected});
        // Every reader is out of reach and every card handle opened through pcscd is dead.
        emit_all(diff_reader_states(known, {}));
        known.clear();
    };

    // One context after another: a context does not survive pcscd stopping.
    while (!stopping()) {
        std::optional<PcscContext> context;
        try {
            context.emplace();
        } catch (const Error& e) {
            lose_service(e.what());
            if (!wait_before_retry()) return;
            continue;
        }
        const auto handle = static_cast<SCARDCONTEXT>(context->handle());
        if (!publish_context(context->handle())) return;
        // Declared after `context`, so the handle is withdrawn from stop() before it is released.
        OnScopeExit unpublish([this] {
            std::lock_guard lock(mutex_);
            active_context_ = 0;
        });
        if (service_down) {
            service_down = false;
            emit(ServiceRestored{});
        }
        ever_connected = true;

        WatchEnd end;
        std::vector<std::string> names;            // owns the strings SCARD_READERSTATE points to
        std::vector<SCARD_READERSTATE> states;     // one per reader, then the PnP pseudo-reader
        DWORD pnp_state = SCARD_STATE_UNAWARE;
        bool relist = true;
        int failures_in_a_row = 0;
        while (!end.service_lost) {
            if (relist) {
                try {
                    names = context->readers();
                } catch (const Error& e) {
                    end = {true, e.what()};
                    break;
                }
                // Every reader starts "unaware" so the next call answers at once with the whole picture,
                // which the diff against `known` turns into events (readers that vanished included).
                states.assign(names.size() + 1, SCARD_READERSTATE{});
                for (std::size_t i = 0; i < names.size(); ++i) {
                    states[i].szReader = names[i].c_str();
                    states[i].dwCurrentState = SCARD_STATE_UNAWARE;
                }
                states.back().szReader = kPnpNotification;
                states.back().dwCurrentState = pnp_state;
                relist = false;
            }
            const LONG rc = SCardGetStatusChange(handle, INFINITE, states.data(), static_cast<DWORD>(states.size()));
            if (rc == SCARD_E_CANCELLED || rc == SCARD_E_TIMEOUT) {
                if (stopping()) return;
                continue;
            }
            if (rc == SCARD_E_UNKNOWN_READER || rc == SCARD_E_NO_READERS_AVAILABLE || rc == SCARD_E_READER_UNAVAILABLE) {
                // A reader left between listing and waiting: list again, pausing if it keeps happening.
                relist = true;
                if (++failures_in_a_row > 1 && !wait_before_retry()) return;
                continue;
            }
            if (rc != SCARD_S_SUCCESS) {
                // SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE, or anything unexpected:
                // start over with a new context.
                end = {true, describe_pcsc_error(rc)};
                break;
            }
            failures_in_a_row = 0;

            std::vector<ReaderSnapshot> now;
            for (std::size_t i = 0; i < names.size(); ++i) {
                const DWORD event_state = states[i].dwEventState;
                states[i].dwCurrentState = event_state & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
                if ((event_state & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE)) != 0) {
                    relist = true;  // the reader is gone
                    continue;
                }
                ReaderSnapshot snapshot;
                snapshot.reader = names[i];
                snapshot.card_present = (event_state & SCARD_STATE_PRESENT) != 0;
                if (snapshot.card_present) {
                    const std::size_t atr_length = std::min<std::size_t>(states[i].cbAtr, sizeof states[i].rgbAtr);
                    snapshot.atr.assign(states[i].rgbAtr, states[i].rgbAtr + atr_length);
                }
                snapshot.card_events = static_cast<std::uint32_t>((event_state >> 16) & 0xFFFF);
                now.push_back(std::move(snapshot));
            }
            const DWORD pnp_event = states.back().dwEventState;
            if ((pnp_event & SCARD_STATE_CHANGED) != 0) relist = true;
            pnp_state = pnp_event & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
            states.back().dwCurrentState = pnp_state;

            emit_all(diff_reader_states(known, now));
            known = std::move(now);
        }
        if (stopping()) return;
        lose_service(end.why);
    }
}

}  // namespace cccd::reader
