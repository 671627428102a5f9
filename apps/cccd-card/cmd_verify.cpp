// cccd-card verify: Passive Authentication of a folder of card files against CSCAs, master lists and CRLs.
#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "apps/cccd-card/sod_json.hpp"
#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"

namespace cccd::tool {

namespace {

namespace fs = std::filesystem;

struct VerifyOptions {
    std::string dir;
    std::vector<std::string> csca_files;
    std::vector<std::string> master_lists;
    std::vector<std::string> ml_signers;
    std::vector<std::string> crl_files;
    std::string at;
    bool json = false;
    bool verbose = false;
};

struct CardFiles {
    std::optional<Bytes> sod;
    std::optional<Bytes> com;
    std::map<int, Bytes> data_groups;
};

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

// "EF.SOD", "ef.sod.bin", "DG13", "dg1.der" ... -> what the file is. Other names are ignored.
enum class FileKind { Sod, Com, DataGroup, Other };
FileKind classify(const std::string& filename, int& data_group) {
    std::string name = upper(filename);
    for (const char* ext : {".BIN", ".DER"}) {
        std::string e(ext);
        if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0) {
            name.resize(name.size() - e.size());
            break;
        }
    }
    if (name == "EF.SOD") return FileKind::Sod;
    if (name == "EF.COM") return FileKind::Com;
    if (name.size() >= 3 && name.size() <= 4 && name.compare(0, 2, "DG") == 0 &&
        std::all_of(name.begin() + 2, name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        int n = std::stoi(name.substr(2));
        if (n >= 1 && n <= 16 && name[2] != '0') {
            data_group = n;
            return FileKind::DataGroup;
        }
    }
    return FileKind::Other;
}

CardFiles read_card_folder(const fs::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw ParseError("not a readable folder: " + dir.string());
    CardFiles files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file(ec)) continue;
        int dg = 0;
        auto kind = classify(entry.path().filename().string(), dg);
        if (kind == FileKind::Other) continue;
        auto bytes = pa::read_file(entry.path());
        auto duplicate = [&entry](const char* what) {
            return ParseError("two files for " + std::string(what) + " in the folder (" + entry.path().filename().string() + ")");
        };
        if (kind == FileKind::Sod) {
            if (files.sod) throw duplicate("EF.SOD");
            files.sod = std::move(bytes);
        } else if (kind == FileKind::Com) {
            if (files.com) throw duplicate("EF.COM");
            files.com = std::move(bytes);
        } else {
            if (files.data_groups.count(dg) != 0) throw duplicate(("DG" + std::to_string(dg)).c_str());
            files.data_groups.emplace(dg, std::move(bytes));
        }
    }
    if (ec) throw ParseError("cannot list " + dir.string() + ": " + ec.message());
    if (!files.sod) throw ParseError("no EF.SOD in " + dir.string() + " (expected a file named EF.SOD, EF.SOD.bin or EF.SOD.der)");
    return files;
}

std::string iso_time(std::time_t t) {
    struct tm tm {};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int run_verify(const VerifyOptions& opt) {
    std::time_t at = opt.at.empty() ? std::time(nullptr) : pa::parse_utc_time(opt.at);
    CardFiles card = read_card_folder(opt.dir);

    pa::TrustStore store;
    for (const auto& f : opt.csca_files) store.add_certificate_file(f);

    std::vector<crypto::X509Ptr> signer_roots;
    for (const auto& f : opt.ml_signers) {
        for (auto& c : pa::certificates_from_bytes(pa::read_file(f))) signer_roots.push_back(std::move(c));
    }
    std::vector<const X509*> roots;
    for (const auto& r : signer_roots) roots.push_back(r.get());
    for (const auto& f : opt.master_lists) {
        try {
            auto result = store.add_master_list_file(f, roots, at);
            if (!result.verified)
                std::cerr << "warning: " << f << ": " << result.reason << "; use --ml-signer to verify it\n";
            if (result.unreadable > 0)
                std::cerr << "warning: " << f << ": " << result.unreadable << " certificate(s) could not be decoded\n";
        } catch (const CryptoError& e) {
            // A master list that fails verification is unusable input, not a verdict on the card.
            std::cerr << "cccd-card: " << e.what() << "\n";
            return kExitBadInput;
        }
    }
    for (const auto& f : opt.crl_files) {
        if (store.add_crl_file(f) == 0)
            std::cerr << "warning: " << f << ": no CSCA in the trust store issued this CRL; it is ignored\n";
    }
    if (store.size() == 0) std::cerr << "warning: no CSCA given (--csca or --master-list): the DS cannot be trusted\n";

    auto report = pa::verify(card.data_groups, *card.sod, store, at);

    if (opt.json) {
        JsonWriter out;
        out.begin_object();
        out.field("overall", pa::verdict_name(report.overall));
        out.field("verification_time", iso_time(at));
        out.field("trust_anchors", static_cast<std::int64_t>(store.size()));
        out.key("ds_subject");
        if (report.ds_subject.empty()) out.null(); else out.value(report.ds_subject);
        out.key("csca_subject");
        if (report.csca_subject.empty()) out.null(); else out.value(report.csca_subject);
        out.key("checks").begin_array();
        for (const auto& c : report.checks) {
            out.begin_object();
            out.field("name", c.name);
            out.field("verdict", pa::verdict_name(c.verdict));
            out.field("reason", c.reason);
            out.end_object();
        }
        out.end_array();
        // The SOD's contents, when it decodes (a trial run first, so a failure cannot leave a dangling key).
        bool sod_decodes = true;
        try {
            JsonWriter trial;
            write_sod_json(*card.sod, trial);
        } catch (const Error&) {
            sod_decodes = false;
        }
        out.key("sod");
        if (sod_decodes) write_sod_json(*card.sod, out); else out.null();
        out.end_object();
        std::cout << out.str();
    } else {
        for (const auto& c : report.checks) {
            std::cout << pa::verdict_name(c.verdict) << "  " << c.name;
            if (c.verdict != pa::Verdict::Pass || opt.verbose) std::cout << ": " << c.reason;
            std::cout << "\n";
        }
        std::cout << "Overall: " << pa::verdict_name(report.overall) << "\n";
    }
    return report.overall == pa::Verdict::Fail ? kExitCheckFailed : kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
    auto opt = std::make_shared<VerifyOptions>();
    auto* cmd = app.add_subcommand("verify", "Passive Authentication: check EF.SOD and the data groups of a card folder");
    cmd->footer(
        "DIR holds the files read from the chip, named EF.SOD, EF.COM, DG1 ... DG16 (any case, optionally\n"
        "ending in .bin or .der). Trust comes from --csca certificates (PEM or DER) and --master-list CSCA\n"
        "master lists; a master list is verified against --ml-signer (e.g. DE_csca-germany_2024.cer) when\n"
        "given, else imported unverified with a warning. Each check prints PASS, FAIL or NOT_CHECKED.\n"
        "Exit codes: 0 every check passed (NOT_CHECKED allowed), 1 a check failed, 2 usage error,\n"
        "3 unreadable input (folder, EF.SOD missing, a certificate/master list/CRL unreadable or untrusted).");
    cmd->add_option("dir", opt->dir, "Folder with EF.SOD and the data groups")->required();
    cmd->add_option("--csca", opt->csca_files, "CSCA certificate file(s), PEM or DER");
    cmd->add_option("--master-list", opt->master_lists, "CSCA master list file(s) (CMS, DER)");
    cmd->add_option("--ml-signer", opt->ml_signers,
                    "Trusted root(s) the master list signer must chain to (PEM or DER)");
    cmd->add_option("--crl", opt->crl_files, "CRL file(s) of the CSCAs, PEM or DER");
    cmd->add_option("--at", opt->at, "Verification date, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (default: now)");
    cmd->add_flag("--json", opt->json, "Print the report as JSON (with the decoded SOD)");
    cmd->add_flag("-v,--verbose", opt->verbose, "Also print the reason of each passed check");
    cmd->callback([opt, &exit_code] { exit_code = run_verify(*opt); });
}

}  // namespace cccd::tool
