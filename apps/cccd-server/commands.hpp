#pragma once
// The subcommands of cccd-server. Exit codes: 0 ok, 1 a check failed (audit verification), 2 usage or
// configuration error, 3 unreadable input, 4 internal error, 5 the database or a key is unavailable.
#include <CLI/CLI.hpp>

namespace cccd::server::tool {

enum ExitCode { kExitOk = 0, kExitCheckFailed = 1, kExitUsage = 2, kExitBadInput = 3, kExitInternal = 4, kExitUnavailable = 5 };

void add_serve_command(CLI::App& app, int& exit_code);   // cmd_serve.cpp
void add_admin_commands(CLI::App& app, int& exit_code);  // cmd_admin.cpp

}  // namespace cccd::server::tool
