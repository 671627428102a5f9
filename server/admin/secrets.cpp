#include "server/admin/secrets.hpp"

#include <pwd.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <set>

#include "base/error.hpp"

namespace cccd::server::admin {

namespace {

void drop_line_end(std::string& line) {
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
}

// Turns terminal echo off for its lifetime when `fd` is a terminal.
class EchoOff {
public:
    explicit EchoOff(int fd) : fd_(fd) {
        if (::isatty(fd_) == 0 || ::tcgetattr(fd_, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = ::tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
    ~EchoOff() {
        if (active_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    }
    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;
    bool active() const noexcept { return active_; }

private:
    int fd_;
    termios saved_{};
    bool active_ = false;
};

std::size_t utf8_characters(ByteView bytes) {
    return static_cast<std::size_t>(std::count_if(bytes.begin(), bytes.end(), [](std::uint8_t b) { return (b & 0xC0) != 0x80; }));
}

std::string lower_ascii(ByteView bytes) {
    std::string out(bytes.begin(), bytes.end());
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

SecretBytes read_secret_line(std::istream& in, std::string_view prompt) {
    const bool from_terminal = &in == &std::cin && ::isatty(STDIN_FILENO) != 0;
    std::optional<EchoOff> echo_off;
    if (from_terminal) {
        std::cerr << prompt << std::flush;
        echo_off.emplace(STDIN_FILENO);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(in, line));
    if (from_terminal) std::cerr << '\n';
    if (!got) throw ParseError("no input: expected the secret on standard input");
    drop_line_end(line);
    SecretBytes secret(view(line));
    secure_wipe(line.data(), line.size());
    return secret;
}

std::string admin_actor() {
    const uid_t uid = ::geteuid();
    std::array<char, 4096> buffer{};
    passwd entry{};
    passwd* found = nullptr;
    if (::getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr && found->pw_name != nullptr)
        return std::string("admin:") + found->pw_name;
    return "admin:uid" + std::to_string(uid);
}

std::vector<std::string> password_weaknesses(const SecretBytes& password, std::string_view officer_id) {
    std::vector<std::string> reasons;
    const std::size_t characters = utf8_characters(password.view());
    if (characters < min_password_characters)
        reasons.push_back("it has " + std::to_string(characters) + " characters; at least " +
                          std::to_string(min_password_characters) + " are needed");
    std::string lowered = lower_ascii(password.view());
    const std::set<char> distinct(lowered.begin(), lowered.end());
    if (!lowered.empty() && distinct.size() < 5) reasons.push_back("it repeats too few different characters");
    // The start of the lists every guessing tool tries first, after the length rule.
    static const std::array<std::string_view, 12> kWellKnown{
        "123456789012", "1234567890123", "12345678901234", "password1234", "password123!", "qwertyuiop12",
        "qwertyuiopas", "abcdefghijkl", "iloveyou1234", "matkhau12345", "admin1234567", "changeme1234"};
    for (const std::string_view known : kWellKnown) {
        if (lowered.starts_with(known)) {
            reasons.push_back("it starts like a well-known password");
            break;
        }
    }
    if (officer_id.size() >= 3 && lowered.find(lower_ascii(view(officer_id))) != std::string::npos)
        reasons.push_back("it contains the officer's login name");
    secure_wipe(lowered.data(), lowered.size());
    return reasons;
}

}  // namespace cccd::server::admin
