#pragma once
// Watches the PC/SC readers from one background thread and reports, in order, readers coming and
// going, cards inserted and removed, and the PC/SC service (pcscd) stopping and coming back. A kiosk
// or station reacts to these events instead of polling.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "base/bytes.hpp"

namespace cccd::reader {

struct ReaderAdded {
    std::string reader;
    bool operator==(const ReaderAdded&) const = default;
};
struct ReaderRemoved {
    std::string reader;
    bool operator==(const ReaderRemoved&) const = default;
};
struct CardInserted {
    std::string reader;
    Bytes atr;
    bool operator==(const CardInserted&) const = default;
};
struct CardRemoved {
    std::string reader;
    bool operator==(const CardRemoved&) const = default;
};
// pcscd is not reachable. `before_first_contact` is true when it was not running when the monitor
// started. Removal events for every known reader follow: nothing opened before survives a restart.
struct ServiceLost {
    std::string why;
    bool before_first_contact = false;
    bool operator==(const ServiceLost&) const = default;
};
// pcscd answers again; ReaderAdded and CardInserted events for what it sees follow.
struct ServiceRestored {
    bool operator==(const ServiceRestored&) const = default;
};

using ReaderEvent = std::variant<ReaderAdded, ReaderRemoved, CardInserted, CardRemoved, ServiceLost, ServiceRestored>;

// What one reader looked like at one moment.
struct ReaderSnapshot {
    std::string reader;
    bool card_present = false;
    Bytes atr;
    // pcsc-lite's count of card events in this reader (the high word of dwEventState): it moves when a
    // card was swapped between two looks, even if both looks saw "present".
    std::uint32_t card_events = 0;
};

// The events that turn `before` into `after`, readers in the order given: for a reader gone, its card
// removed then the reader removed; for a new reader, the reader added then its card inserted; for a
// reader in both, card removed and/or card inserted (both when the card was swapped: another ATR or
// another card event count). Pure, so it is tested without pcscd.
std::vector<ReaderEvent> diff_reader_states(const std::vector<ReaderSnapshot>& before,
                                            const std::vector<ReaderSnapshot>& after);

class ReaderMonitor {
public:
    // Called from the monitor's thread, one event at a time. It must not throw (an exception that
    // escapes it is dropped so the monitor keeps running) and should return quickly.
    using Callback = std::function<void(const ReaderEvent&)>;

    explicit ReaderMonitor(Callback on_event);
    ~ReaderMonitor();
    ReaderMonitor(const ReaderMonitor&) = delete;
    ReaderMonitor& operator=(const ReaderMonitor&) = delete;

    // Starts the thread; it first reports the readers present and the cards already inserted (or
    // ServiceLost when pcscd is not running). Calling start() on a running monitor does nothing.
    void start();
    // Wakes the thread (SCardCancel) and joins it. Safe to call more than once.
    void stop();

private:
    void run();
    void emit(const ReaderEvent& event);
    void emit_all(const std::vector<ReaderEvent>& events);
    // Publishes the context the thread waits on, so stop() can cancel the wait; false when stopping.
    bool publish_context(long context);
    // Waits the retry interval; false when stop() was called meanwhile.
    bool wait_before_retry();
    bool stopping();

    Callback on_event_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool finished_ = false;
    long active_context_ = 0;  // guarded by mutex_; 0 when the thread holds none
};

}  // namespace cccd::reader
