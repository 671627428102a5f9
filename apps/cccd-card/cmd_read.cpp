// cccd-card readers / read: list PC/SC readers, and read a card end to end with every verdict.
#include <chrono>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "apps/cccd-card/lds_json.hpp"
#include "apps/cccd-card/trust_options.hpp"
#include "base/error.hpp"
#include "card/lds/card_kind.hpp"
#include "card/lds/lds_file.hpp"
#include "card/mrz/mrz.hpp"
#include "card/pa/trust_store.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "card/session/link_model.hpp"
#include "crypto/random.hpp"

namespace cccd::tool {

namespace {

struct ReadOptions {
    std::string reader;
    std::string can;
    std::vector<std::string> mrz;
    TrustOptions trust;
    std::string out_dir;
    bool json = false;
    bool stats = false;
};

// What the session cost on the link, for --stats. The modeled time counts every APDU's turnaround and
// every byte each way (secure messaging and APDU headers included); the minimum is the files' bytes
// alone on the air, the bound no reader can beat.
struct LinkStats {
    std::size_t payload_bytes = 0;
    session::LinkModel link = session::LinkModel::contactless();
    std::chrono::microseconds modeled{};
    std::chrono::microseconds on_the_air{};  // the modeled time without the turnarounds
    std::chrono::microseconds minimum{};
};

LinkStats link_stats(const session::ReadResult& r) {
    LinkStats s;
    for (const auto& [file, bytes] : r.files) s.payload_bytes += bytes.size();
    s.modeled = s.link.session_time(r.apdus, r.bytes_sent + r.bytes_received);
    s.on_the_air = s.link.transfer_time(r.bytes_sent + r.bytes_received);
    s.minimum = s.link.transfer_time(s.payload_bytes);
    return s;
}

std::string_view generation_name(identity::CardGeneration generation) {
    return generation == identity::CardGeneration::Cccd2021 ? "2021 (CCCD)" : "2024 (Căn cước)";
}

// The card's kind (card/lds/card_kind.hpp) as JSON: {"profile", "name_vi", "name_en", "generation",
// "dg2", "dg2_as_profile_says", "problem"}.
void write_card_kind(const lds::CardKind& kind, JsonWriter& w) {
    w.key("card").begin_object();
    if (kind.profile != nullptr) {
        w.field("profile", kind.profile->code).field("name_vi", kind.profile->name_vi).field("name_en", kind.profile->name_en);
        w.field("generation", generation_name(kind.profile->generation));
    } else {
        w.key("profile").null();
        w.field("problem", kind.problem);
    }
    w.field("dg2", kind.has_face).field("dg2_as_profile_says", kind.face_as_profile_says());
    w.end_object();
}

// The same for people: the profile and generation, DG2, then every DG13 field by label.
void print_card_kind(const lds::CardKind& kind) {
    if (kind.profile != nullptr) {
        std::cout << "Card: " << kind.profile->name_vi << " / " << kind.profile->name_en << " [" << kind.profile->code
                  << "], generation " << generation_name(kind.profile->generation) << "\n";
    } else {
        std::cout << "Card: profile unknown (" << kind.problem << ")\n";
    }
    std::cout << (kind.has_face ? "DG2: the face image" : "No DG2: no face image") << " ("
              << (kind.face_as_profile_says() ? "as the profile says" : "NOT as the profile says") << ")\n";
    for (const auto& line : kind.fields)
        std::cout << "  DG13 " << line.number << "  " << line.label_vi << " / " << line.label_en << ": " << line.value << "\n";
}

// Whole milliseconds, rounded to nearest.
std::int64_t rounded_ms(std::chrono::microseconds t) { return (t.count() + 500) / 1000; }

int run_readers() {
    reader::PcscContext context;
    auto names = context.readers();
    if (names.empty()) {
        std::cout << "No reader found. Is the reader plugged in and pcscd running?\n";
        return kExitOk;
    }
    for (const auto& n : names) std::cout << n << "\n";
    return kExitOk;
}

int run_read(const ReadOptions& o) {
    session::SessionOptions options;
    if (!o.can.empty()) {
        if (o.can.size() != 6 || o.can.find_first_not_of("0123456789") != std::string::npos) {
            std::cerr << "cccd-card read: the CAN is 6 digits (the last 6 of the ID number)\n";
            return kExitUsage;
        }
        options.can = o.can;
    }
    if (!o.mrz.empty()) {
        std::string text;
        for (const auto& part : o.mrz) text += part + "\n";
        options.mrz_information = mrz::mrz_information(mrz::parse_td1(text));
    }
    if (!options.can && !options.mrz_information) {
        std::cerr << "cccd-card read: give --can or --mrz\n";
        return kExitUsage;
    }
    pa::TrustStore trust;
    load_trust(o.trust, trust);
    if (o.trust.any()) options.trust = &trust;
    options.active_auth_challenge = crypto::random_bytes(8);
    if (!o.json) {
        options.on_progress = [](const session::Progress& p) {
            if (p.read == p.total) std::cerr << "  read " << p.file << " (" << p.total << " bytes)\n";
        };
    }

    reader::PcscContext context;
    std::string name = context.reader_or_first(o.reader);
    reader::PcscCard card(context, name);
    session::ReadResult r;
    {
        // The whole session in one transaction: no other program's APDUs between ours.
        reader::Transaction transaction(card);
        r = session::read_card(card, options);
    }

    if (!o.out_dir.empty()) {
        std::filesystem::create_directories(o.out_dir);
        for (const auto& [file, bytes] : r.files) {
            std::ofstream(std::filesystem::path(o.out_dir) / file, std::ios::binary)
                .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        }
    }
    const LinkStats stats = link_stats(r);

    if (o.json) {
        JsonWriter w;
        w.begin_object().field("reader", name).field("access", r.access_protocol);
        w.key("files").begin_object();
        for (const auto& [file, bytes] : r.files) {
            w.key(file).begin_object();
            w.field("size", static_cast<std::int64_t>(bytes.size()));
            auto kind = lds::file_by_name(file);
            if (kind && *kind != lds::LdsFile::Sod) (void)write_lds_fields(*kind, bytes, w);
            w.end_object();
        }
        w.end_object();
        w.key("checks").begin_array();
        for (const auto& c : r.checks) {
            w.begin_object().field("check", c.name).field("verdict", std::string(pa::verdict_name(c.verdict)));
            w.field("reason", c.reason).end_object();
        }
        w.end_array();
        w.field("overall", std::string(pa::verdict_name(r.overall)));
        write_card_kind(lds::card_kind(r.files), w);
        if (o.stats) {
            w.key("stats").begin_object();
            w.field("apdus", static_cast<std::int64_t>(r.apdus));
            w.field("bytes_sent", static_cast<std::int64_t>(r.bytes_sent));
            w.field("bytes_received", static_cast<std::int64_t>(r.bytes_received));
            w.field("payload_bytes", static_cast<std::int64_t>(stats.payload_bytes));
            w.field("link", stats.link.name);
            w.field("turnaround_us", static_cast<std::int64_t>(stats.link.turnaround.count()));
            w.field("modeled_ms", rounded_ms(stats.modeled));
            w.field("minimum_ms", rounded_ms(stats.minimum));
            w.end_object();
        }
        w.end_object();
        std::cout << w.str();
    } else {
        std::cout << "Card in " << name << " opened with " << r.access_protocol << "; " << r.files.size() << " files read.\n";
        for (const auto& c : r.checks) {
            std::cout << pa::verdict_name(c.verdict) << "  " << c.name;
            if (c.verdict != pa::Verdict::Pass) std::cout << ": " << c.reason;
            std::cout << "\n";
        }
        std::cout << "Overall: " << pa::verdict_name(r.overall) << "\n";
        print_card_kind(lds::card_kind(r.files));
        if (o.stats) {
            std::cout << "APDUs: " << r.apdus << ", bytes sent: " << r.bytes_sent << ", received: " << r.bytes_received
                      << ", payload: " << stats.payload_bytes << "\n"
                      << "Modeled time on the " << stats.link.name << " link: " << rounded_ms(stats.modeled) << " ms ("
                      << r.apdus << " APDUs x " << rounded_ms(stats.link.turnaround) << " ms turnaround + "
                      << rounded_ms(stats.on_the_air) << " ms on the air); theoretical minimum (payload only): "
                      << rounded_ms(stats.minimum) << " ms\n";
        }
    }
    return r.overall == pa::Verdict::Fail ? kExitCheckFailed : kExitOk;
}

int guarded(const std::function<int()>& f) {
    try {
        return f();
    } catch (const session::AccessDeniedError& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return kExitCheckFailed;
    } catch (const channel::CardRemovedError& e) {
        std::cerr << "cccd-card: " << e.what() << ". Place the card again and retry.\n";
        return kExitCardError;
    } catch (const reader::ReaderServiceError& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return kExitCardError;
    } catch (const reader::ReaderError& e) {
        std::cerr << "cccd-card: " << e.what() << "\n";
        return kExitCardError;
    }
}

}  // namespace

void add_reader_commands(CLI::App& app, int& exit_code) {
    auto* readers = app.add_subcommand("readers", "List the PC/SC readers");
    readers->footer("Exit codes: 0 listed (possibly none), 5 the PC/SC service is not available.");
    readers->callback([&exit_code] { exit_code = guarded(run_readers); });

    auto options = std::make_shared<ReadOptions>();
    auto* read = app.add_subcommand("read", "Read a card: PACE (or BAC), every file, CA, AA and PA");
    read->add_option("--reader", options->reader, "Reader name (default: the first reader)");
    read->add_option("--can", options->can, "The 6-digit CAN (the last 6 digits of the ID number)");
    read->add_option("--mrz", options->mrz, "The MRZ (3 lines) instead of the CAN");
    add_trust_options(*read, options->trust);
    read->add_option("--out", options->out_dir, "Save the raw files read into this folder");
    read->add_flag("--json", options->json, "Print JSON of every file and every verdict");
    read->add_flag("--stats", options->stats, "Print APDUs, bytes each way, the modeled 424 kbit/s link time and the payload-only minimum");
    read->footer(
        "Exit codes: 0 read and every check passed, 1 a check failed or the CAN/MRZ is wrong, 2 usage error,\n"
        "3 bad input, 5 no reader, no card, card removed or pcscd unavailable.");
    read->callback([options, &exit_code] { exit_code = guarded([&] { return run_read(*options); }); });
}

}  // namespace cccd::tool
