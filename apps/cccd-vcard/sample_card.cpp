#include "apps/cccd-vcard/sample_card.hpp"

#include <ctime>
#include <fstream>

#include "base/error.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/trust_store.hpp"
#include "card/perso/personalizer.hpp"
#include "certs/keys.hpp"
#include "certs/profiles.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/sample_citizen.hpp"

namespace cccd::vcard_app {

namespace {

namespace fs = std::filesystem;
using certs::Profile;

constexpr int kCrlValidityDays = 30;

// A CSCA, a Document Signer it issued and its empty CRL, made now.
struct SamplePki {
    crypto::PKeyPtr csca_key, ds_key;
    crypto::X509Ptr csca, ds;
    Bytes crl;

    SamplePki() {
        std::time_t now = std::time(nullptr);
        certs::KeySpec key_spec;  // ECDSA brainpoolP384r1
        csca_key = certs::generate_key(key_spec);
        ds_key = certs::generate_key(key_spec);

        certs::CertificateRequest csca_request;
        csca_request.profile = Profile::Csca;
        csca_request.subject = {"VN", "CCCD Test PKI", "", "CSCA CCCD Test", ""};
        csca_request.serial = 1;
        csca_request.validity = certs::default_validity(Profile::Csca, now);
        csca_request.private_key_usage = certs::default_private_key_usage(Profile::Csca, now);
        csca = certs::issue_certificate(csca_request, csca_key.get(), certs::Issuer{nullptr, csca_key.get()});

        certs::CertificateRequest ds_request;
        ds_request.profile = Profile::DocumentSigner;
        ds_request.subject = {"VN", "CCCD Test PKI", "", "DS CCCD Test", ""};
        ds_request.serial = 2;
        ds_request.validity = certs::default_validity(Profile::DocumentSigner, now);
        ds_request.private_key_usage = certs::default_private_key_usage(Profile::DocumentSigner, now);
        ds_request.document_types = {"ID"};
        ds = certs::issue_certificate(ds_request, ds_key.get(), certs::Issuer{csca.get(), csca_key.get()});

        crl = certs::issue_crl(certs::Issuer{csca.get(), csca_key.get()}, 1, now, certs::add_days(now, kCrlValidityDays), {});
    }
};

void write_bytes(const fs::path& path, ByteView data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) throw Error("cannot write " + path.string());
}

void write_text(const fs::path& path, const std::string& text) { write_bytes(path, view(text)); }

}  // namespace

IssuedSample issue_sample_card(vcard::VirtualChip& chip, ByteView transport_key, const SampleOptions& options) {
    SamplePki pki;
    pa::TrustStore trust;
    trust.add_certificates(pa::certificate_to_der(pki.csca.get()), "the example card's CSCA");
    trust.add_crls(pki.crl, "the example card's CRL");

    identity::EnrollmentRecord record = vcard::sample_citizen_record(options.photo_jpeg);
    perso::PersonalizationOptions perso;
    perso.transport_key = cccd::perso::fixed_transport_key(SecretBytes(transport_key));
    perso.active_auth_key = options.active_auth_key;
    perso.with_card_access = options.with_card_access;
    perso.trust = &trust;
    perso.sign_sod = [&pki](const perso::CardFiles& files) {
        return lds::build_sod(files.security_object, pki.ds_key.get(), pki.ds.get());
    };
    vcard::ChipChannel channel(chip, /*extended_length=*/true);
    perso::PersonalizationResult result = perso::personalize(channel, record, perso);
    if (!result.issued) {
        std::string failed;
        for (const auto& c : result.checks) {
            if (c.verdict == pa::Verdict::Fail) failed += "; " + c.name + ": " + c.reason;
        }
        throw Error("the example card did not pass its read-back" + failed);
    }
    return {certs::certificate_to_pem(pki.csca.get()), certs::crl_der_to_pem(pki.crl), result.can, perso::mrz_of(record)};
}

void tamper_data_group(vcard::ChipContents& contents, int number) {
    auto group = lds::data_group_file(number);
    auto file = group ? contents.files.find(lds::file_info(*group).fid) : contents.files.end();
    if (file == contents.files.end() || file->second.empty()) {
        throw InvalidArgument("--tamper " + std::to_string(number) + ": the example card has no DG" + std::to_string(number));
    }
    file->second.back() ^= 0x01;  // after signing: the SOD's hash no longer matches
}

void write_sample_files(const fs::path& dir, const IssuedSample& sample, const vcard::ChipContents& contents) {
    for (const auto& [fid, bytes] : contents.files) {
        if (auto file = lds::file_by_fid(fid)) write_bytes(dir / std::string(lds::file_name(*file)), bytes);
    }
    write_text(dir / "csca.pem", sample.csca_pem);
    write_text(dir / "csca.crl", sample.crl_pem);
    write_text(dir / "can.txt", sample.can + "\n");
    write_text(dir / "mrz.txt", sample.mrz.substr(0, 30) + "\n" + sample.mrz.substr(30, 30) + "\n" + sample.mrz.substr(60) + "\n");
}

}  // namespace cccd::vcard_app
