// cccd-card personalize: turns a blank card in a reader into an issued CCCD, step by step, and reads it
// back. The Document Signer key is a PKCS#11 object (an HSM; SoftHSM2 in tests) or an encrypted key file.
#include <fstream>
#include <iostream>
#include <sstream>

#include "apps/cccd-card/commands.hpp"
#include "apps/cccd-card/json.hpp"
#include "apps/cccd-card/trust_options.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/trust_store.hpp"
#include "card/perso/personalizer.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "card/session/link_model.hpp"
#include "certs/signing_key.hpp"
#include "identity/record_json.hpp"

namespace cccd::tool {

namespace {

struct PersonalizeOptions {
    std::string reader;
    std::string record;
    std::string photo;
    std::string ds_key;
    std::string ds_cert;
    TrustOptions trust;
    std::string transport_key;
    std::string active_auth = "ecdsa";
    bool json = false;
};

int run_personalize(const PersonalizeOptions& o) {
    identity::EnrollmentRecord record;
    {
        Bytes json = read_file(o.record);
        record = identity::parse_enrollment_record(std::string_view(reinterpret_cast<const char*>(json.data()), json.size()));
    }
    if (!o.photo.empty()) record.photo_jpeg = read_file(o.photo);  // none: the card profile must take no photo
    perso::validate(record);
    if (!o.trust.any()) throw InvalidArgument("give the CSCA (--csca or --master-list): the card is verified after it is made");

    pa::TrustStore trust;
    load_trust(o.trust, trust);
    crypto::X509Ptr ds_cert = pa::certificate_from_file(o.ds_cert);
    std::unique_ptr<certs::SigningKey> ds_key = certs::open_signing_key(o.ds_key);
    std::cerr << "Document Signer: " << ds_key->describe() << "\n";

    perso::PersonalizationOptions options;
    options.transport_key = cccd::perso::fixed_transport_key(perso::read_transport_key_file(o.transport_key));
    options.active_auth_key = o.active_auth == "rsa" ? perso::KeySpec::rsa(2048) : perso::KeySpec::ec(13);
    options.trust = &trust;
    options.sign_sod = [&](const perso::CardFiles& files) {
        return lds::build_sod(files.security_object, ds_key->key(), ds_cert.get());
    };
    options.on_step = [](const perso::PersonalizationStep& s) {
        std::cerr << "  [" << s.number << "/" << s.total << "] " << s.name;
        if (!s.detail.empty()) std::cerr << ": " << s.detail;
        std::cerr << std::endl;
    };

    reader::PcscContext context;
    std::string name = context.reader_or_first(o.reader);
    reader::PcscCard card(context, name);
    perso::PersonalizationResult r;
    {
        reader::Transaction transaction(card);  // no other program's APDUs in the middle of personalization
        r = perso::personalize(card, record, options);
    }

    auto link = session::LinkModel::contactless();
    auto modeled = link.session_time(r.apdus, r.bytes_sent + r.bytes_received);
    if (o.json) {
        JsonWriter w;
        w.begin_object();
        w.field("reader", name).field("issued", r.issued).field("only_verified", r.only_verified);
        w.field("chip_serial", to_hex(r.chip_serial)).field("document_number", r.document_number);
        w.key("checks").begin_array();
        for (const auto& c : r.checks) {
            w.begin_object().field("check", c.name).field("verdict", std::string(pa::verdict_name(c.verdict)));
            w.field("reason", c.reason).end_object();
        }
        w.end_array();
        w.key("stats").begin_object();
        w.field("apdus", static_cast<std::int64_t>(r.apdus)).field("bytes_sent", static_cast<std::int64_t>(r.bytes_sent));
        w.field("bytes_received", static_cast<std::int64_t>(r.bytes_received));
        w.field("modeled_ms", static_cast<std::int64_t>(modeled.count() / 1000)).end_object();
        w.end_object();
        std::cout << w.str();
    } else {
        for (const auto& c : r.checks) {
            std::cout << pa::verdict_name(c.verdict) << "  " << c.name;
            if (c.verdict != pa::Verdict::Pass) std::cout << ": " << c.reason;
            std::cout << "\n";
        }
        std::cout << "Chip serial " << to_hex(r.chip_serial) << ", document number " << r.document_number << "\n";
        std::cout << "APDUs: " << r.apdus << ", bytes sent: " << r.bytes_sent << ", received: " << r.bytes_received
                  << ", modeled time on the " << link.name << " link: " << modeled.count() / 1000 << " ms\n";
        std::cout << (r.issued ? "ISSUED: the card was read back and every check passed.\n"
                               : "NOT ISSUED: the read-back verification failed; do not hand out this card.\n");
    }
    return r.issued ? kExitOk : kExitCheckFailed;
}

}  // namespace

void add_personalize_command(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<PersonalizeOptions>();
    auto* cmd = app.add_subcommand("personalize", "Issue a blank card: keys on the chip, files, SOD, lock, read-back");
    cmd->add_option("--reader", o->reader, "Reader name (default: the first reader)");
    cmd->add_option("--record", o->record, "The enrollment record (JSON, see docs/cccd-card.md)")->required();
    cmd->add_option("--photo", o->photo,
                    "The portrait (JPEG, at most 20 KB); left out for a card profile without a photo (cc-2024-u6)");
    cmd->add_option("--ds-key", o->ds_key, "Document Signer key: pkcs11:token=...;object=... or an encrypted PEM file")
        ->required();
    cmd->add_option("--ds-cert", o->ds_cert, "Document Signer certificate (PEM or DER)")->required();
    add_trust_options(*cmd, o->trust);
    cmd->add_option("--transport-key", o->transport_key, "File with the card's transport key (32 hex digits)")->required();
    cmd->add_option("--aa", o->active_auth, "Active Authentication key made on the chip")
        ->check(CLI::IsMember({"ecdsa", "rsa"}))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "Print the result as JSON");
    cmd->footer(
        "PIN or passphrase: CCCD_PKCS11_PIN, CCCD_KEY_PASSPHRASE or CCCD_KEY_PASSPHRASE_FILE (never on the command line).\n"
        "Exit codes: 0 issued, 1 not issued (the chip or the read-back refused it; the reason is printed),\n"
        "2 usage error, 3 bad record, photo, key or certificate, 5 no reader, card removed or pcscd unavailable:\n"
        "run the same command again, the card starts over (or is only verified if it was already locked).");
    cmd->callback([o, &exit_code] {
        try {
            exit_code = run_personalize(*o);
        } catch (const session::AccessDeniedError& e) {
            std::cerr << "cccd-card: " << e.what() << "\n";
            exit_code = kExitCheckFailed;
        } catch (const perso::PersonalizationError& e) {
            std::cerr << "cccd-card: the card was not issued: " << e.what() << "\n";
            exit_code = kExitCheckFailed;
        } catch (const channel::CardRemovedError& e) {
            std::cerr << "cccd-card: " << e.what() << ". Place the card again and run the same command.\n";
            exit_code = kExitCardError;
        } catch (const reader::ReaderServiceError& e) {
            std::cerr << "cccd-card: " << e.what() << "\n";
            exit_code = kExitCardError;
        } catch (const reader::ReaderError& e) {
            std::cerr << "cccd-card: " << e.what() << "\n";
            exit_code = kExitCardError;
        } catch (const InvalidArgument& e) {
            std::cerr << "cccd-card: " << e.what() << "\n";
            exit_code = kExitBadInput;
        } catch (const ParseError& e) {
            std::cerr << "cccd-card: " << e.what() << "\n";
            exit_code = kExitBadInput;
        }
    });
}

}  // namespace cccd::tool
