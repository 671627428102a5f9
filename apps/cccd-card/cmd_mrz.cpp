// cccd-card mrz: build a CCCD MRZ from the holder's data, or check one and name the failing digit.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "base/error.hpp"
#include "card/mrz/mrz.hpp"

namespace cccd::tool {

namespace {

struct MrzOptions {
    std::string id, name, sex, dob, expiry = "none";
    bool check = false;
    bool json = false;
    std::vector<std::string> mrz_text;
};

int build(const MrzOptions& o) {
    if (o.id.empty() || o.name.empty() || o.sex.empty() || o.dob.empty()) {
        std::cerr << "cccd-card mrz: --id, --name, --sex and --dob are needed to build an MRZ "
                     "(or use --check to check one)\n";
        return kExitUsage;
    }
    if (o.sex != "M" && o.sex != "F") {
        std::cerr << "cccd-card mrz: --sex must be M or F\n";
        return kExitUsage;
    }
    std::string mrz;
    try {
        mrz = mrz::build_cccd_mrz(o.id, o.name, o.sex[0], o.dob, o.expiry);
    } catch (const InvalidArgument& e) {
        std::cerr << "cccd-card mrz: " << e.what() << "\n";
        return kExitUsage;
    }
    if (o.json) {
        JsonWriter w;
        w.begin_object().key("lines").begin_array();
        for (std::size_t i = 0; i < 3; ++i) w.value(mrz.substr(i * 30, 30));
        w.end_array().end_object();
        std::cout << w.str();
    } else {
        for (std::size_t i = 0; i < 3; ++i) std::cout << mrz.substr(i * 30, 30) << "\n";
    }
    return kExitOk;
}

// An MRZ is 90 characters; anything much longer on standard input is not one, and reading it all
// would only waste memory.
constexpr std::size_t kMaxStdinBytes = 64 * 1024;

int check(const MrzOptions& o) {
    std::string text;
    if (o.mrz_text.empty()) {
        char buffer[4096];
        while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
            text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
            if (text.size() > kMaxStdinBytes) {
                std::cerr << "cccd-card mrz: not a TD1 MRZ: standard input is longer than 64 KiB\n";
                return kExitBadInput;
            }
        }
    } else {
        for (const auto& part : o.mrz_text) text += part + "\n";
    }
    mrz::Td1 td1;
    try {
        td1 = mrz::parse_td1(text);
    } catch (const ParseError& e) {
        std::cerr << "cccd-card mrz: " << e.what() << "\n";
        return kExitBadInput;
    }
    if (o.json) {
        JsonWriter w;
        w.begin_object();
        w.field("valid", td1.valid());
        w.field("document_code", td1.document_code).field("issuing_state", td1.issuing_state);
        w.field("document_number", td1.document_number);
        if (td1.cccd_id_number) w.field("id_number", *td1.cccd_id_number);
        w.field("date_of_birth", td1.date_of_birth).field("sex", std::string(1, td1.sex));
        w.field("date_of_expiry", td1.date_of_expiry).field("nationality", td1.nationality);
        w.field("surname", td1.surname).field("given_names", td1.given_names);
        w.key("checks").begin_array();
        for (const auto& c : td1.checks) {
            w.begin_object().field("check", c.name).field("ok", c.ok());
            w.field("expected", std::string(1, c.expected)).field("found", std::string(1, c.found));
            w.end_object();
        }
        w.end_array().end_object();
        std::cout << w.str();
    } else {
        // One line per check digit; the exit code gives the verdict.
        for (const auto& c : td1.checks) {
            std::cout << c.name << " check digit: ";
            if (c.ok()) std::cout << "ok\n";
            else std::cout << "FAILED (expected " << c.expected << ", found " << c.found << ")\n";
        }
    }
    return td1.valid() ? kExitOk : kExitCheckFailed;
}

}  // namespace

void add_mrz_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<MrzOptions>();
    auto* cmd = app.add_subcommand("mrz", "Build the TD1 MRZ of a CCCD, or check an MRZ's check digits");
    std::vector<CLI::Option*> build_options = {
        cmd->add_option("--id", options->id, "12-digit personal ID number (PPP G YY NNNNNN)"),
        cmd->add_option("--name", options->name,
                        "Full name in UTF-8 with diacritics, surname first (\"Nguyễn Văn An\")"),
        cmd->add_option("--sex", options->sex, "M or F"),
        cmd->add_option("--dob", options->dob, "Date of birth, YYYY-MM-DD"),
        cmd->add_option("--expiry", options->expiry, "Date of expiry, YYYY-MM-DD, or none (past 60: 991231)")
            ->capture_default_str(),
    };
    cmd->add_flag("--check", options->check, "Check an MRZ instead of building one");
    cmd->add_flag("--json", options->json, "Print JSON instead of text");
    cmd->add_option("mrz", options->mrz_text,
                    "With --check: the MRZ as one 90-character argument or three lines of 30 (default: read "
                    "standard input)");
    cmd->footer(
        "Build:\n"
        "  cccd-card mrz --id 001099012345 --name \"Nguyễn Văn An\" --sex M --dob 1999-01-01 --expiry 2024-01-01\n"
        "  prints the three 30-character lines:\n"
        "    IDVNM + last 9 digits of the ID + check digit + the 12-digit ID + << + check digit\n"
        "    birth YYMMDD + check, sex, expiry YYMMDD + check, VNM, fillers, composite check digit\n"
        "    SURNAME<<GIVEN<NAMES (first word = surname; diacritics dropped, Đ -> D; cut to 30 per ICAO 9303)\n"
        "  The ID's 4th digit (century and sex: 0/1 = 1900s man/woman, 2/3 = 2000s, 4/5 = 2100s) and its\n"
        "  5th-6th digits (year of birth) must agree with --sex and --dob. Names may be NFC or NFD.\n"
        "Check:\n"
        "  cccd-card mrz --check LINE1 LINE2 LINE3     (or one 90-character argument, or the MRZ on stdin)\n"
        "  prints one line per check digit (document number, ID number, date of birth, date of expiry,\n"
        "  composite), e.g. \"date of birth check digit: FAILED (expected 3, found 4)\".\n"
        "Exit codes: 0 built / every check digit ok, 1 a check digit is wrong, 2 usage error or data that\n"
        "cannot make a valid CCCD MRZ, 3 the text is not a TD1 MRZ.\n");
    cmd->callback([options, build_options, &exit_code] {
        if (options->check) {
            for (const CLI::Option* o : build_options) {
                if (o->count() > 0) {
                    std::cerr << "cccd-card mrz: --check takes only the MRZ (and --json), not " << o->get_name()
                              << "\n";
                    exit_code = kExitUsage;
                    return;
                }
            }
            exit_code = check(*options);
            return;
        }
        if (!options->mrz_text.empty()) {
            std::cerr << "cccd-card mrz: an MRZ to check needs --check\n";
            exit_code = kExitUsage;
            return;
        }
        exit_code = build(*options);
    });
}

}  // namespace cccd::tool
