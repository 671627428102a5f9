#include "crypto/openssl.hpp"

#include <openssl/err.h>

#include "base/error.hpp"

namespace cccd::crypto {

void throw_openssl_error(const std::string& what) {
    unsigned long code = ERR_get_error();
    std::string message = what;
    if (code != 0) {
        char buf[256];
        ERR_error_string_n(code, buf, sizeof buf);
        message += " (" + std::string(buf) + ")";
    }
    ERR_clear_error();
    throw CryptoError(message);
}

void clear_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace cccd::crypto
