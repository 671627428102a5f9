#pragma once
// The one exception hierarchy of the card core. Messages are in the user's words and never carry
// key material, passwords or personal data.
#include <stdexcept>
#include <string>

namespace cccd {

// Base of everything the project throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A caller passed a value that cannot be used (bad hex, wrong key length, unknown option).
class InvalidArgument : public Error {
public:
    using Error::Error;
};

// Bytes from a card, a file or the network are malformed: truncated, overlong, wrong tag, bad value.
class ParseError : public Error {
public:
    using Error::Error;
};

// A cryptographic operation failed inside OpenSSL, or a key is unusable.
class CryptoError : public Error {
public:
    using Error::Error;
};

// A protocol step failed (BAC, PACE, CA, AA): carries the step so logs and reports can name it.
class ProtocolError : public Error {
public:
    ProtocolError(std::string protocol, int step, const std::string& what)
        : Error(protocol + " step " + std::to_string(step) + ": " + what),
          protocol_(std::move(protocol)), step_(step) {}
    const std::string& protocol() const noexcept { return protocol_; }
    int step() const noexcept { return step_; }

private:
    std::string protocol_;
    int step_;
};

// Secure messaging failed (wrong MAC, missing or malformed data object). The session is over.
class SecureMessagingError : public Error {
public:
    using Error::Error;
};

}  // namespace cccd
