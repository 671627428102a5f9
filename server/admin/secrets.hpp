#pragma once
// Where `cccd-server admin` gets secrets and who it says did a change. Secrets never come from the
// command line (argv is visible to every user in /proc): an environment variable, a file named by
// another variable, or the terminal without echo.
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "base/environment.hpp"

namespace cccd::server::admin {

// The value of `variable` (taken out of the environment), else the first line of the file named by
// `file_variable`, else nothing: base/environment.hpp.
using cccd::secret_from_environment;

// One line from `in`. When `in` is the terminal, echo is off while it is typed and `prompt` goes to
// stderr. ParseError at end of input.
SecretBytes read_secret_line(std::istream& in, std::string_view prompt);

// "admin:<unix user>" (the effective user's login name, or its uid when it has none): the audit actor
// of every change the admin tool makes.
std::string admin_actor();

// Why `password` is too weak for an officer account, one reason per element (empty: acceptable).
// At least 12 characters, not mostly one character, not a well-known password, not the login name.
inline constexpr std::size_t min_password_characters = 12;
std::vector<std::string> password_weaknesses(const SecretBytes& password, std::string_view officer_id);

}  // namespace cccd::server::admin
