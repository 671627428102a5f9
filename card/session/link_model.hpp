#pragma once
// A model of the radio or contact link between reader and chip, so that APDU counts and byte counts can
// be turned into the time a real reader would take. Used by `cccd-card read --stats`, the benchmarks and
// the virtual chip's optional link emulation (cccd-vcard --link).
//
// time of one exchange = turnaround + (command bytes + response bytes) x bits per byte / bit rate
//
// Contactless (ISO/IEC 14443-4 at 424 kbit/s): 10 bits on the air per byte counts parity and framing.
// Contact (ISO/IEC 7816-3 T=1 at 115.2 kbit/s): 12 etu per byte (start, 8 data, parity, 2 guard).
// The turnaround (reader, driver and chip processing per APDU) defaults to 2 ms, a typical figure for
// a secure-messaging READ BINARY on current chips; measure your reader and pass your own.
#include <chrono>
#include <cstddef>
#include <string>

namespace cccd::session {

struct LinkModel {
    std::string name;
    double bits_per_second = 424'000.0;
    double bits_per_byte = 10.0;
    std::chrono::microseconds turnaround{2000};

    static LinkModel contactless() { return {"contactless 424 kbit/s", 424'000.0, 10.0, std::chrono::microseconds{2000}}; }
    static LinkModel contact() { return {"contact 115.2 kbit/s", 115'200.0, 12.0, std::chrono::microseconds{2000}}; }

    // Time on the wire for `bytes`, without any turnaround.
    std::chrono::microseconds transfer_time(std::size_t bytes) const {
        double us = static_cast<double>(bytes) * bits_per_byte * 1e6 / bits_per_second;
        return std::chrono::microseconds{static_cast<long long>(us + 0.5)};
    }
    // One command/response exchange.
    std::chrono::microseconds exchange_time(std::size_t command_bytes, std::size_t response_bytes) const {
        return turnaround + transfer_time(command_bytes + response_bytes);
    }
    // A whole session: `apdus` exchanges carrying `bytes` in total (both directions).
    std::chrono::microseconds session_time(std::size_t apdus, std::size_t bytes) const {
        return turnaround * static_cast<long long>(apdus) + transfer_time(bytes);
    }
};

}  // namespace cccd::session
