#include "card/tool/commands.hpp"

namespace cccd::tool {

// Placeholder until the verify command lands.
void add_verify_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("verify", "(not yet implemented)");
    cmd->callback([&exit_code] { exit_code = kExitInternal; });
}

}  // namespace cccd::tool
