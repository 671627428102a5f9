#pragma once
// Each subcommand of cccd-card registers itself on the app and reports its exit code through `exit_code`.
#include <CLI/CLI.hpp>

namespace cccd::tool {

// Exit codes, documented in docs/cccd-card.md.
enum ExitCode : int {
    kExitOk = 0,           // success; for checks: everything passed
    kExitCheckFailed = 1,  // the input was read but a check failed (bad check digit, PA verdict FAIL)
    kExitUsage = 2,        // wrong command line
    kExitBadInput = 3,     // a file could not be read or decoded
    kExitInternal = 4,     // unexpected failure (a bug or an OpenSSL failure)
    kExitCardError = 5,    // no reader, no card, card removed, PC/SC service unavailable
};

void add_mrz_command(CLI::App& app, int& exit_code);
void add_parse_command(CLI::App& app, int& exit_code);
void add_verify_command(CLI::App& app, int& exit_code);
void add_reader_commands(CLI::App& app, int& exit_code);
void add_watch_command(CLI::App& app, int& exit_code);
void add_personalize_command(CLI::App& app, int& exit_code);
void add_auth_command(CLI::App& app, int& exit_code);
void add_qr_command(CLI::App& app, int& exit_code);

}  // namespace cccd::tool
