#pragma once
// The PC/SC reader layer over pcsc-lite: a context owner, the reader list, and a connected card that
// is a CardChannel for card sessions. Every handle is owned (RAII). Card removed, card reset and reader
// gone become CardRemovedError; the PC/SC service missing or restarted becomes ReaderServiceError.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "card/channel/channel.hpp"

namespace cccd::reader {

// pcscd is not running, stopped or restarted: re-establish the context.
class ReaderServiceError : public Error, public Transient {
public:
    using Error::Error;
};

// "No card in the reader", "no such reader", ...
class ReaderError : public Error {
public:
    using Error::Error;
};

class PcscContext {
public:
    PcscContext();
    ~PcscContext();
    PcscContext(const PcscContext&) = delete;
    PcscContext& operator=(const PcscContext&) = delete;

    std::vector<std::string> readers() const;
    // `requested` when given, else the first reader; ReaderError "no reader found" when there is none.
    std::string reader_or_first(const std::string& requested) const;
    long handle() const noexcept { return context_; }

private:
    long context_ = 0;
};

class PcscCard : public channel::CardChannel {
public:
    // Connects (shared, T=1 or T=0) to the card in `reader_name`.
    PcscCard(const PcscContext& context, const std::string& reader_name);
    ~PcscCard() override;
    PcscCard(const PcscCard&) = delete;
    PcscCard& operator=(const PcscCard&) = delete;

    // A failed exchange whose cause is the card leaving (even when PC/SC only says "not transacted"
    // or "communication error", as vpcd does) throws CardRemovedError. So does a reset, after which the
    // same PcscCard serves the next session (which selects the application again).
    Bytes transmit(ByteView command) override;
    bool extended_length() const override { return extended_length_; }
    std::size_t max_response_data() const override { return max_response_data_; }
    const Bytes& atr() const noexcept { return atr_; }

private:
    friend class Transaction;
    [[noreturn]] void fail_transmit(long code);
    // After a reset (by the reader or another program) PC/SC answers every call on the handle with
    // "reset" until it is reconnected; the chip itself has forgotten its session and its selection.
    void reconnect_after_reset() noexcept;

    long card_ = 0;
    unsigned long protocol_ = 0;
    Bytes atr_;
    bool extended_length_ = false;
    std::size_t max_response_data_ = 256;
};

// Exclusive access to the card for the lifetime of the object (SCardBeginTransaction ..
// SCardEndTransaction, leaving the card powered): another program sharing the reader cannot slip its
// APDUs between ours, which would break a secure messaging session.
class Transaction {
public:
    explicit Transaction(PcscCard& card);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

private:
    PcscCard& card_;
};

// Whether to send extended-length APDUs: the reader's own limit when it reports one
// (SCARD_ATTR_MAXINPUT above a short APDU's 261 bytes), else T=1 readers are assumed to carry them.
// A wrong guess costs little: the session falls back to short reads on 6700.
bool use_extended_length(std::optional<std::uint32_t> reader_max_input, bool protocol_t1);

// How many data bytes one response may carry: 256 without extended length; with it, what the reader's
// buffer holds (SCARD_ATTR_MAXINPUT less the status word) up to 65536.
std::size_t response_room(std::optional<std::uint32_t> reader_max_input, bool extended_length);

// PC/SC's own words for a return code, e.g. "SCARD_W_REMOVED_CARD: the card was removed".
std::string describe_pcsc_error(long code);

}  // namespace cccd::reader
