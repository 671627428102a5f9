// cccd-vcard: a software CCCD chip in a virtual reader of the real pcscd (vpcd driver).
//   cccd-vcard --port 35963 --sample DIR
// makes an example issued card (fresh test CSCA and DS), writes what a reader needs to check it into
// DIR (csca.pem, csca.crl, can.txt, mrz.txt and the card's files), and serves the chip to vpcd until
// SIGTERM. When pcscd goes away it reconnects, so the card survives a pcscd restart.
#include <csignal>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include "card/core/file.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/lds_file.hpp"
#include "card/mrz/mrz.hpp"
#include "hardware/vcard/virtual_chip.hpp"
#include "hardware/vcard/vpcd_link.hpp"
#include "tests/fixtures/sample_card.hpp"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cccd-vcard: a virtual CCCD chip for the vpcd reader of pcscd"};
    std::string host = "127.0.0.1";
    std::uint16_t port = 35963;
    std::string sample_dir;
    std::string photo = CCCD_SAMPLE_FACE_JPEG;
    bool short_only = false;
    app.add_option("--host", host, "vpcd address: 127.0.0.1 or ::1")->capture_default_str();
    app.add_option("--port", port, "vpcd port of the slot (35963 is slot 0, 35964 slot 1)")->capture_default_str();
    app.add_option("--sample", sample_dir, "Make an example issued card and write its CSCA, CRL, CAN and files here")
        ->required();
    app.add_option("--photo", photo, "JPEG for DG2")->capture_default_str();
    app.add_flag("--no-extended-length", short_only, "Behave like a chip without extended length (6700)");
    app.footer("Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage error, 3 bad input, 4 internal error.");
    CLI11_PARSE(app, argc, argv);

    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    try {
        auto pki = cccd::fixtures::make_test_pki();
        auto citizen = cccd::fixtures::sample_citizen();
        auto card = cccd::fixtures::make_sample_card(citizen, cccd::read_file(photo), pki.ds);
        std::filesystem::path dir(sample_dir);
        cccd::fixtures::write_card_files(dir, card);
        cccd::fixtures::write_certificate_pem(dir / "csca.pem", pki.csca.cert_ptr());
        std::time_t now = std::time(nullptr);
        cccd::fixtures::write_crl_pem(dir / "csca.crl", cccd::fixtures::make_crl(pki.csca, {}, now, now + 30 * 86400));

        cccd::vcard::ChipContents contents;
        for (const auto& [name, bytes] : card.files) {
            contents.files[cccd::lds::file_info(*cccd::lds::file_by_name(name)).fid] = bytes;
        }
        contents.can = cccd::mrz::can_from_id_number(citizen.person.personal_id);
        std::string mrz = cccd::lds::decode_dg1(card.files.at("DG1")).mrz;
        contents.mrz_information = cccd::mrz::mrz_information(cccd::mrz::parse_td1(mrz));
        contents.active_auth_key = std::move(card.active_auth_key);
        contents.chip_auth_key = std::move(card.chip_auth_key);
        contents.extended_length = !short_only;
        std::ofstream(dir / "can.txt") << contents.can << "\n";
        std::ofstream(dir / "mrz.txt") << mrz.substr(0, 30) << "\n" << mrz.substr(30, 30) << "\n" << mrz.substr(60) << "\n";

        cccd::vcard::VirtualChip chip(std::move(contents));
        const cccd::Bytes atr = cccd::vcard::contactless_atr(cccd::view(std::string("CCCD-VN")));
        cccd::vcard::VpcdLink::Handlers handlers;
        handlers.power_off = [&chip] { chip.reset(); };
        handlers.power_on = [&chip] { chip.reset(); };
        handlers.reset = [&chip] { chip.reset(); };
        handlers.atr = [&atr] { return atr; };
        handlers.apdu = [&chip](cccd::ByteView command) { return chip.process(command); };

        std::cerr << "cccd-vcard: card ready on " << host << ":" << port << "\n";
        while (!g_stop) {
            try {
                cccd::vcard::VpcdLink link(host, port);
                std::cerr << "cccd-vcard: connected to vpcd on port " << port << "\n";
                link.serve(handlers, [] { return g_stop != 0; });
            } catch (const cccd::vcard::LinkClosedError& e) {
                chip.reset();  // the reader lost power to the card
                if (g_stop) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(500));  // pcscd restarting: try again
            }
        }
        return 0;
    } catch (const cccd::InvalidArgument& e) {
        std::cerr << "cccd-vcard: " << e.what() << "\n";
        return 2;
    } catch (const cccd::ParseError& e) {
        std::cerr << "cccd-vcard: " << e.what() << "\n";
        return 3;
    } catch (const std::exception& e) {
        std::cerr << "cccd-vcard: " << e.what() << "\n";
        return 4;
    }
}
