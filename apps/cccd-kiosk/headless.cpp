#include "apps/cccd-kiosk/headless.hpp"

#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "base/error.hpp"

#include "station/core/kiosk.hpp"

namespace cccd::station {

int run_kiosk_headless(int argc, char** argv) {
    CLI::App app{"cccd-kiosk --headless: one tap at the citizen kiosk, from the command line"};
    bool headless = true;
    std::string config_file, can, reader_name;
    bool json = false;
    app.add_flag("--headless", headless, "run without a window (this mode)");
    app.add_option("--config", config_file, "the kiosk's configuration (JSON)")->required();
    app.add_option("--can", can, "the 6-digit CAN printed on the card")->required();
    app.add_option("--reader", reader_name, "reader name (default: the configuration's, else the first)");
    app.add_flag("--json", json, "the outcome and the assertion as JSON");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    try {
        const KioskConfig config = load_kiosk_config(config_file);
        const KioskOutcome outcome = tap_card(config, can, reader_name);
        if (json) {
            boost::json::object out{{"accepted", outcome.accepted}, {"message", outcome.headline}};
            if (outcome.accepted) {
                out["name"] = outcome.name;
                out["date_of_birth"] = outcome.date_of_birth;
                out["loa"] = outcome.loa;
                out["photo_bytes"] = outcome.photo_jpeg.size();
                out["assertion"] = outcome.assertion;
            }
            std::cout << boost::json::serialize(out) << "\n";
        } else {
            std::cout << outcome.headline << "\n";
            if (outcome.accepted) {
                std::cout << "  Họ và tên: " << outcome.name << "\n  Ngày sinh: " << outcome.date_of_birth
                          << "\n  Mức đảm bảo: " << outcome.loa << "\n  Assertion: " << outcome.assertion << "\n";
            }
        }
        return outcome.accepted ? 0 : 1;
    } catch (const InvalidArgument& e) {
        std::cerr << "cccd-kiosk: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cccd-kiosk: " << e.what() << "\n";
        return 4;
    }
}

}  // namespace cccd::station
