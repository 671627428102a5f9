#include "auth/key_cache.hpp"

#include "base/error.hpp"
#include "card/protocol/active_auth.hpp"

namespace cccd::auth {

ActiveAuthKeyCache::ActiveAuthKeyCache(std::size_t capacity) : capacity_(capacity) {
    if (capacity_ == 0) throw InvalidArgument("the key cache needs room for at least one key");
}

std::shared_ptr<EVP_PKEY> ActiveAuthKeyCache::get(ByteView subject_public_key_info) {
    std::string id(reinterpret_cast<const char*>(subject_public_key_info.data()), subject_public_key_info.size());
    {
        std::lock_guard lock(mutex_);
        if (auto found = entries_.find(id); found != entries_.end()) {
            recency_.splice(recency_.begin(), recency_, found->second.position);
            ++hits_;
            return found->second.key;
        }
        ++misses_;
    }
    // Decoded outside the lock; two threads meeting the same new key both decode it, and one keeps it.
    crypto::PKeyPtr decoded = protocol::parse_active_auth_key(subject_public_key_info);
    std::shared_ptr<EVP_PKEY> key(decoded.release(), EVP_PKEY_free);
    std::lock_guard lock(mutex_);
    if (auto found = entries_.find(id); found != entries_.end()) return found->second.key;
    if (entries_.size() >= capacity_) {
        entries_.erase(recency_.back());
        recency_.pop_back();
    }
    recency_.push_front(id);
    entries_.emplace(std::move(id), Entry{key, recency_.begin()});
    return key;
}

std::size_t ActiveAuthKeyCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t ActiveAuthKeyCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

std::size_t ActiveAuthKeyCache::misses() const {
    std::lock_guard lock(mutex_);
    return misses_;
}

}  // namespace cccd::auth
