#pragma once
// Secrets (passphrases, PINs, passwords, database keys) handed to a process in its environment. A secret
// is taken out of the environment the first time it is read: its bytes are overwritten where they lie
// (unsetenv alone leaves them in the memory that /proc/PID/environ shows), the variable is unset (child
// processes no longer inherit it), and the value is kept in this process, in SecretBytes, for later
// reads of the same variable (one passphrase for two keys, a client that reconnects).
// Names of files (the *_FILE variables) are no secrets and stay in the environment.
#include <optional>
#include <string_view>

#include "base/bytes.hpp"

namespace cccd {

// The secret in `variable`: the value now in the environment (taken out as above and remembered; a
// value set again later replaces the one remembered), else the value taken earlier in this process,
// else nothing. An empty value counts as not set (and is removed as well).
std::optional<SecretBytes> take_secret_from_environment(std::string_view variable);

// take_secret_from_environment(variable), else the first line (without its CR/LF) of the file named by
// `file_variable`, else nothing. ParseError when the named file cannot be read or its first line is empty.
std::optional<SecretBytes> secret_from_environment(std::string_view variable, std::string_view file_variable);

// Forgets what take_secret_from_environment remembered for `variable` (for tests that change the
// environment between cases).
void forget_secret_from_environment(std::string_view variable);

}  // namespace cccd
