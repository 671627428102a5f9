#pragma once
// The one exception hierarchy of the project. Messages are in the user's words and never carry key
// material, passwords or personal data.
//
// Retriable and fatal are kept apart by a mark, not by a branch of the tree (an error keeps its place
// by what failed: a busy database is a StorageError, a pulled card a card error): the errors about the
// moment rather than the request also derive from Transient. Everything else is fatal for its request:
// something must change before the same thing is tried again.
#include <exception>
#include <stdexcept>
#include <string>

namespace cccd {

// Mixed into an error about the moment, not the request: the same request may succeed later with nothing
// changed but time (the card put back, the service restarted, the database less busy), and nothing was
// done twice. Throw it only as part of an Error: `class BusyError : public StorageError, public Transient`.
class Transient {
protected:
    Transient() = default;
    ~Transient() = default;
    Transient(const Transient&) = default;
    Transient& operator=(const Transient&) = default;
};

// Whether `error` is marked Transient.
inline bool is_transient(const std::exception& error) noexcept { return dynamic_cast<const Transient*>(&error) != nullptr; }

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
