#include "vcard/vpcd_link.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cccd::vcard {

Bytes contactless_atr(ByteView historical_bytes) {
    if (historical_bytes.size() > 15) throw InvalidArgument("an ATR holds at most 15 historical bytes");
    Bytes atr{0x3B, static_cast<std::uint8_t>(0x80 | historical_bytes.size()), 0x80, 0x01};
    append(atr, historical_bytes);
    std::uint8_t tck = 0;
    for (std::size_t i = 1; i < atr.size(); ++i) tck ^= atr[i];
    atr.push_back(tck);
    return atr;
}

Bytes contact_t0_atr(ByteView historical_bytes) {
    if (historical_bytes.size() > 15) throw InvalidArgument("an ATR holds at most 15 historical bytes");
    Bytes atr{0x3B, static_cast<std::uint8_t>(0x60 | historical_bytes.size()), 0x00, 0x00};
    append(atr, historical_bytes);
    return atr;
}

VpcdLink::VpcdLink(const std::string& host, std::uint16_t port) {
    bool v6 = host == "::1";
    if (host != "127.0.0.1" && !v6) throw InvalidArgument("the virtual card connects to loopback only (127.0.0.1 or ::1)");
    fd_ = ::socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw Error(std::string("cannot create a socket: ") + std::strerror(errno));
    int rc = -1;
    if (v6) {
        sockaddr_in6 addr{};
        addr.sin6_family = AF_INET6;
        addr.sin6_port = htons(port);
        addr.sin6_addr = in6addr_loopback;
        rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    } else {
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    if (rc != 0) {
        int err = errno;
        close();
        throw LinkClosedError("cannot reach the virtual reader on " + host + " port " + std::to_string(port) + ": " +
                              std::strerror(err) + " (is pcscd running with the vpcd driver?)");
    }
    // vpcd writes length and APDU in two send() calls: without NODELAY and QUICKACK every APDU
    // waits ~40 ms for Nagle and delayed ACK.
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

VpcdLink::~VpcdLink() { close(); }

void VpcdLink::close() noexcept {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

Bytes VpcdLink::read_message() {
    auto read_exact = [this](std::uint8_t* out, std::size_t n) {
        std::size_t got = 0;
        while (got < n) {
            int one = 1;
            ::setsockopt(fd_, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
            ssize_t r = ::recv(fd_, out + got, n - got, 0);
            if (r == 0) throw LinkClosedError("the virtual reader closed the connection");
            if (r < 0) {
                if (errno == EINTR) continue;
                throw LinkClosedError(std::string("reading from the virtual reader failed: ") + std::strerror(errno));
            }
            got += static_cast<std::size_t>(r);
        }
    };
    std::uint8_t header[2];
    read_exact(header, 2);
    std::size_t length = static_cast<std::size_t>((header[0] << 8) | header[1]);
    Bytes payload(length);
    if (length > 0) read_exact(payload.data(), length);
    return payload;
}

void VpcdLink::write_message(ByteView payload) {
    if (payload.size() > 0xFFFF) throw InvalidArgument("a vpcd message holds at most 65535 bytes");
    Bytes frame{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size() & 0xFF)};
    append(frame, payload);
    std::size_t sent = 0;
    while (sent < frame.size()) {
        ssize_t r = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
        if (r < 0) {
            if (errno == EINTR) continue;
            throw LinkClosedError(std::string("writing to the virtual reader failed: ") + std::strerror(errno));
        }
        sent += static_cast<std::size_t>(r);
    }
}

void VpcdLink::serve(const Handlers& h, const std::function<bool()>& stop) {
    if (fd_ < 0) throw LinkClosedError("the link is closed");
    for (;;) {
        if (stop) {
            // Wake up regularly so a stop request is seen even when the reader is idle.
            pollfd p{fd_, POLLIN, 0};
            int ready = ::poll(&p, 1, 200);
            if (stop()) return;
            if (ready == 0) continue;
        }
        Bytes message = read_message();
        if (message.size() == 1) {
            switch (message[0]) {
                case 0x00: if (h.power_off) h.power_off(); break;
                case 0x01: if (h.power_on) h.power_on(); break;
                case 0x02: if (h.reset) h.reset(); break;
                case 0x04: write_message(h.atr ? h.atr() : Bytes{}); break;
                default: break;  // unknown control messages are ignored, as vpcd's own cards do
            }
        } else if (!message.empty()) {
            write_message(h.apdu(message));
        }
    }
}

}  // namespace cccd::vcard
