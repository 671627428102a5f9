// cccd-server: the population database and the issuance service over HTTPS.
//   cccd-server serve --config server.json
//   cccd-server admin ...       officers, stations, population import, keys, audit verification
#include <iostream>

#include "apps/cccd-server/commands.hpp"

int main(int argc, char** argv) {
    CLI::App app{"cccd-server: the CCCD population database and issuance service"};
    app.require_subcommand(1);
    int exit_code = cccd::server::tool::kExitOk;
    cccd::server::tool::add_serve_command(app, exit_code);
    cccd::server::tool::add_admin_commands(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : cccd::server::tool::kExitUsage;
    }
    return exit_code;
}
