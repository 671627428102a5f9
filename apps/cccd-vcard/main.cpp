// cccd-vcard: a software CCCD chip in a virtual reader of the real pcscd (vpcd driver).
//
//   cccd-vcard --port 35963 --sample DIR --photo JPEG   an issued example card, its image in DIR/card.img
//   cccd-vcard --port 35963 --image F --blank --transport-key K   a blank chip for personalization
//                                            (with --sample DIR: DIR/transport.key and DIR/batch.keys, its
//                                            card maker's batch manifest, card/perso/transport_manifest.hpp)
//   cccd-vcard --port 35963 --image F        the card in image F, as it was left
//   cccd-vcard --port 35963 --sample DIR --clone-of F   a clone of the card in image F (vcard/clone.hpp)
//
// How the card answers, as cards and readers in the field do (docs/virtual-chip.md): --t0 (61xx with
// GET RESPONSE, 6Cxx), --end-of-file-warning (6282), --max-read N (short reads), --no-extended-length.
//
// The chip's memory lives in its card image and is written after every change, so a card survives
// removal, restarts and crashes. `--sample DIR` issues the card through perso::personalize, the
// station's pipeline, over the chip's own personalization commands (a fresh CSCA and DS, sample_card.hpp)
// and writes what a reader needs to check it into DIR: csca.pem, csca.crl, can.txt, mrz.txt,
// transport.key and the card's files. When pcscd goes away the card
// reconnects by itself. Orders at run time come through --control FIFO (docs/virtual-chip.md):
//   remove | insert | remove-during FILE | remove-after N
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string_view>
#include <thread>

#include <CLI/CLI.hpp>

#include "apps/cccd-vcard/sample_card.hpp"
#include "base/file.hpp"
#include "card/apdu/apdu.hpp"
#include "card/lds/lds_file.hpp"
#include "card/perso/transport_manifest.hpp"
#include "card/session/link_model.hpp"
#include "crypto/random.hpp"
#include "vcard/card_image.hpp"
#include "vcard/clone.hpp"
#include "vcard/t0_transport.hpp"
#include "vcard/virtual_chip.hpp"
#include "vcard/vpcd_link.hpp"

namespace {

namespace fs = std::filesystem;
using cccd::Bytes;
using cccd::ByteView;

volatile std::sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

struct Options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 35963;
    std::string image;
    std::string sample_dir;
    bool blank = false;
    std::string transport_key_file;
    std::string photo;
    std::string active_auth = "ecdsa";
    bool no_pace = false;
    int tamper = 0;
    bool short_only = false;
    bool t0 = false;
    bool end_of_file_warning = false;
    std::size_t max_read = 0;
    std::string clone_of;
    std::string control;
    std::string link = "none";
    double turnaround_ms = 2.0;
};

// The chip seen from the reader: in memory while the program runs, persisted after every change.
class CardSlot {
public:
    CardSlot(cccd::vcard::ChipContents contents, fs::path image) : chip_(std::move(contents)), image_(std::move(image)) {
        chip_.on_memory_changed([this](const cccd::vcard::ChipContents& c) { cccd::vcard::save_card_image(image_, c); });
    }
    cccd::vcard::VirtualChip& chip() { return chip_; }

private:
    cccd::vcard::VirtualChip chip_;
    fs::path image_;
};

// Whether `command` is a READ BINARY of the file `fid`: by its short EF identifier in P1 (INS and P1 stay
// in the clear under secure messaging), or of the file a SELECT made current.
bool reads_file(ByteView command, std::uint16_t fid, const cccd::vcard::VirtualChip& chip) {
    namespace apdu = cccd::apdu;
    if (command.size() < 4 || (command[1] != apdu::kInsReadBinary && command[1] != apdu::kInsReadBinaryOdd)) return false;
    if (command[1] == apdu::kInsReadBinary && (command[2] & 0x80)) {
        const auto named = cccd::lds::file_by_short_ef_id(command[2] & 0x1F);
        return named && cccd::lds::file_info(*named).fid == fid;
    }
    return chip.selected_file() == fid;
}

// Orders from the control FIFO, read by their own thread, taken by the serving loop.
class Orders {
public:
    void remove() { present_ = false; }
    void insert() { present_ = true; }
    bool present() const { return present_; }
    void remove_during(std::uint16_t fid) {
        std::lock_guard lock(mutex_);
        pull_in_file_ = fid;
    }
    void remove_after(long n) {
        std::lock_guard lock(mutex_);
        pull_after_ = n;
    }
    // Before each APDU: true when the card must leave now, without answering.
    bool pull_now(const cccd::vcard::VirtualChip& chip, ByteView command) {
        std::lock_guard lock(mutex_);
        if (pull_after_) {
            if (*pull_after_ <= 0) {
                pull_after_.reset();
                return true;
            }
            --*pull_after_;
        }
        if (pull_in_file_ && reads_file(command, *pull_in_file_, chip)) {
            pull_in_file_.reset();
            return true;
        }
        return false;
    }

private:
    std::atomic<bool> present_{true};
    std::mutex mutex_;
    std::optional<std::uint16_t> pull_in_file_;
    std::optional<long> pull_after_;
};

struct CardPulled {};

std::optional<std::uint16_t> fid_of(const std::string& name) {
    if (auto f = cccd::lds::file_by_name(name)) return cccd::lds::file_info(*f).fid;
    if (name.size() == 4 && name.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
        return static_cast<std::uint16_t>(std::stoul(name, nullptr, 16));
    }
    return std::nullopt;
}

void apply_order(const std::string& line, Orders& orders) {
    std::istringstream in(line);
    std::string verb, argument;
    in >> verb >> argument;
    if (verb == "remove") {
        orders.remove();
    } else if (verb == "insert") {
        orders.insert();
    } else if (verb == "remove-during" && fid_of(argument)) {
        orders.remove_during(*fid_of(argument));
    } else if (verb == "remove-after" && !argument.empty() && argument.find_first_not_of("0123456789") == std::string::npos) {
        orders.remove_after(std::stol(argument));
    } else if (!verb.empty()) {
        std::cerr << "cccd-vcard: unknown order \"" << line << "\" (remove, insert, remove-during FILE, remove-after N)\n";
        return;
    }
    if (!verb.empty()) std::cerr << "cccd-vcard: order: " << line << "\n";
}

// Reads orders line by line from a FIFO until the program stops.
void read_orders(const std::string& fifo, Orders& orders) {
    // O_RDWR keeps the FIFO open even when no writer is connected, so reads never see end of file.
    int fd = ::open(fifo.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        std::cerr << "cccd-vcard: cannot open the control FIFO " << fifo << "\n";
        return;
    }
    std::string pending;
    while (!g_stop) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) <= 0) continue;
        char buffer[256];
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) continue;
        pending.append(buffer, static_cast<std::size_t>(n));
        for (std::size_t end; (end = pending.find('\n')) != std::string::npos;) {
            apply_order(pending.substr(0, end), orders);
            pending.erase(0, end + 1);
        }
    }
    ::close(fd);
}

// A secret's file, mode 0600 from its creation (`exclusive`: never over an existing one). Error naming
// `what` when it cannot be written.
void write_private_file(const fs::path& file, std::string_view text, bool exclusive, const std::string& what) {
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC), 0600);
    if (fd < 0) throw cccd::Error("cannot create the " + what + " " + file.string());
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw cccd::Error("cannot write the " + what + " " + file.string());
}

cccd::SecretBytes transport_key_from(const std::string& file) {
    if (!file.empty() && fs::exists(file)) {
        std::string text;
        std::ifstream(file) >> text;
        cccd::Bytes key = cccd::from_hex(text);
        if (key.size() != 16) throw cccd::InvalidArgument(file + ": a transport key is 32 hex digits");
        return cccd::SecretBytes(std::move(key));
    }
    cccd::SecretBytes key(cccd::crypto::random_bytes(16));
    if (!file.empty()) {
        std::string hex = cccd::to_hex(key.view()) + "\n";
        write_private_file(file, hex, true, "transport key file");
        cccd::secure_wipe(hex.data(), hex.size());
    }
    return key;
}

void write_batch_manifest(const fs::path& file, const cccd::Bytes& chip_serial, const cccd::SecretBytes& key) {
    cccd::perso::TransportManifest manifest;
    manifest.batch = "VCARD-" + cccd::to_hex(chip_serial);
    manifest.cards.push_back({chip_serial, key});
    std::string text = cccd::perso::write_transport_manifest(manifest);
    try {
        write_private_file(file, text, false, "batch manifest");
    } catch (...) {
        cccd::secure_wipe(text.data(), text.size());
        throw;
    }
    cccd::secure_wipe(text.data(), text.size());
}

// Issues the example card through the personalization pipeline, over the chip's own commands.
cccd::vcard::ChipContents issue_sample(const Options& o, const fs::path& image) {
    if (o.photo.empty()) throw cccd::InvalidArgument("--sample issues an example card: give its portrait with --photo JPEG");
    cccd::vcard_app::SampleOptions sample;
    sample.photo_jpeg = cccd::read_file(o.photo);
    sample.active_auth_key = o.active_auth == "rsa" ? cccd::perso::KeySpec::rsa(2048) : cccd::perso::KeySpec::ec(13);
    sample.with_card_access = !o.no_pace;
    fs::path dir(o.sample_dir);
    fs::create_directories(dir);
    cccd::SecretBytes transport_key = transport_key_from((dir / "transport.key").string());

    cccd::vcard::ChipContents blank = cccd::vcard::make_blank_chip(transport_key.view());
    blank.extended_length = true;  // personalization writes with extended length; the flag is set below
    cccd::vcard_app::IssuedSample issued_sample;
    {
        CardSlot slot(std::move(blank), image);
        issued_sample = cccd::vcard_app::issue_sample_card(slot.chip(), transport_key.view(), sample);
    }
    cccd::vcard::ChipContents issued = cccd::vcard::load_card_image(image);
    if (o.tamper != 0) {
        try {
            cccd::vcard_app::tamper_data_group(issued, o.tamper);
        } catch (const cccd::InvalidArgument&) {
            fs::remove(image);  // no untampered card left behind for the next start to load
            throw;
        }
    }
    issued.extended_length = !o.short_only;
    cccd::vcard::save_card_image(image, issued);
    cccd::vcard_app::write_sample_files(dir, issued_sample, issued);
    return issued;
}

cccd::vcard::ChipContents open_card(const Options& o, const fs::path& image) {
    if (fs::exists(image)) {
        std::cerr << "cccd-vcard: card image " << image.string() << " loaded\n";
        return cccd::vcard::load_card_image(image);
    }
    if (!o.clone_of.empty()) {
        cccd::vcard::ChipContents clone = cccd::vcard::clone_without_keys(cccd::vcard::load_card_image(o.clone_of));
        if (image.has_parent_path()) fs::create_directories(image.parent_path());
        cccd::vcard::save_card_image(image, clone);
        std::cerr << "cccd-vcard: a clone of " << o.clone_of << " made in " << image.string() << "\n";
        return clone;
    }
    if (o.blank) {
        std::string key_file = o.transport_key_file;
        if (key_file.empty() && !o.sample_dir.empty()) {
            fs::create_directories(o.sample_dir);
            key_file = (fs::path(o.sample_dir) / "transport.key").string();
        }
        cccd::SecretBytes key = transport_key_from(key_file);
        cccd::vcard::ChipContents blank = cccd::vcard::make_blank_chip(key.view());
        blank.extended_length = !o.short_only;
        cccd::vcard::save_card_image(image, blank);
        // As a card maker ships it: the batch manifest (a batch of one) the station imports.
        if (!o.sample_dir.empty()) write_batch_manifest(fs::path(o.sample_dir) / "batch.keys", blank.chip_serial, key);
        std::cerr << "cccd-vcard: blank card created in " << image.string() << "\n";
        return blank;
    }
    if (!o.sample_dir.empty()) {
        std::cerr << "cccd-vcard: issuing an example card into " << o.sample_dir << "\n";
        return issue_sample(o, image);
    }
    throw cccd::InvalidArgument("the card image " + image.string() + " does not exist: give --sample DIR or --blank");
}

std::optional<cccd::session::LinkModel> link_model(const Options& o) {
    std::optional<cccd::session::LinkModel> model;
    if (o.link == "contactless") model = cccd::session::LinkModel::contactless();
    if (o.link == "contact") model = cccd::session::LinkModel::contact();
    if (model) model->turnaround = std::chrono::microseconds{static_cast<long long>(o.turnaround_ms * 1000.0)};
    return model;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cccd-vcard: a virtual CCCD chip for the vpcd reader of pcscd"};
    Options o;
    app.add_option("--host", o.host, "vpcd address: 127.0.0.1 or ::1")->capture_default_str();
    app.add_option("--port", o.port, "vpcd port of the slot (35963 is slot 0, 35964 slot 1)")->capture_default_str();
    app.add_option("--image", o.image, "The card image file (default: DIR/card.img with --sample)");
    app.add_option("--sample", o.sample_dir,
                   "Issue an example card if the image does not exist yet; write its CSCA, CRL, CAN, MRZ and files here");
    app.add_flag("--blank", o.blank,
                 "Create a blank card if the image does not exist yet (with --sample DIR: DIR/card.img, its transport "
                 "key in DIR/transport.key)");
    app.add_option("--transport-key", o.transport_key_file,
                   "File with the blank card's transport key in hex; made with a fresh key if missing");
    app.add_option("--photo", o.photo, "JPEG for DG2 of the example card (needed when --sample issues one)");
    app.add_option("--aa", o.active_auth, "Active Authentication key of the example card")
        ->check(CLI::IsMember({"ecdsa", "rsa"}))
        ->capture_default_str();
    app.add_flag("--no-pace", o.no_pace, "Example card without EF.CardAccess (BAC only)");
    app.add_option("--tamper", o.tamper, "Alter data group N of the example card after signing (PA must fail)")
        ->check(CLI::Range(1, 16));
    app.add_flag("--no-extended-length", o.short_only, "Behave like a chip without extended length (6700)");
    app.add_flag("--t0", o.t0, "Answer like a card on T=0: data through 61xx and GET RESPONSE, 6Cxx for a wrong Le");
    app.add_flag("--end-of-file-warning", o.end_of_file_warning,
                 "A READ BINARY past the end of a file answers its last bytes with 6282 (instead of 9000)");
    app.add_option("--max-read", o.max_read, "Answer at most N bytes per READ BINARY, whatever was asked (short reads)")
        ->check(CLI::Range(1, 65536));
    app.add_option("--clone-of", o.clone_of,
                   "Serve a clone of the issued card in this image: its files without DG14 and DG15 (no private keys)")
        ->check(CLI::ExistingFile);
    app.add_option("--control", o.control, "FIFO for run-time orders: remove, insert, remove-during FILE, remove-after N");
    app.add_option("--link", o.link, "Emulate the link's timing: none, contactless (424 kbit/s) or contact (115.2 kbit/s)")
        ->check(CLI::IsMember({"none", "contactless", "contact"}))
        ->capture_default_str();
    app.add_option("--turnaround-ms", o.turnaround_ms, "Per-APDU turnaround of the emulated link")->capture_default_str();
    app.footer("Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage error, 3 bad input, 4 internal error.");
    CLI11_PARSE(app, argc, argv);
    if (o.image.empty() && o.sample_dir.empty()) {
        std::cerr << "cccd-vcard: give --image FILE or --sample DIR\n";
        return 2;
    }

    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    try {
        fs::path image = o.image.empty() ? fs::path(o.sample_dir) / "card.img" : fs::path(o.image);
        cccd::vcard::ChipContents contents = open_card(o, image);
        if (o.short_only) contents.extended_length = false;  // for a card loaded from its image too
        CardSlot slot(std::move(contents), image);
        cccd::vcard::VirtualChip& chip = slot.chip();
        chip.set_read_behaviour({o.end_of_file_warning, o.max_read});
        cccd::vcard::T0Transport t0([&chip](ByteView command) { return chip.process(command); });
        std::cerr << "cccd-vcard: card " << cccd::perso::life_cycle_name(chip.life_cycle()) << "\n";

        Orders orders;
        std::thread control;
        struct StopAndJoin {  // the order reader ends with the program, however it ends
            std::thread& thread;
            ~StopAndJoin() {
                g_stop = 1;
                if (thread.joinable()) thread.join();
            }
        } join_control{control};
        if (!o.control.empty()) {
            if (!fs::exists(o.control) && ::mkfifo(o.control.c_str(), 0600) != 0) {
                throw cccd::Error("cannot create the control FIFO " + o.control);
            }
            control = std::thread(read_orders, o.control, std::ref(orders));
        }
        auto model = link_model(o);

        const std::string historical_text = "CCCD-VN";
        const ByteView historical = cccd::view(historical_text);
        const Bytes atr = o.t0 ? cccd::vcard::contact_t0_atr(historical) : cccd::vcard::contactless_atr(historical);
        auto power_cycle = [&chip, &t0] {
            chip.reset();
            t0.reset();
        };
        cccd::vcard::VpcdLink::Handlers handlers;
        handlers.power_off = power_cycle;
        handlers.power_on = power_cycle;
        handlers.reset = power_cycle;
        handlers.atr = [&atr] { return atr; };
        handlers.apdu = [&](ByteView command) {
            if (orders.pull_now(chip, command)) throw CardPulled{};
            auto started = std::chrono::steady_clock::now();
            Bytes response = o.t0 ? t0.exchange(command) : chip.process(command);
            if (model) std::this_thread::sleep_until(started + model->exchange_time(command.size(), response.size()));
            return response;
        };

        std::cerr << "cccd-vcard: card ready on " << o.host << ":" << o.port << "\n";
        while (!g_stop) {
            if (!orders.present()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                continue;
            }
            try {
                cccd::vcard::VpcdLink link(o.host, o.port);
                std::cerr << "cccd-vcard: connected to vpcd on port " << o.port << "\n";
                link.serve(handlers, [&orders] { return g_stop != 0 || !orders.present(); });
                if (!orders.present()) std::cerr << "cccd-vcard: card removed\n";
            } catch (const CardPulled&) {
                orders.remove();
                std::cerr << "cccd-vcard: card pulled in the middle of a command\n";
            } catch (const cccd::vcard::LinkClosedError&) {
                if (g_stop) break;
                std::this_thread::sleep_for(std::chrono::milliseconds(500));  // pcscd restarting: try again
            }
            power_cycle();  // out of the field: the chip lost power
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
