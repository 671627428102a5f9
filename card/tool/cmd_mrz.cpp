// cccd-card mrz: build a CCCD MRZ from the holder's data, or check one and name the failing digit.
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "card/core/error.hpp"
#include "card/mrz/mrz.hpp"
#include "card/tool/commands.hpp"
#include "card/tool/json.hpp"

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

int check(const MrzOptions& o) {
    std::string text;
    if (o.mrz_text.empty()) {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        for (const auto& part : o.mrz_text) text += part + "\n";
    }
    mrz::Td1 td1;
    try {
        td1 = mrz::parse_td1(text);
    } catch (const ParseError& e) {
        std::cerr << "cccd-card mrz: not a TD1 MRZ: " << e.what() << "\n";
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
        for (const auto& c : td1.checks) {
            std::cout << c.name << " check digit: ";
            if (c.ok()) std::cout << "ok\n";
            else std::cout << "FAILED (expected " << c.expected << ", found " << c.found << ")\n";
        }
        if (const auto* failed = td1.failed_check()) {
            std::cout << "The MRZ is not valid: the " << failed->name << " check digit does not match.\n";
        } else {
            std::cout << "The MRZ is valid.\n";
        }
    }
    return td1.valid() ? kExitOk : kExitCheckFailed;
}

}  // namespace

void add_mrz_command(CLI::App& app, int& exit_code) {
    auto options = std::make_shared<MrzOptions>();
    auto* cmd = app.add_subcommand("mrz", "Build the TD1 MRZ of a CCCD, or check an MRZ's check digits");
    cmd->add_option("--id", options->id, "12-digit personal ID number");
    cmd->add_option("--name", options->name, "Full name with diacritics, surname first (e.g. \"Nguyễn Văn An\")");
    cmd->add_option("--sex", options->sex, "M or F");
    cmd->add_option("--dob", options->dob, "Date of birth, YYYY-MM-DD");
    cmd->add_option("--expiry", options->expiry, "Date of expiry, YYYY-MM-DD, or none (past 60)")->capture_default_str();
    cmd->add_flag("--check", options->check, "Check an MRZ instead of building one");
    cmd->add_flag("--json", options->json, "Print JSON instead of text");
    cmd->add_option("mrz", options->mrz_text,
                    "With --check: the MRZ as one 90-character argument or three lines (default: read stdin)");
    cmd->footer(
        "Build: cccd-card mrz --id 001099012345 --name \"Nguyễn Văn An\" --sex M --dob 1999-01-01 --expiry 2024-01-01\n"
        "  prints the three 30-character lines. The ID's 4th digit (century and sex) and 5th-6th digits\n"
        "  (year of birth) must agree with --sex and --dob.\n"
        "Check: cccd-card mrz --check LINE1 LINE2 LINE3   (or the MRZ on standard input)\n"
        "  prints each check digit (document number, ID number, date of birth, date of expiry, composite).\n"
        "Exit codes: 0 built / all checks pass, 1 a check digit fails, 2 usage error or inconsistent data,\n"
        "3 the text is not a TD1 MRZ.");
    cmd->callback([options, &exit_code] {
        if (!options->check && !options->mrz_text.empty()) {
            std::cerr << "cccd-card mrz: an MRZ to check needs --check\n";
            exit_code = kExitUsage;
            return;
        }
        exit_code = options->check ? check(*options) : build(*options);
    });
}

}  // namespace cccd::tool
