#pragma once
// Decoded Active Authentication keys, kept per key. OpenSSL 3 decodes a SubjectPublicKeyInfo through
// its provider decoders, which costs about half of the ECDSA verification itself; a relying party
// sees the same cards again and again, so the pipeline decodes each registered key once.
//
// The entry is found by the exact DER bytes of the key, so a hit is the very key the registry holds:
// nothing about the card's state is cached, only the decoding. Bounded (least recently used goes);
// thread-safe; the keys it hands out are only ever read, which OpenSSL allows from several threads.
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <openssl/evp.h>

#include "base/bytes.hpp"

namespace cccd::auth {

class ActiveAuthKeyCache {
public:
    explicit ActiveAuthKeyCache(std::size_t capacity = 50'000);

    // The key for this SubjectPublicKeyInfo (or whole DG15), decoded on the first use.
    // ParseError when it is not a valid key (never cached).
    std::shared_ptr<EVP_PKEY> get(ByteView subject_public_key_info);

    std::size_t size() const;
    std::size_t hits() const;
    std::size_t misses() const;

private:
    using Recency = std::list<std::string>;  // most recent first
    struct Entry {
        std::shared_ptr<EVP_PKEY> key;
        Recency::iterator position;
    };

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    Recency recency_;
    std::unordered_map<std::string, Entry> entries_;
    std::size_t hits_ = 0;
    std::size_t misses_ = 0;
};

}  // namespace cccd::auth
