#include "crypto/random.hpp"

#include <openssl/rand.h>

#include "crypto/openssl.hpp"

namespace cccd::crypto {

Bytes random_bytes(std::size_t count) {
    Bytes out(count);
    if (count > 0) check(RAND_bytes(out.data(), static_cast<int>(count)) == 1, "drawing random bytes");
    return out;
}

}  // namespace cccd::crypto
