#include "card/perso/personalizer.hpp"

#include <fstream>

#include <algorithm>

#include "card/apdu/apdu.hpp"
#include "card/channel/access.hpp"
#include "card/channel/files.hpp"
#include "card/channel/secure_channel.hpp"
#include "card/lds/dg1.hpp"
#include "card/lds/dg15.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/pace.hpp"
#include "card/session/card_session.hpp"
#include "crypto/ec.hpp"
#include "crypto/random.hpp"
#include "crypto/roca.hpp"

namespace cccd::perso {

namespace {

namespace pace = protocol::pace;
using apdu::CommandApdu;
using apdu::ResponseApdu;

constexpr std::uint64_t kTransportPaceParameters = 13;  // brainpoolP256r1, as for the holder's PACE

// The issuer's session on the chip: plain until PACE with the transport key, then AES secure messaging.
// Every refusal is a PersonalizationError naming the command.
class IssuerLink {
public:
    explicit IssuerLink(channel::CardChannel& transport) : channel_(transport) {}
    ResponseApdu send(const CommandApdu& c) { return channel_.send(c); }
    Bytes expect(const CommandApdu& c, const std::string& what) {
        ResponseApdu r = send(c);
        if (!r.ok()) throw refused(what, r.sw);
        return r.data;
    }
    static PersonalizationError refused(const std::string& what, std::uint16_t status_word) {
        return PersonalizationError(what + ": the chip answered " + apdu::describe_status_word(status_word));
    }
    channel::SecureChannel& channel() { return channel_; }

private:
    channel::SecureChannel channel_;
};

struct Stepper {
    const PersonalizationOptions& options;
    void operator()(int number, std::string name, std::string detail = {}) const {
        if (options.on_step) options.on_step(PersonalizationStep{number, 8, std::move(name), std::move(detail)});
    }
};

void open_with_transport_key(IssuerLink& link, ByteView transport_key) {
    std::string_view password(reinterpret_cast<const char*>(transport_key.data()), transport_key.size());
    pace::PaceTerminal terminal(std::string(pace::kEcdhGmAes128), kTransportPaceParameters,
                                pace::PasswordType::TransportKey, password);
    channel::AccessOutcome outcome = channel::run_pace(link.channel(), terminal);
    switch (outcome.kind) {
        case channel::AccessOutcome::Kind::Opened:
            return;
        case channel::AccessOutcome::Kind::Refused:
            if (outcome.step == 0) {  // MSE:Set AT
                if (outcome.status_word == apdu::sw::kReferencedDataNotFound) {
                    throw PersonalizationError("the chip has no transport key any more: it is locked");
                }
                throw IssuerLink::refused("PACE with the transport key", outcome.status_word);
            }
            if (outcome.wrong_password()) {
                throw session::AccessDeniedError("the transport key does not open this card: it belongs to another card or batch");
            }
            throw IssuerLink::refused("PACE with the transport key", outcome.status_word);
        case channel::AccessOutcome::Kind::Unproven:
            throw session::AccessDeniedError("the chip could not prove it knows the transport key: it is not a genuine card");
    }
}

// Every file of `files` deleted, created, written in blocks and read back.
void write_files(IssuerLink& link, const std::map<std::string, Bytes>& files, const Stepper& step) {
    for (const auto& [name, content] : files) {
        step(5, "write files", name + " (" + std::to_string(content.size()) + " bytes)");
        const auto& info = lds::file_info(*lds::file_by_name(name));
        ResponseApdu deleted = link.send(delete_file(info.fid));
        if (!deleted.ok() && deleted.sw != apdu::sw::kFileNotFound) throw IssuerLink::refused("DELETE FILE " + name, deleted.sw);
        link.expect(create_file({info.fid, content.size(), std::nullopt}), "CREATE FILE " + name);
        // Read it back under the issuer's session: a write the chip garbled is caught before lock.
        Bytes back;
        try {
            channel::write_file(link.channel(), name, content);
            back = channel::read_back(link.channel(), name, content.size());
        } catch (const channel::CommandRefusedError& e) {
            throw IssuerLink::refused(e.command(), e.status_word());
        } catch (const ProtocolError& e) {
            throw PersonalizationError(name + " could not be read back: " + e.what());
        }
        if (back != content) throw PersonalizationError(name + " reads back different from what was written");
    }    // A data group of the layout that these files leave out (DG2 of a card without a photo) is deleted,
    // so an earlier attempt with another record leaves nothing behind.
    for (const char* name : {"DG2"}) {
        if (files.contains(name)) continue;
        const auto& info = lds::file_info(*lds::file_by_name(name));
        ResponseApdu deleted = link.send(delete_file(info.fid));
        if (!deleted.ok() && deleted.sw != apdu::sw::kFileNotFound) throw IssuerLink::refused(std::string("DELETE FILE ") + name, deleted.sw);
    }
}

// A group the record's profile leaves out (DG2 of a card without a photo) matches when the card has
// none either; one the profile has must be on the card byte for byte.
pa::Check data_check(const std::string& group, const std::map<std::string, Bytes>& card, const CardFiles& expected) {
    pa::Check c{data_matches_check_name(group), pa::Verdict::Fail, {}};
    auto found = card.find(group);
    auto wanted = expected.files.find(group);
    if (wanted == expected.files.end()) {
        if (found == card.end()) {
            c.verdict = pa::Verdict::Pass;
            c.reason = group + " is absent, as the card profile of the enrollment record says";
        } else {
            c.reason = group + " is on the card, but the card profile of the enrollment record has none";
        }
    } else if (found == card.end()) {
        c.reason = group + " is missing on the card";
    } else if (found->second != wanted->second) {
        c.reason = group + " on the card differs from the enrollment record";
    } else {
        c.verdict = pa::Verdict::Pass;
        c.reason = group + " holds exactly the enrollment record";
    }
    return c;
}

// Step 8: a fresh holder session with the CAN, as any reader will do it.
void verify_card(channel::CardChannel& transport, const EnrollmentRecord& record, const std::string& mrz_information,
                 const PersonalizationOptions& options, PersonalizationResult& result) {
    session::SessionOptions read;
    read.can = result.can;
    read.mrz_information = mrz_information;  // a card without PACE (no EF.CardAccess) opens with BAC
    read.active_auth_challenge = crypto::random_bytes(8);
    read.trust = options.trust;
    session::ReadResult r = session::read_card(transport, read);
    result.apdus += r.apdus;
    result.bytes_sent += r.bytes_sent;
    result.bytes_received += r.bytes_received;
    for (auto& c : r.checks) result.checks.push_back(std::move(c));
    auto dg15 = r.files.find("DG15");
    auto dg14 = r.files.find("DG14");
    if (dg15 != r.files.end()) result.active_auth_public_key = lds::decode_dg15(dg15->second).public_key_info;
    if (dg14 != r.files.end()) {
        auto keys = lds::decode_dg14(dg14->second).security_infos.all<lds::ChipAuthenticationPublicKeyInfo>();
        if (!keys.empty()) result.chip_auth_public_key = keys.front().public_key_info;
    }
    if (auto sod = r.files.find("EF.SOD"); sod != r.files.end()) result.sod = sod->second;
    // The card's own keys rebuild the record's data groups exactly when the data is the record's.
    if (!result.active_auth_public_key.empty() && !result.chip_auth_public_key.empty()) {
        CardFiles expected = build_card_files(record, result.active_auth_public_key, result.chip_auth_public_key);
        for (const char* group : {"DG1", "DG2", "DG13"}) result.checks.push_back(data_check(group, r.files, expected));
    } else {
        result.checks.push_back({std::string(kCheckDataMatchesRecord), pa::Verdict::Fail, "the card has no DG14 or DG15 keys"});
    }
    // Issued: nothing failed, and what proves the card genuine and the holder's did pass. Only the DS
    // revocation check may stay NOT_CHECKED, when no CRL was given (it is reported).
    auto verdict_of = [&](std::string_view name) {
        for (const auto& c : result.checks) {
            if (c.name == name) return c.verdict;
        }
        return pa::Verdict::NotChecked;
    };
    bool none_failed =
        std::none_of(result.checks.begin(), result.checks.end(), [](const pa::Check& c) { return c.verdict == pa::Verdict::Fail; });
    bool essentials_passed = true;
    for (const std::string& name : {std::string(pa::kCheckSodSignature), std::string(session::kCheckChipAuthentication),
                                    std::string(session::kCheckActiveAuthentication), data_matches_check_name("DG1"),
                                    data_matches_check_name("DG2"), data_matches_check_name("DG13")}) {
        essentials_passed = essentials_passed && verdict_of(name) == pa::Verdict::Pass;
    }
    result.issued = none_failed && essentials_passed;
}

}  // namespace

pa::Check check_chip_key(const std::string& name, ByteView spki, const KeySpec& expected) {
    pa::Check c{name, pa::Verdict::Fail, {}};
    crypto::PKeyPtr key;
    try {
        key = crypto::parse_public_key(spki);  // also checks an EC point lies on its curve
    } catch (const Error& e) {
        c.reason = std::string("the chip returned an unusable public key: ") + e.what();
        return c;
    }
    int type = EVP_PKEY_get_base_id(key.get());
    if (expected.algorithm == KeyAlgorithm::Ec) {
        if (type != EVP_PKEY_EC) {
            c.reason = "the chip made a non-EC key where an EC key was asked for";
            return c;
        }
        auto curve = crypto::EcGroup::of_key(key.get());
        auto wanted = crypto::EcGroup::by_parameter_id(expected.parameter_id);
        if (curve.nid() != wanted.nid()) {
            c.reason = "the chip made a key on " + curve.name() + " instead of " + wanted.name();
            return c;
        }
        c.reason = "EC key on " + curve.name();
    } else {
        if (type != EVP_PKEY_RSA) {
            c.reason = "the chip made a non-RSA key where an RSA key was asked for";
            return c;
        }
        int bits = EVP_PKEY_get_bits(key.get());
        if (bits != static_cast<int>(expected.modulus_bits)) {
            c.reason = "the chip made a " + std::to_string(bits) + "-bit RSA key instead of " +
                       std::to_string(expected.modulus_bits);
            return c;
        }
        if (crypto::has_roca_fingerprint(key.get())) {
            c.reason = "the chip's RSA key has the ROCA fingerprint (CVE-2017-15361): it can be factored; "
                       "do not issue this chip";
            return c;
        }
        c.reason = "RSA-" + std::to_string(bits) + " key without the ROCA fingerprint";
    }
    c.verdict = pa::Verdict::Pass;
    return c;
}

PersonalizationResult personalize(channel::CardChannel& card, const EnrollmentRecord& record,
                                  const PersonalizationOptions& options) {
    validate(record);
    if (!options.sign_sod) throw InvalidArgument("personalization needs a Document Signer to sign EF.SOD");
    if (options.trust == nullptr) throw InvalidArgument("personalization needs the CSCA to verify the card it made");
    if (!options.transport_key) throw InvalidArgument("personalization needs a way to the blank card's transport key");
    PersonalizationResult result;
    Stepper step{options};
    result.can = mrz::can_from_id_number(record.person.personal_id);
    std::string mrz = mrz_of(record);
    std::string mrz_information = mrz::mrz_information(mrz::parse_td1(mrz));
    result.document_number = mrz.substr(5, 9);

    step(1, "open the chip");
    IssuerLink link(card);
    // What crossed during steps 1-7; step 8's own session adds its share.
    auto count_issuer_traffic = [&] {
        result.apdus += link.channel().traffic().apdus;
        result.bytes_sent += link.channel().traffic().bytes_sent;
        result.bytes_received += link.channel().traffic().bytes_received;
    };
    link.expect(apdu::select_application(apdu::emrtd_aid()), "SELECT eMRTD application");
    Bytes state = link.expect(get_data(InfoReference::LifeCycle), "GET DATA life cycle");
    result.chip_serial = link.expect(get_data(InfoReference::ChipSerial), "GET DATA chip serial");
    if (state.size() != 1) throw PersonalizationError("the chip reports a malformed life cycle");
    if (state[0] == static_cast<std::uint8_t>(LifeCycle::Locked)) {
        // Pulled after LOCK, or issued before: only the read-back decides.
        result.only_verified = true;
        step(8, "verify", "the card is already locked: reading it back");
        count_issuer_traffic();
        verify_card(card, record, mrz_information, options, result);
        return result;
    }
    open_with_transport_key(link, options.transport_key(result.chip_serial).view());

    step(2, "generate keys", "Active Authentication");
    Bytes aa = link.expect(generate_key_pair(KeyReference::ActiveAuthentication, options.active_auth_key),
                           "GENERATE KEY PAIR (Active Authentication)");
    step(2, "generate keys", "Chip Authentication");
    Bytes ca = link.expect(generate_key_pair(KeyReference::ChipAuthentication, options.chip_auth_key),
                           "GENERATE KEY PAIR (Chip Authentication)");
    for (auto check : {check_chip_key(std::string(kCheckChipKeyActiveAuthentication), aa, options.active_auth_key),
                       check_chip_key(std::string(kCheckChipKeyChipAuthentication), ca, options.chip_auth_key)}) {
        if (check.verdict != pa::Verdict::Pass) throw PersonalizationError(check.name + ": " + check.reason);
        result.checks.push_back(std::move(check));
    }

    step(3, "build files");
    CardFiles files = build_card_files(record, aa, ca, options.with_card_access);

    step(4, "sign", "EF.SOD");
    files.chip_serial = result.chip_serial;
    files.files["EF.SOD"] = options.sign_sod(files);

    write_files(link, files.files, step);

    step(6, "set access keys");
    link.expect(put_data(DataReference::Can, view(result.can)), "PUT DATA CAN");
    link.expect(put_data(DataReference::MrzInformation, view(mrz_information)), "PUT DATA MRZ information");

    step(7, "lock");
    link.expect(lock(), "LOCK");

    step(8, "verify", "fresh session with the CAN");
    count_issuer_traffic();
    verify_card(card, record, mrz_information, options, result);
    return result;
}

std::string data_matches_check_name(std::string_view data_group) {
    return std::string(kCheckDataMatchesRecord) + ": " + std::string(data_group);
}

UnknownBlankCardError::UnknownBlankCardError(ByteView chip_serial)
    : PersonalizationError("no transport key for the blank card with chip serial " + to_hex(chip_serial) +
                           ": import its batch manifest"),
      chip_serial_(chip_serial.begin(), chip_serial.end()) {}

TransportKeyLookup fixed_transport_key(SecretBytes key) {
    return [key = std::move(key)](ByteView) { return key; };
}

SecretBytes read_transport_key_file(const std::filesystem::path& path) {
    std::string text;
    std::ifstream(path) >> text;
    Bytes key;
    try {
        key = from_hex(text);
    } catch (const InvalidArgument&) {
    }
    secure_wipe(text.data(), text.size());
    if (key.size() != 16) throw ParseError(path.string() + " must hold the card's transport key: 32 hex digits");
    return SecretBytes(std::move(key));
}

}  // namespace cccd::perso
