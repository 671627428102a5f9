#include "card/tool/commands.hpp"

namespace cccd::tool {

// Placeholder until the parse command lands.
void add_parse_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("parse", "(not yet implemented)");
    cmd->callback([&exit_code] { exit_code = kExitInternal; });
}

}  // namespace cccd::tool
