#include "apps/cccd-kiosk/headless.hpp"

#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "base/error.hpp"
#include "station/core/kiosk.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

namespace {

// 0 accepted; 1 the card or the server said no (the citizen's words on stdout); 4 the kiosk itself
// cannot tap (no reader, no card, pcscd, its own files); 2 usage (below).
int exit_code(KioskCode code) {
    switch (code) {
        case KioskCode::Accepted: return 0;
        case KioskCode::NoCard:
        case KioskCode::ReaderMissing:
        case KioskCode::KioskMisconfigured:
        case KioskCode::InternalError: return 4;
        default: return 1;
    }
}

}  // namespace

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
        const std::string words = utf8(OutcomeWords::kiosk(outcome));
        if (json) {
            boost::json::object out{{"accepted", outcome.accepted()}, {"outcome", to_string(outcome.code)}, {"message", words}};
            if (outcome.accepted()) {
                out["name"] = outcome.name;
                out["date_of_birth"] = outcome.date_of_birth;
                out["loa"] = outcome.loa;
                out["photo_bytes"] = outcome.photo_jpeg.size();
                out["card_profile"] = outcome.card.profile != nullptr ? boost::json::value(std::string(outcome.card.profile->code)) : nullptr;
                out["dg2"] = outcome.card.has_face;
                out["assertion"] = outcome.assertion;
            }
            std::cout << boost::json::serialize(out) << "\n";
        } else {
            std::cout << words << "\n";
            if (outcome.accepted()) {
                std::cout << "  Họ và tên: " << outcome.name << "\n  Ngày sinh: " << outcome.date_of_birth
                          << "\n  " << utf8(OutcomeWords::card_kind(outcome.card)) << "\n  Mức đảm bảo: " << outcome.loa
                          << "\n  Assertion: " << outcome.assertion << "\n";
                for (const QString& line : OutcomeWords::card_fields(outcome.card)) std::cout << "  " << utf8(line) << "\n";
            }
        }
        if (!outcome.accepted() && !outcome.detail.empty()) std::cerr << "cccd-kiosk: " << to_string(outcome.code) << ": " << outcome.detail << "\n";
        return exit_code(outcome.code);
    } catch (const InvalidArgument& e) {
        std::cerr << "cccd-kiosk: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cccd-kiosk: " << e.what() << "\n";
        return 4;
    }
}

}  // namespace cccd::station
