#include "card/reader/pcsc.hpp"

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

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
        case SCARD_E_UNKNOWN_READER: throw session::CardRemovedError(message);
        case SCARD_E_NO_SERVICE:
        case SCARD_E_SERVICE_STOPPED:
        case SCARD_E_INVALID_HANDLE: throw ReaderServiceError(message);
        default: throw ReaderError(message);
    }
}

}  // namespace

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
    // Readers announce extended-length support in their features; pcsc-lite's vpcd and most
    // contactless readers with T=1 carry it. Probe cheaply: assume yes for T=1, no for T=0.
    extended_length_ = protocol_ == SCARD_PROTOCOL_T1;
}

PcscCard::~PcscCard() {
    if (card_ != 0) SCardDisconnect(card_, SCARD_LEAVE_CARD);
}

Bytes PcscCard::transmit(ByteView command) {
    const SCARD_IO_REQUEST* pci = protocol_ == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    Bytes response(65538);
    DWORD length = static_cast<DWORD>(response.size());
    LONG rc = SCardTransmit(card_, pci, command.data(), static_cast<DWORD>(command.size()), nullptr, response.data(), &length);
    if (rc != SCARD_S_SUCCESS) fail(rc, "the card did not answer");
    response.resize(length);
    return response;
}

}  // namespace cccd::reader
