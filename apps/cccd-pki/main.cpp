// cccd-pki: the CCCD PKI from the command line (CSCA, Document Signers, CRLs, master lists, link
// certificates, the server's TLS certificates, lint). See docs/cccd-pki.md.
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/error.hpp"
#include "base/file.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/tlv/tlv.hpp"
#include "certs/keys.hpp"
#include "certs/lint.hpp"
#include "certs/master_lists.hpp"
#include "certs/pki_directory.hpp"
#include "certs/profiles.hpp"
#include "certs/signing_key.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cccd;
using namespace cccd::certs;

enum ExitCode : int { kExitOk = 0, kExitCheckFailed = 1, kExitUsage = 2, kExitBadInput = 3, kExitInternal = 4 };

// The CA key may need another passphrase than the new subject key.
const SecretSources kCaSecrets{"CCCD_CA_KEY_PASSPHRASE", "CCCD_CA_KEY_PASSPHRASE_FILE", "CCCD_PKCS11_PIN"};

struct KeyOptions {
    std::string key_type = "ec";
    std::string curve;
    int bits = 3072;
    std::string token_uri;  // --key pkcs11:...
    std::string key_file;   // --key-file PATH
    void add(CLI::App* cmd, const std::string& default_curve) {
        curve = default_curve;
        cmd->add_option("--key-type", key_type, "ec or rsa")->capture_default_str();
        cmd->add_option("--curve", curve, "EC curve (OpenSSL name)")->capture_default_str();
        cmd->add_option("--bits", bits, "RSA modulus size (3072, 4096)")->capture_default_str();
        cmd->add_option("--key", token_uri, "generate the key inside a PKCS#11 token: pkcs11:token=LABEL;object=LABEL");
        cmd->add_option("--key-file", key_file, "generate the key into this encrypted PKCS#8 file (passphrase from env)");
    }
    KeySpec spec() const { return make_key_spec(key_type, curve, bits); }
    // Makes the new key where the options say; `default_file` when neither --key nor --key-file.
    std::unique_ptr<SigningKey> generate(const std::string& default_file, const SecretSources& sources = {}) const {
        if (!token_uri.empty() && !key_file.empty()) throw InvalidArgument("give --key or --key-file, not both");
        if (!token_uri.empty()) {
            if (!is_pkcs11_uri(token_uri)) throw InvalidArgument("--key must be a pkcs11: URI; use --key-file for files");
            return generate_token_key(token_uri, spec(), sources);
        }
        std::string path = key_file.empty() ? default_file : key_file;
        if (path.empty()) throw InvalidArgument("give --key pkcs11:... or --key-file PATH for the new key");
        return generate_file_key(path, spec(), sources);
    }
    // What to store in ca.key.
    std::string location(const std::string& default_file) const {
        if (!token_uri.empty()) return parse_pkcs11_uri(token_uri).to_string();
        return key_file.empty() ? default_file : key_file;
    }
};

struct SubjectOptions {
    Subject subject;
    void add(CLI::App* cmd, const std::string& default_cn, const std::string& default_org) {
        subject.common_name = default_cn;
        subject.organization = default_org;
        cmd->add_option("--cn", subject.common_name, "common name")->capture_default_str();
        cmd->add_option("--org", subject.organization, "organization")->capture_default_str();
        cmd->add_option("--ou", subject.organizational_unit, "organizational unit");
        cmd->add_option("--country", subject.country, "country (ISO 3166-1 alpha-2)")->capture_default_str();
        cmd->add_option("--subject-serial", subject.serial_number, "serialNumber attribute of the subject name");
    }
};

struct PeriodOptions {
    KeyUsagePeriods periods;
    void add(CLI::App* cmd) {
        cmd->add_option("--csca-key-usage-years", periods.csca_private_key_usage_years, "CSCA private key usage period (3-5)")
            ->capture_default_str()->check(CLI::Range(1, 5));
        cmd->add_option("--ds-key-usage-days", periods.ds_private_key_usage_days, "DS private key usage period (at most ~3 months)")
            ->capture_default_str()->check(CLI::Range(1, 366));
        cmd->add_option("--document-validity-years", periods.document_validity_years,
                        "longest validity of a card signed by a DS")->capture_default_str()->check(CLI::Range(1, 25));
    }
};

std::time_t now() { return std::time(nullptr); }

void write_pem(const std::string& path, const X509* cert) {
    if (path.empty()) return;
    write_text_file(path, certificate_to_pem(cert));
}

// Issues a certificate from the CA in `dir` for a new key and records it.
crypto::X509Ptr issue_from_ca(PkiDirectory& ca_dir, CertificateRequest request, const SigningKey& subject_key) {
    auto ca_cert = ca_dir.ca_certificate();
    auto ca_key = open_signing_key(ca_dir.ca_key_spec(), kCaSecrets);
    if (!same_public_key(ca_key->key(), X509_get0_pubkey(ca_cert.get())))
        throw InvalidArgument("the CA key (" + ca_key->describe() + ") does not match " + ca_dir.ca_certificate_path().string());
    // A certificate cannot outlive its issuer (shell model): end with it when asked for longer.
    std::time_t ca_end = 0;
    {
        std::tm tm{};
        ASN1_TIME_to_tm(X509_get0_notAfter(ca_cert.get()), &tm);
        ca_end = timegm(&tm) - 1;  // X509_cmp_time counts the notAfter second itself as expired
    }
    if (request.validity.not_after > ca_end) {
        request.validity.not_after = ca_end;
        if (request.private_key_usage && request.private_key_usage->not_after > ca_end)
            request.private_key_usage->not_after = ca_end;
    }
    request.serial = ca_dir.take_serial();
    auto pub = public_key_of(subject_key.key());
    auto cert = issue_certificate(request, pub.get(), Issuer{ca_cert.get(), ca_key->key()});
    ca_dir.record_issued(cert.get(), request.profile);
    return cert;
}

// ---------------------------------------------------------------------------------------------------

void add_csca_commands(CLI::App& app) {
    auto* csca = app.add_subcommand("csca", "the Country Signing CA: create, roll over");
    csca->require_subcommand(1);

    {
        auto* cmd = csca->add_subcommand("new", "create a self-signed CSCA in --dir (ICAO 9303 Part 12 profile)");
        struct Opts { std::string dir; KeyOptions key; SubjectOptions subject; PeriodOptions periods; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--dir", o->dir, "the CA directory (created)")->required();
        o->key.add(cmd, "brainpoolP384r1");
        o->subject.add(cmd, "CSCA Viet Nam", "Ministry of Public Security");
        o->periods.add(cmd);
        cmd->callback([o] {
            if (o->key.key_type == "rsa" && o->key.bits < 3072) throw InvalidArgument("a CSCA RSA key needs at least 3072 bits");
            auto dir = PkiDirectory::create(o->dir);
            std::string default_file = (dir.private_dir() / "ca.key.pem").string();
            auto key = o->key.generate(default_file, kCaSecrets);
            CertificateRequest r;
            r.profile = Profile::Csca;
            r.subject = o->subject.subject;
            r.validity = default_validity(Profile::Csca, now(), o->periods.periods);
            r.private_key_usage = default_private_key_usage(Profile::Csca, now(), o->periods.periods);
            r.serial = dir.take_serial();
            auto cert = issue_certificate(r, key->key(), Issuer{nullptr, key->key()});
            dir.record_issued(cert.get(), Profile::Csca);
            dir.set_ca(cert.get(), Profile::Csca, o->key.location(default_file));
            std::cout << "CSCA " << pa::subject_of(cert.get()) << " serial " << r.serial << ", " << key->describe()
                      << ", valid until " << pa::date_to_string(X509_get0_notAfter(cert.get())) << "\n"
                      << "certificate: " << dir.ca_certificate_path().string() << "\n";
        });
    }
    {
        auto* cmd = csca->add_subcommand("rollover", "new CSCA key and certificate, plus a link certificate signed by the old key");
        struct Opts { std::string dir; KeyOptions key; SubjectOptions subject; PeriodOptions periods; std::string link_out; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--dir", o->dir, "the CSCA directory")->required();
        o->key.add(cmd, "brainpoolP384r1");
        o->subject.add(cmd, "", "");
        o->periods.add(cmd);
        cmd->add_option("--link-out", o->link_out, "also write the link certificate here");
        cmd->callback([o] {
            auto dir = PkiDirectory::open(o->dir);
            if (dir.ca_profile() != Profile::Csca) throw InvalidArgument(o->dir + " is not a CSCA directory");
            auto old_cert = dir.ca_certificate();
            auto old_key = open_signing_key(dir.ca_key_spec(), kCaSecrets);
            // Same name as the old CSCA unless given: the link certificate is then self-issued, which
            // keeps pathLenConstraint 0 satisfied for DS certificates chained through it.
            Subject subject = o->subject.subject;
            if (subject.common_name.empty()) {
                X509_NAME* name = X509_get_subject_name(old_cert.get());
                auto field = [name](int nid) {
                    int i = X509_NAME_get_index_by_NID(name, nid, -1);
                    if (i < 0) return std::string();
                    unsigned char* utf8 = nullptr;
                    int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
                    std::string s(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(len > 0 ? len : 0));
                    OPENSSL_free(utf8);
                    return s;
                };
                subject.country = field(NID_countryName);
                subject.organization = field(NID_organizationName);
                subject.organizational_unit = field(NID_organizationalUnitName);
                subject.serial_number = field(NID_serialNumber);
                subject.common_name = field(NID_commonName);
            }
            std::uint64_t new_serial = dir.take_serial();
            std::string default_file = (dir.private_dir() / ("ca-" + std::to_string(new_serial) + ".key.pem")).string();
            auto new_key = o->key.generate(default_file, kCaSecrets);
            auto t = now();
            CertificateRequest r;
            r.profile = Profile::Csca;
            r.subject = subject;
            r.serial = new_serial;
            r.validity = default_validity(Profile::Csca, t, o->periods.periods);
            r.private_key_usage = default_private_key_usage(Profile::Csca, t, o->periods.periods);
            auto new_cert = issue_certificate(r, new_key->key(), Issuer{nullptr, new_key->key()});
            CertificateRequest link = r;
            link.profile = Profile::Link;
            link.serial = dir.take_serial();
            // The link certificate cannot outlive the old CSCA that signs it.
            std::tm tm{};
            ASN1_TIME_to_tm(X509_get0_notAfter(old_cert.get()), &tm);
            link.validity.not_after = std::min(link.validity.not_after, timegm(&tm) - 1);
            if (link.private_key_usage) link.private_key_usage->not_after = std::min(link.private_key_usage->not_after, link.validity.not_after);
            auto pub = public_key_of(new_key->key());
            auto link_cert = issue_certificate(link, pub.get(), Issuer{old_cert.get(), old_key->key()});
            dir.archive_ca_certificate();
            dir.record_issued(new_cert.get(), Profile::Csca);
            dir.record_issued(link_cert.get(), Profile::Link);
            dir.save_history("link-" + std::to_string(link.serial) + ".pem", link_cert.get());
            dir.set_ca(new_cert.get(), Profile::Csca, o->key.location(default_file));
            write_pem(o->link_out, link_cert.get());
            std::cout << "new CSCA serial " << new_serial << " (" << new_key->describe() << "), link certificate serial "
                      << link.serial << " signed by the old key; old certificate kept in history/\n";
        });
    }
}

void add_ca_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("ca", "create the service CA or the relying-party CA (not ICAO)")->add_subcommand("new", "create a CA");
    struct Opts { std::string dir; std::string kind = "service"; KeyOptions key; SubjectOptions subject; };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--dir", o->dir, "the CA directory (created)")->required();
    cmd->add_option("--kind", o->kind, "service (TLS server, stations, officers) or rp (relying parties)")
        ->check(CLI::IsMember({"service", "rp"}))->capture_default_str();
    o->key.add(cmd, "prime256v1");
    o->subject.add(cmd, "", "CCCD");
    cmd->callback([o] {
        Profile profile = o->kind == "service" ? Profile::ServiceCa : Profile::RpCa;
        if (o->subject.subject.common_name.empty())
            o->subject.subject.common_name = o->kind == "service" ? "CCCD Service CA" : "CCCD Relying Party CA";
        auto dir = PkiDirectory::create(o->dir);
        std::string default_file = (dir.private_dir() / "ca.key.pem").string();
        auto key = o->key.generate(default_file, kCaSecrets);
        CertificateRequest r;
        r.profile = profile;
        r.subject = o->subject.subject;
        r.validity = default_validity(profile, now());
        r.serial = dir.take_serial();
        auto cert = issue_certificate(r, key->key(), Issuer{nullptr, key->key()});
        dir.record_issued(cert.get(), profile);
        dir.set_ca(cert.get(), profile, o->key.location(default_file));
        std::cout << profile_name(profile) << " " << pa::subject_of(cert.get()) << ": " << dir.ca_certificate_path().string() << "\n";
    });
}

// ds new, mls new, tls-server new, client new: a key where the options say, a certificate from a CA dir.
void add_issue_command(CLI::App& app, const std::string& name, Profile profile, Profile expected_ca,
                       const std::string& description, const std::string& default_cn) {
    auto* cmd = app.add_subcommand(name, description)->add_subcommand("new", description);
    struct Opts {
        std::string ca_dir; std::string out; KeyOptions key; SubjectOptions subject; PeriodOptions periods;
        std::vector<std::string> document_types{"ID"}; std::vector<std::string> dns; std::vector<std::string> ips;
        std::string role = "rp"; std::string crl_dp; int validity_days = 0;
    };
    auto o = std::make_shared<Opts>();
    bool icao = is_icao_profile(profile);
    cmd->add_option(icao ? "--csca-dir" : "--ca-dir", o->ca_dir, "the issuing CA's directory")->required();
    cmd->add_option("--out", o->out, "where to write the certificate (PEM); it is also kept in the CA directory");
    o->key.add(cmd, icao ? "brainpoolP384r1" : "prime256v1");
    o->subject.add(cmd, default_cn, icao ? "Ministry of Public Security" : "CCCD");
    cmd->add_option("--crl-distribution-point", o->crl_dp, "URI of the issuer's CRL");
    if (icao) o->periods.add(cmd);
    if (profile == Profile::DocumentSigner)
        cmd->add_option("--document-types", o->document_types, "ICAO document type list (empty string: omit)")->capture_default_str();
    if (profile == Profile::TlsServer) {
        o->dns = {"localhost"};
        o->ips = {"127.0.0.1"};
        cmd->add_option("--dns", o->dns, "DNS names")->capture_default_str();
        cmd->add_option("--ip", o->ips, "IP addresses")->capture_default_str();
    }
    if (profile == Profile::Client)
        cmd->add_option("--role", o->role, "rp, station or officer (becomes the OU)")
            ->check(CLI::IsMember({"rp", "station", "officer"}))->capture_default_str();
    if (!icao) cmd->add_option("--validity-days", o->validity_days, "shorter validity than the profile's default");
    cmd->callback([o, profile, expected_ca, name] {
        auto ca_dir = PkiDirectory::open(o->ca_dir);
        Profile ca_profile = ca_dir.ca_profile();
        bool ca_ok = ca_profile == expected_ca ||
                     (profile == Profile::Client && (ca_profile == Profile::ServiceCa || ca_profile == Profile::RpCa));
        if (!ca_ok)
            throw InvalidArgument(name + " certificates come from a " + std::string(profile_name(expected_ca)) + ", and " +
                                  o->ca_dir + " holds a " + std::string(profile_name(ca_profile)));
        if (profile == Profile::Client) {
            // Stations and officers belong to the service CA; relying parties to the RP CA.
            Profile wanted = o->role == "rp" ? Profile::RpCa : Profile::ServiceCa;
            if (ca_profile != wanted)
                throw InvalidArgument("a " + o->role + " client certificate comes from the " + std::string(profile_name(wanted)));
            if (o->subject.subject.organizational_unit.empty()) o->subject.subject.organizational_unit = o->role;
        }
        auto key = o->key.generate("");
        auto t = now();
        CertificateRequest r;
        r.profile = profile;
        r.subject = o->subject.subject;
        r.validity = default_validity(profile, t, o->periods.periods);
        if (o->validity_days > 0) r.validity.not_after = std::min(r.validity.not_after, add_days(t, o->validity_days));
        r.private_key_usage = default_private_key_usage(profile, t, o->periods.periods);
        if (profile == Profile::DocumentSigner)
            for (const auto& d : o->document_types)
                if (!d.empty()) r.document_types.push_back(d);
        r.dns_names = o->dns;
        r.ip_addresses = o->ips;
        r.crl_distribution_point = o->crl_dp;
        auto cert = issue_from_ca(ca_dir, r, *key);
        write_pem(o->out, cert.get());
        std::cout << name << " " << pa::subject_of(cert.get()) << " serial " << pa::serial_hex(cert.get()) << " (hex), key in "
                  << key->describe() << ", valid until " << pa::date_to_string(X509_get0_notAfter(cert.get())) << "\n";
    });
}

void add_crl_commands(CLI::App& app) {
    auto* crl = app.add_subcommand("crl", "revoke certificates and issue CRLs");
    crl->require_subcommand(1);
    {
        auto* cmd = crl->add_subcommand("revoke", "mark a certificate of this CA revoked (it appears in the next CRL)");
        struct Opts { std::string dir; std::string serial; std::string reason; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--dir", o->dir, "the CA directory")->required();
        cmd->add_option("--serial", o->serial, "serial number (decimal, or hex with 0x)")->required();
        cmd->add_option("--reason", o->reason, "keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation");
        cmd->callback([o] {
            std::uint64_t serial = 0;
            try {
                serial = std::stoull(o->serial, nullptr, o->serial.rfind("0x", 0) == 0 ? 16 : 10);
            } catch (const std::exception&) {
                throw InvalidArgument("--serial must be a number, not '" + o->serial + "'");
            }
            auto dir = PkiDirectory::open(o->dir);
            dir.revoke(serial, now(), o->reason);
            std::cout << "revoked " << serial << "; issue a CRL to publish it (cccd-pki crl issue)\n";
        });
    }
    {
        auto* cmd = crl->add_subcommand("issue", "sign a CRL of every revoked certificate (ICAO 9303 Part 12 CRL profile)");
        struct Opts { std::string dir; int next_update_days = 90; std::string out; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("--dir", o->dir, "the CA directory")->required();
        cmd->add_option("--next-update-days", o->next_update_days, "days until nextUpdate (ICAO: at most 90)")
            ->capture_default_str()->check(CLI::Range(1, 365));
        cmd->add_option("--out", o->out, "also write the CRL (PEM) here");
        cmd->callback([o] {
            auto dir = PkiDirectory::open(o->dir);
            auto ca_cert = dir.ca_certificate();
            auto ca_key = open_signing_key(dir.ca_key_spec(), kCaSecrets);
            std::vector<RevokedEntry> revoked;
            for (const auto& e : dir.index())
                if (e.revoked) revoked.push_back({e.serial, pa::parse_utc_time(e.revoked_at), e.reason});
            auto t = now();
            std::uint64_t number = dir.take_crl_number();
            auto der = issue_crl(Issuer{ca_cert.get(), ca_key->key()}, number, t, add_days(t, o->next_update_days), revoked);
            dir.write_crl(der);
            if (!o->out.empty()) write_text_file(o->out, crl_der_to_pem(der));
            std::cout << "CRL number " << number << " with " << revoked.size() << " revoked certificate(s): "
                      << (dir.path() / "crl.pem").string() << "\n";
        });
    }
}

void add_masterlist_commands(CLI::App& app, int& exit_code) {
    auto* ml = app.add_subcommand("masterlist", "CSCA master lists: export (sign), verify, import");
    ml->require_subcommand(1);
    {
        auto* cmd = ml->add_subcommand("export", "sign a CSCA master list with a Master List Signer");
        struct Opts { std::vector<std::string> cscas; std::string signer_cert; std::string signer_key; std::string out; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("cscas", o->cscas, "CSCA and link certificate files (PEM or DER)")->required();
        cmd->add_option("--signer-cert", o->signer_cert, "Master List Signer certificate")->required();
        cmd->add_option("--signer-key", o->signer_key, "its key: pkcs11: URI or encrypted key file")->required();
        cmd->add_option("--out", o->out, "the master list (CMS DER)")->required();
        cmd->callback([o] {
            std::vector<crypto::X509Ptr> owned;
            for (const auto& f : o->cscas)
                for (auto& c : pa::certificates_from_bytes(read_file(f))) owned.push_back(std::move(c));
            std::vector<const X509*> cscas;
            for (const auto& c : owned) cscas.push_back(c.get());
            auto signer = read_certificate_file(o->signer_cert);
            auto key = open_signing_key(o->signer_key);
            auto der = export_master_list(cscas, key->key(), signer.get());
            write_text_file(o->out, std::string(der.begin(), der.end()));
            std::cout << "master list of " << cscas.size() << " certificate(s) signed by " << pa::subject_of(signer.get()) << ": "
                      << o->out << "\n";
        });
    }
    for (bool import : {false, true}) {
        auto* cmd = ml->add_subcommand(import ? "import" : "verify",
                                       import ? "verify a master list and write its CSCAs to a folder"
                                              : "verify a master list's signature and signer chain (card/pa)");
        struct Opts { std::string file; std::vector<std::string> roots; std::string at; std::string out_dir; };
        auto o = std::make_shared<Opts>();
        cmd->add_option("file", o->file, "the master list (CMS DER)")->required();
        cmd->add_option("--root", o->roots, "CSCA certificate(s) trusted to have issued the signer")->required();
        cmd->add_option("--at", o->at, "verification date YYYY-MM-DD (default: now)");
        if (import) cmd->add_option("--out-dir", o->out_dir, "where to write csca-N.pem")->required();
        cmd->callback([o, import, &exit_code] {
            std::vector<crypto::X509Ptr> owned;
            for (const auto& f : o->roots)
                for (auto& c : pa::certificates_from_bytes(read_file(f))) owned.push_back(std::move(c));
            std::vector<const X509*> roots;
            for (const auto& c : owned) roots.push_back(c.get());
            auto result = import_master_list(read_file(o->file), roots, o->at.empty() ? now() : pa::parse_utc_time(o->at));
            std::cout << (result.verification.verified ? "PASS " : "FAIL ") << "master list: " << result.verification.reason << "\n";
            if (!result.verification.verified) {
                exit_code = kExitCheckFailed;
                return;
            }
            std::cout << result.certificates.size() << " certificate(s)";
            if (result.unreadable > 0) std::cout << ", " << result.unreadable << " unreadable";
            std::cout << "\n";
            for (const auto& c : result.certificates) std::cout << "  " << pa::subject_of(c.get()) << " serial " << pa::serial_hex(c.get()) << "\n";
            if (import) {
                fs::create_directories(o->out_dir);
                int n = 1;
                for (const auto& c : result.certificates)
                    write_text_file(fs::path(o->out_dir) / ("csca-" + std::to_string(n++) + ".pem"), certificate_to_pem(c.get()));
            }
        });
    }
}

void add_lint_command(CLI::App& app, int& exit_code) {
    auto* cmd = app.add_subcommand("lint", "check a certificate against its profile; exit 1 on any FAIL");
    struct Opts { std::string cert; std::string profile = "ds"; std::string issuer; };
    auto o = std::make_shared<Opts>();
    cmd->add_option("cert", o->cert, "certificate file (PEM or DER)")->required();
    cmd->add_option("--profile", o->profile, "csca, link, ds, mls, service-ca, rp-ca, tls-server, client")
        ->check(CLI::IsMember({"csca", "link", "ds", "mls", "service-ca", "rp-ca", "tls-server", "client"}))
        ->capture_default_str();
    cmd->add_option("--issuer", o->issuer, "the issuer's certificate (checks signature and key identifiers)");
    cmd->callback([o, &exit_code] {
        auto cert = read_certificate_file(o->cert);
        crypto::X509Ptr issuer;
        if (!o->issuer.empty()) issuer = read_certificate_file(o->issuer);
        auto findings = lint_certificate(cert.get(), *profile_from_name(o->profile), issuer.get());
        for (const auto& f : findings) std::cout << format_finding(f) << "\n";
        if (!lint_passed(findings)) exit_code = kExitCheckFailed;
    });
}

void add_sod_sign_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("sod-sign", "(development) sign an LDSSecurityObject as EF.SOD with a DS key");
    struct Opts { std::string key; std::string cert; std::string in; std::string out; std::string cms_out; };
    auto o = std::make_shared<Opts>();
    cmd->add_option("--key", o->key, "the DS key: pkcs11: URI or encrypted key file")->required();
    cmd->add_option("--cert", o->cert, "the DS certificate")->required();
    cmd->add_option("--in", o->in, "LDSSecurityObject (DER); default: one over two demo data groups");
    cmd->add_option("--out", o->out, "EF.SOD (tag 77 around the CMS)")->required();
    cmd->add_option("--cms-out", o->cms_out, "also the bare CMS ContentInfo (DER), for openssl cms -verify");
    cmd->callback([o] {
        auto cert = read_certificate_file(o->cert);
        auto key = open_signing_key(o->key);
        if (!same_public_key(key->key(), X509_get0_pubkey(cert.get())))
            throw InvalidArgument("the key (" + key->describe() + ") does not belong to " + o->cert);
        lds::LdsSecurityObject lso;
        if (!o->in.empty()) lso = lds::decode_lds_security_object(read_file(o->in));
        else lso = lds::make_lds_security_object({{1, Bytes{0x61, 0x03, 0x5F, 0x1F, 0x00}}, {2, Bytes{0x75, 0x00}}});
        auto sod = lds::build_sod(lso, key->key(), cert.get());
        write_text_file(o->out, std::string(sod.begin(), sod.end()));
        if (!o->cms_out.empty()) {
            auto inner = tlv::read_single(sod, lds::kSodTag);
            write_text_file(o->cms_out, std::string(inner.value.begin(), inner.value.end()));
        }
        std::cout << "EF.SOD signed with " << key->describe() << ": " << o->out << "\n";
    });
}

void add_list_command(CLI::App& app) {
    auto* cmd = app.add_subcommand("list", "the certificates a CA issued");
    auto dir = std::make_shared<std::string>();
    cmd->add_option("--dir", *dir, "the CA directory")->required();
    cmd->callback([dir] {
        auto d = PkiDirectory::open(*dir);
        for (const auto& e : d.index())
            std::cout << (e.revoked ? "revoked " : "valid   ") << e.serial << "\t" << e.profile << "\tuntil " << e.not_after << "\t"
                      << e.subject << (e.revoked ? "\trevoked " + e.revoked_at + (e.reason.empty() ? "" : " " + e.reason) : "")
                      << "\n";
    });
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"cccd-pki: the CCCD PKI (CSCA, Document Signers, CRLs, master lists, TLS certificates)"};
    app.require_subcommand(1);
    app.footer("Secrets come from the environment, never the command line: CCCD_KEY_PASSPHRASE(_FILE) for new key files,\n"
               "CCCD_CA_KEY_PASSPHRASE(_FILE) for the CA key (falls back to CCCD_KEY_PASSPHRASE), CCCD_PKCS11_PIN,\n"
               "CCCD_PKCS11_MODULE. Exit codes: 0 ok, 1 a check failed, 2 usage, 3 unreadable input, 4 internal error.");
    int exit_code = kExitOk;
    add_csca_commands(app);
    add_ca_command(app);
    add_issue_command(app, "ds", Profile::DocumentSigner, Profile::Csca, "issue a Document Signer certificate", "DS Viet Nam");
    add_issue_command(app, "mls", Profile::MasterListSigner, Profile::Csca, "issue a Master List Signer certificate",
                      "Master List Signer Viet Nam");
    add_issue_command(app, "tls-server", Profile::TlsServer, Profile::ServiceCa, "issue the server's TLS certificate", "localhost");
    add_issue_command(app, "client", Profile::Client, Profile::RpCa, "issue a TLS client certificate (rp, station, officer)",
                      "client");
    add_crl_commands(app);
    add_masterlist_commands(app, exit_code);
    add_lint_command(app, exit_code);
    add_sod_sign_command(app);
    add_list_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    } catch (const cccd::ParseError& e) {
        std::cerr << "cccd-pki: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const cccd::InvalidArgument& e) {
        std::cerr << "cccd-pki: " << e.what() << "\n";
        return kExitUsage;
    } catch (const cccd::CryptoError& e) {
        std::cerr << "cccd-pki: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        std::cerr << "cccd-pki: " << e.what() << "\n";
        return kExitInternal;
    }
    return exit_code;
}
