#include "card/tool/commands.hpp"

namespace cccd::tool {

// Placeholder until the mrz command lands.
void add_mrz_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("mrz", "(not yet implemented)");
    cmd->callback([&exit_code] { exit_code = kExitInternal; });
}

}  // namespace cccd::tool
