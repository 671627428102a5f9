#pragma once
// 32-byte secret keys kept in files (the SQLCipher database key, the station's queue key, the pairwise
// subject secret): 64 hex digits and a newline, mode 0600, made once and never overwritten.
#include <filesystem>
#include <string>

#include "base/bytes.hpp"

namespace cccd::crypto {

inline constexpr std::size_t kSecretKeyBytes = 32;

// 64 hex digits (surrounding whitespace ignored) or exactly 32 raw bytes. InvalidArgument naming
// `what` (e.g. "the database key file /etc/cccd/keys/database.key") otherwise; Error when unreadable.
SecretBytes read_secret_key_file(const std::filesystem::path& path, const std::string& what);
// The same rule for a key given as text (an environment variable).
SecretBytes secret_key_from_text(std::string text, const std::string& what);

// A fresh random key (64 hex digits, mode 0600); Error when the file exists or cannot be written (a
// partial file is removed again).
void create_secret_key_file(const std::filesystem::path& path);

}  // namespace cccd::crypto
