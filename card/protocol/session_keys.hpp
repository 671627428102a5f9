#pragma once
// The AES session keys PACE and Chip Authentication end with, and the secure messaging they open.
#include "base/bytes.hpp"
#include "card/sm/secure_messaging.hpp"

namespace cccd::protocol {

struct AesSessionKeys {
    SecretBytes ks_enc;
    SecretBytes ks_mac;
    // Secure messaging restarts with an all-zero 16-byte SSC after PACE and after CA.
    sm::SecureMessaging open() const { return sm::SecureMessaging::aes(ks_enc, ks_mac); }
};

}  // namespace cccd::protocol
