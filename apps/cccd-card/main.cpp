// cccd-card: build and check MRZs, decode LDS files, run Passive Authentication, list and watch readers,
// read a card, personalize one and answer an authentication challenge (one cmd_*.cpp per subcommand).
#include <iostream>

#include "apps/cccd-card/commands.hpp"
#include "base/error.hpp"

int main(int argc, char** argv) {
    CLI::App app{"cccd-card: tools for the Vietnamese chip citizen ID card (CCCD) and ICAO 9303 data"};
    app.require_subcommand(1);
    app.footer("Exit codes: 0 ok, 1 a check failed, 2 usage error, 3 unreadable or malformed input, 4 internal error,\n5 reader or card unavailable.");
    int exit_code = cccd::tool::kExitOk;
    cccd::tool::add_mrz_command(app, exit_code);
    cccd::tool::add_parse_command(app, exit_code);
    cccd::tool::add_verify_command(app, exit_code);
    cccd::tool::add_reader_commands(app, exit_code);
    cccd::tool::add_watch_command(app, exit_code);
    cccd::tool::add_personalize_command(app, exit_code);
    cccd::tool::add_auth_command(app, exit_code);
    cccd::tool::add_qr_command(app, exit_code);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : cccd::tool::kExitUsage;
    } catch (const cccd::ParseError& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return cccd::tool::kExitBadInput;
    } catch (const cccd::InvalidArgument& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return cccd::tool::kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return cccd::tool::kExitInternal;
    }
    return exit_code;
}
