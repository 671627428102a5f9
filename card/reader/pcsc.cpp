#include "card/reader/pcsc.hpp"

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

namespace cccd::reader {

namespace {

[[noreturn]] void fail(LONG rc, const std::string& what) {
    std::string message = what + ": " + describe_pcsc_error(rc);
    switch (rc) {
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NO_SMARTCARD:
        case SCARD_W_RESET_CARD:
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_E_READER_UNAVAILABLE:
        case SCARD_E_UNKNOWN_READER: throw channel::CardRemovedError(message);
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_INVALID_HANDLE: throw ReaderServiceError(message);
        default: throw ReaderError(message);
    }
}

// SCARD_ATTR_MAXINPUT from pcsc-lite's reader.h, spelled without the header's C casts.
constexpr DWORD kAttrMaxInput = (static_cast<DWORD>(SCARD_CLASS_VENDOR_DEFINED) << 16) | 0xA007;

// The largest command the reader takes, when its driver says (the CCID driver does; vpcd does not).
std::optional<std::uint32_t> reader_max_input(SCARDHANDLE card) {
    BYTE value[8] = {};
    DWORD length = sizeof value;
    if (SCardGetAttrib(card, kAttrMaxInput, value, &length) != SCARD_S_SUCCESS) return std::nullopt;
    // Drivers answer a host-order integer (the CCID driver: 4 bytes).
    if (length == sizeof(std::uint32_t)) {
        std::uint32_t max_input = 0;
        std::memcpy(&max_input, value, sizeof max_input);
        return max_input;
    }
    if (length == sizeof(std::uint64_t)) {
        std::uint64_t max_input = 0;
        std::memcpy(&max_input, value, sizeof max_input);
        return max_input > UINT32_MAX ? UINT32_MAX : static_cast<std::uint32_t>(max_input);
    }
    return std::nullopt;
}

// Return codes of a failed exchange that a card leaving the field typically produces before pcscd's
// next presence poll has noticed it is gone.
bool may_be_card_pulled(LONG rc) {
    switch (rc) {
        case SCARD_E_NOT_TRANSACTED:
        case SCARD_F_COMM_ERROR:
        case SCARD_W_UNRESPONSIVE_CARD:
        case SCARD_W_UNPOWERED_CARD:
        case SCARD_F_UNKNOWN_ERROR: return true;
        default: return false;
    }
}

enum class CardPresence { Present, Removed, Reset, ReaderGone, ServiceGone };

CardPresence card_presence(SCARDHANDLE card, LONG& status_rc) {
    char name[256];
    DWORD name_length = sizeof name;
    DWORD state = 0;
    DWORD protocol = 0;
    BYTE atr[MAX_ATR_SIZE];
    DWORD atr_length = sizeof atr;
    status_rc = SCardStatus(card, name, &name_length, &state, &protocol, atr, &atr_length);
    switch (status_rc) {
        case SCARD_S_SUCCESS: return (state & SCARD_ABSENT) != 0 ? CardPresence::Removed : CardPresence::Present;
        case SCARD_W_REMOVED_CARD:
        case SCARD_E_NO_SMARTCARD: return CardPresence::Removed;
        case SCARD_W_RESET_CARD: return CardPresence::Reset;
        case SCARD_E_READER_UNAVAILABLE:
        case SCARD_E_UNKNOWN_READER: return CardPresence::ReaderGone;
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_INVALID_HANDLE: return CardPresence::ServiceGone;
        default: return CardPresence::Present;
    }
}

}  // namespace

bool use_extended_length(std::optional<std::uint32_t> reader_max_input, bool protocol_t1) {
    constexpr std::uint32_t kLongestShortApdu = 4 + 1 + 255 + 1;  // header, Lc, data, Le
    if (reader_max_input) return *reader_max_input > kLongestShortApdu;
    return protocol_t1;
}

std::size_t response_room(std::optional<std::uint32_t> reader_max_input, bool extended_length) {
    constexpr std::size_t kShortRoom = 256;
    constexpr std::size_t kExtendedRoom = 65536;
    if (!extended_length) return kShortRoom;
    // The reader's buffer holds a response APDU: its data and the two status bytes.
    if (reader_max_input && *reader_max_input > kShortRoom + 2) return std::min<std::size_t>(kExtendedRoom, *reader_max_input - 2);
    return kExtendedRoom;
}

std::string describe_pcsc_error(long code) {
    const char* words = "unexpected PC/SC error";
    switch (code) {
        case SCARD_W_REMOVED_CARD: words = "the card was removed"; break;
        case SCARD_E_NO_SMARTCARD: words = "there is no card in the reader"; break;
        case SCARD_W_RESET_CARD: words = "the card was reset"; break;
        case SCARD_W_UNPOWERED_CARD: words = "the card is not powered"; break;
        case SCARD_W_UNRESPONSIVE_CARD: words = "the card does not answer"; break;
        case SCARD_E_READER_UNAVAILABLE: words = "the reader is gone"; break;
        case SCARD_E_UNKNOWN_READER: words = "there is no reader of that name"; break;
        case SCARD_E_NO_SERVICE: words = "the PC/SC service (pcscd) is not running"; break;
        case SCARD_E_SERVICE_STOPPED: words = "the PC/SC service (pcscd) stopped"; break;
        case SCARD_E_INVALID_HANDLE: words = "the PC/SC connection is no longer valid (pcscd restarted?)"; break;
        case SCARD_E_NO_READERS_AVAILABLE: words = "no reader is connected"; break;
        case SCARD_E_SHARING_VIOLATION: words = "another program is using the card"; break;
        case SCARD_E_TIMEOUT: words = "timed out"; break;
        case SCARD_E_CANCELLED: words = "cancelled"; break;
        case SCARD_E_NOT_TRANSACTED: words = "the exchange with the card failed"; break;
        case SCARD_F_COMM_ERROR: words = "the link to the reader failed"; break;
        default: break;
    }
    return std::string(pcsc_stringify_error(static_cast<LONG>(code))) + " (" + words + ")";
}

PcscContext::PcscContext() {
    SCARDCONTEXT ctx = 0;
    LONG rc = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
    if (rc != SCARD_S_SUCCESS) fail(rc, "cannot connect to the PC/SC service");
    context_ = ctx;
}

PcscContext::~PcscContext() {
    if (context_ != 0) SCardReleaseContext(context_);
}

std::vector<std::string> PcscContext::readers() const {
    DWORD size = 0;
    LONG rc = SCardListReaders(context_, nullptr, nullptr, &size);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    if (rc != SCARD_S_SUCCESS) fail(rc, "cannot list the readers");
    std::string buffer(size, '\0');
    rc = SCardListReaders(context_, nullptr, buffer.data(), &size);
    if (rc == SCARD_E_NO_READERS_AVAILABLE) return {};
    if (rc != SCARD_S_SUCCESS) fail(rc, "cannot list the readers");
    std::vector<std::string> names;
    for (std::size_t pos = 0; pos < buffer.size() && buffer[pos] != '\0';) {
        std::size_t end = buffer.find('\0', pos);
        names.push_back(buffer.substr(pos, end - pos));
        pos = end + 1;
    }
    return names;
}

std::string PcscContext::reader_or_first(const std::string& requested) const {
    if (!requested.empty()) return requested;
    auto names = readers();
    if (names.empty()) throw ReaderError("no reader found");
    return names.front();
}

PcscCard::PcscCard(const PcscContext& context, const std::string& reader_name) {
    SCARDHANDLE handle = 0;
    DWORD protocol = 0;
    LONG rc = SCardConnect(context.handle(), reader_name.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0,
                           &handle, &protocol);
    if (rc != SCARD_S_SUCCESS) fail(rc, "cannot connect to the card in \"" + reader_name + "\"");
    card_ = handle;
    protocol_ = protocol;
    BYTE atr[MAX_ATR_SIZE];
    DWORD atr_len = sizeof atr;
    DWORD state = 0;
    DWORD proto = 0;
    char name[256];
    DWORD name_len = sizeof name;
    if (SCardStatus(card_, name, &name_len, &state, &proto, atr, &atr_len) == SCARD_S_SUCCESS) {
        atr_.assign(atr, atr + atr_len);
    }
    const std::optional<std::uint32_t> max_input = reader_max_input(handle);
    extended_length_ = use_extended_length(max_input, protocol_ == SCARD_PROTOCOL_T1);
    max_response_data_ = response_room(max_input, extended_length_);
}

PcscCard::~PcscCard() {
    if (card_ != 0) SCardDisconnect(card_, SCARD_LEAVE_CARD);
}

Bytes PcscCard::transmit(ByteView command) {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    Bytes response(65538);
    DWORD length = static_cast<DWORD>(response.size());
    LONG rc = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, response.data(), &length);
    if (rc != SCARD_S_SUCCESS) fail_transmit(rc);
    // vpcd answers an empty response when the card left without answering: no status word is no answer.
    if (length < 2) fail_transmit(SCARD_E_NOT_TRANSACTED);
    response.resize(length);
    return response;
}

void PcscCard::reconnect_after_reset() noexcept {
    DWORD protocol = 0;
    if (SCardReconnect(card_, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T1 | SCARD_PROTOCOL_T0, SCARD_LEAVE_CARD, &protocol) ==
        SCARD_S_SUCCESS) {
        protocol_ = protocol;
    }
}

void PcscCard::fail_transmit(long code) {
    const LONG rc = static_cast<LONG>(code);
    const std::string pcsc_words = "; PC/SC: " + describe_pcsc_error(rc);
    // pcscd learns that a card left only at its next presence poll (every 400 ms for vpcd), so a
    // communication error gets up to a second for the removal to show before it is blamed on the card.
    const int looks = may_be_card_pulled(rc) ? 10 : 1;
    for (int look = 0; look < looks; ++look) {
        if (look > 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        LONG status_rc = SCARD_S_SUCCESS;
        switch (card_presence(card_, status_rc)) {
            case CardPresence::Removed:
                throw channel::CardRemovedError("the card was removed from the reader during a command" + pcsc_words);
            case CardPresence::Reset:
                // The handle is taken up again at once, so the next session can start on it; this one is
                // over (the chip dropped its secure messaging and its selected application).
                reconnect_after_reset();
                throw channel::CardRemovedError("the card was reset during a command (by the reader or another program)" +
                                                pcsc_words);
            case CardPresence::ReaderGone:
                throw channel::CardRemovedError("the reader was disconnected during a command" + pcsc_words);
            case CardPresence::ServiceGone: fail(status_rc, "the card did not answer");
            case CardPresence::Present: break;
        }
    }
    fail(rc, "the card did not answer");
}

Transaction::Transaction(PcscCard& card) : card_(card) {
    LONG rc = SCardBeginTransaction(card_.card_);
    if (rc == SCARD_W_RESET_CARD) {  // reset since the last use: take the handle up again and go on
        card_.reconnect_after_reset();
        rc = SCardBeginTransaction(card_.card_);
    }
    if (rc != SCARD_S_SUCCESS) fail(rc, "cannot get exclusive access to the card");
}

Transaction::~Transaction() {
    // Errors are moot here: a card that left or a pcscd that stopped has ended the transaction already.
    SCardEndTransaction(card_.card_, SCARD_LEAVE_CARD);
}

}  // namespace cccd::reader
