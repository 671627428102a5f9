#include "card/session/card_session.hpp"

#include <algorithm>
#include <ctime>
#include <set>

#include "card/apdu/apdu.hpp"
#include "card/channel/access.hpp"
#include "card/channel/files.hpp"
#include "card/channel/secure_channel.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/lds/sod.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/protocol/pace.hpp"

namespace cccd::session {

namespace {

using apdu::CommandApdu;
using apdu::ResponseApdu;
using channel::AccessOutcome;
using channel::SecureChannel;
namespace pace = protocol::pace;

constexpr std::uint8_t kMseSetAtChipAuth = 0x41;  // P1 of MSE:Set AT for Chip Authentication

const char* const kNotIssued = "this card has not been issued: its personalization was not finished";

Bytes expect_ok(const ResponseApdu& r, const std::string& what) {
    if (!r.ok()) throw ProtocolError("read", 0, what + ": " + apdu::describe_status_word(r.sw));
    return r.data;
}

// A file of the card, or nullopt when it has none or does not let this session read it. A card that
// refuses even the first READ BINARY (or SELECT) with 6985 was never finished.
std::optional<Bytes> read_file(SecureChannel& link, const lds::LdsFileInfo& info, const SessionOptions& options) {
    try {
        return channel::read_file(link, info, options.on_progress);
    } catch (const channel::CommandRefusedError& e) {
        if ((e.ins() == apdu::kInsSelect || e.ins() == apdu::kInsReadBinary) &&
            e.status_word() == apdu::sw::kConditionsNotSatisfied) {
            throw AccessDeniedError(kNotIssued);
        }
        throw;
    }
}

const lds::LdsFileInfo& info_of(lds::LdsFile f) { return lds::file_info(f); }

void open_with_pace(SecureChannel& link, const lds::PaceInfo& info, const SessionOptions& options, ReadResult& result) {
    bool with_can = options.can.has_value();
    pace::PasswordType type = with_can ? pace::PasswordType::Can : pace::PasswordType::Mrz;
    const std::string& password = with_can ? *options.can : *options.mrz_information;
    pace::PaceTerminal terminal(info.protocol, info.parameter_id.value_or(13), type, password);
    AccessOutcome outcome = channel::run_pace(link, terminal);
    switch (outcome.kind) {
        case AccessOutcome::Kind::Opened:
            break;
        case AccessOutcome::Kind::Refused:
            if (outcome.step == 0 && outcome.status_word == apdu::sw::kConditionsNotSatisfied) throw AccessDeniedError(kNotIssued);
            if (outcome.wrong_password()) {
                throw AccessDeniedError(with_can ? "the CAN is wrong: check the 6 digits (the last 6 of the ID number)"
                                                 : "the MRZ data is wrong: check the document number and dates");
            }
            throw ProtocolError("PACE", outcome.step, "the card answered " + apdu::describe_status_word(outcome.status_word));
        case AccessOutcome::Kind::Unproven:
            throw AccessDeniedError("the card could not prove it knows the password: it is not the card it claims to be");
    }
    result.access_protocol = with_can ? "PACE-CAN" : "PACE-MRZ";
}

void open_with_bac(SecureChannel& link, const std::string& mrz_information, ReadResult& result) {
    auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(mrz_information).view());
    AccessOutcome outcome = channel::run_bac(link, keys);
    if (outcome.kind == AccessOutcome::Kind::Refused) {
        if (outcome.step == 1) throw ProtocolError("read", 0, "GET CHALLENGE: " + apdu::describe_status_word(outcome.status_word));
        if (outcome.status_word == apdu::sw::kConditionsNotSatisfied) throw AccessDeniedError(kNotIssued);
        throw AccessDeniedError("the MRZ data is wrong: check the document number and dates");
    }
    result.access_protocol = "BAC";
}

// The data groups EF.SOD lists: what the card promises. Empty when there is no SOD or it does not decode
// (Passive Authentication then fails "SOD structure").
std::set<int> promised_data_groups(const ReadResult& result) {
    std::set<int> promised;
    const auto sod = result.files.find("EF.SOD");
    if (sod == result.files.end()) return promised;
    try {
        for (const auto& h : lds::parse_sod(sod->second).security_object.data_group_hashes) promised.insert(h.number);
    } catch (const ParseError&) {
    }
    return promised;
}

// A check the card fails by leaving out what its SOD promises: a clone serving a victim's DG1, DG2, DG13
// and SOD behind an EF.COM without DG14 and DG15 must not come out as genuine.
pa::Check withheld(const std::string& name, int data_group) {
    const std::string dg = "DG" + std::to_string(data_group);
    return {name, pa::Verdict::Fail, "the SOD lists " + dg + ", but the card did not give it: a card that withholds it is not genuine"};
}

pa::Check chip_authentication(SecureChannel& link, ReadResult& result, bool promised) {
    pa::Check check{std::string(kCheckChipAuthentication), pa::Verdict::NotChecked, "the card has no DG14"};
    auto dg14_bytes = result.data_groups.find(14);
    if (dg14_bytes == result.data_groups.end()) return promised ? withheld(check.name, 14) : check;
    auto infos = lds::decode_dg14(dg14_bytes->second).security_infos;
    auto keys = infos.all<lds::ChipAuthenticationPublicKeyInfo>();
    if (keys.empty()) {
        check.reason = "DG14 has no Chip Authentication key";
        return check;
    }
    std::string oid(protocol::chip_auth::kEcdhAes128);
    auto ca_infos = infos.all<lds::ChipAuthenticationInfo>();
    if (!ca_infos.empty()) oid = ca_infos.front().protocol;
    auto request = protocol::chip_auth::terminal_request(oid, keys.front().public_key_info, keys.front().key_id);
    if (!link.send(apdu::mse_set_at(kMseSetAtChipAuth, request.mse_set_at)).ok() ||
        !link.send(apdu::general_authenticate(request.general_authenticate, false)).ok()) {
        check.verdict = pa::Verdict::Fail;
        check.reason = "the card refused Chip Authentication";
        return check;
    }
    link.start(request.keys.open());
    // Only the holder of the private key of DG14 can answer under the new keys.
    try {
        ResponseApdu probe = link.send(apdu::select_file(info_of(lds::LdsFile::Com).fid));
        if (!probe.ok()) throw SecureMessagingError("the card answered " + apdu::describe_status_word(probe.sw));
    } catch (const SecureMessagingError&) {
        check.verdict = pa::Verdict::Fail;
        check.reason = "the card could not continue under the new keys: it does not hold the DG14 key";
        return check;
    }
    check.verdict = pa::Verdict::Pass;
    check.reason = "the card holds the private key of its DG14 Chip Authentication key";
    result.chip_auth_public_key = keys.front().public_key_info;
    return check;
}

pa::Check active_authentication(SecureChannel& link, ReadResult& result, ByteView challenge, bool promised) {
    pa::Check check{std::string(kCheckActiveAuthentication), pa::Verdict::NotChecked, "the card has no DG15"};
    auto dg15 = result.data_groups.find(15);
    if (dg15 == result.data_groups.end()) return promised ? withheld(check.name, 15) : check;
    std::optional<std::string> oid;
    if (auto dg14 = result.data_groups.find(14); dg14 != result.data_groups.end()) {
        auto aa = lds::decode_dg14(dg14->second).security_infos.all<lds::ActiveAuthenticationInfo>();
        if (!aa.empty()) oid = aa.front().signature_algorithm;
    }
    ResponseApdu r = link.send(apdu::internal_authenticate(challenge));
    if (!r.ok()) {
        check.verdict = pa::Verdict::Fail;
        check.reason = "the card refused to sign: " + apdu::describe_status_word(r.sw);
        return check;
    }
    result.active_auth_signature = r.data;
    auto v = protocol::verify_active_auth(dg15->second, challenge, r.data,
                                          oid ? std::optional<std::string_view>(*oid) : std::nullopt);
    check.verdict = v.ok ? pa::Verdict::Pass : pa::Verdict::Fail;
    check.reason = v.reason;
    return check;
}

}  // namespace

ReadResult read_card(channel::CardChannel& transport, const SessionOptions& options) {
    if (!options.can && !options.mrz_information) throw InvalidArgument("a CAN or the MRZ data is needed to read the card");
    ReadResult result;
    SecureChannel link(transport);

    // EF.CardAccess is readable without access control; select it by FID (the MF cannot be selected).
    std::optional<lds::PaceInfo> pace_info;
    if (auto card_access = read_file(link, info_of(lds::LdsFile::CardAccess), options)) {
        result.files["EF.CardAccess"] = *card_access;
        auto infos = lds::decode_card_access(*card_access).security_infos.all<lds::PaceInfo>();
        for (const auto& p : infos) {
            try {
                (void)pace::cipher_of(p.protocol);
                pace_info = p;
                break;
            } catch (const InvalidArgument&) {
            }
        }
    }

    if (pace_info) {
        open_with_pace(link, *pace_info, options, result);
        expect_ok(link.send(apdu::select_application(apdu::emrtd_aid())), "SELECT eMRTD application");
    } else {
        if (!options.mrz_information) throw AccessDeniedError("this card needs the MRZ data (it has no PACE)");
        expect_ok(link.send(apdu::select_application(apdu::emrtd_aid())), "SELECT eMRTD application");
        open_with_bac(link, *options.mrz_information, result);
    }

    // What Passive Authentication checks is what EF.SOD lists: the SOD first, then each group it lists,
    // each read once. EF.COM, which lists groups too but is signed by nobody, is read only when there is
    // no SOD to go by (the groups are then read for the holder to see; PA fails on the SOD). DG3 and DG4
    // (fingerprints, iris) open only with Terminal Authentication: they are not asked for.
    if (auto sod = read_file(link, info_of(lds::LdsFile::Sod), options)) result.files["EF.SOD"] = *sod;
    const std::set<int> promised = promised_data_groups(result);
    std::vector<lds::LdsFile> to_read;
    if (!promised.empty()) {
        for (const int number : promised) {
            if (auto file = lds::data_group_file(number)) to_read.push_back(*file);
        }
    } else if (auto com = read_file(link, info_of(lds::LdsFile::Com), options)) {
        result.files["EF.COM"] = *com;
        to_read = lds::decode_ef_com(*com).listed_files();
    }
    std::set<int> withheld_groups;
    for (const lds::LdsFile f : to_read) {
        const auto& info = info_of(f);
        if (info.data_group == 3 || info.data_group == 4 || result.files.contains(std::string(info.name))) continue;
        if (auto content = read_file(link, info, options)) {
            result.files[std::string(info.name)] = *content;
            if (info.data_group > 0) result.data_groups[info.data_group] = *content;
        } else if (promised.contains(info.data_group)) {
            withheld_groups.insert(info.data_group);  // the SOD promises it, the card does not give it
        }
    }
    for (const int number : promised) {
        if (number != 3 && number != 4 && !lds::data_group_file(number)) withheld_groups.insert(number);
    }

    if (options.chip_authentication) result.checks.push_back(chip_authentication(link, result, promised.contains(14)));
    if (options.active_auth_challenge) {
        result.checks.push_back(active_authentication(link, result, *options.active_auth_challenge, promised.contains(15)));
    }
    if (options.trust != nullptr) {
        auto sod = result.files.find("EF.SOD");
        std::time_t at = options.verification_time != 0 ? options.verification_time : std::time(nullptr);
        pa::Report report = pa::verify(result.data_groups, sod == result.files.end() ? ByteView{} : ByteView(sod->second),
                                       *options.trust, at);
        for (auto& c : report.checks) {
            for (const int number : withheld_groups) {
                if (c.name == pa::data_group_check_name(number)) c = withheld(c.name, number);
            }
            result.checks.push_back(std::move(c));
        }
    }
    bool any_fail = std::any_of(result.checks.begin(), result.checks.end(),
                                [](const pa::Check& c) { return c.verdict == pa::Verdict::Fail; });
    bool any_pass = std::any_of(result.checks.begin(), result.checks.end(),
                                [](const pa::Check& c) { return c.verdict == pa::Verdict::Pass; });
    result.overall = any_fail ? pa::Verdict::Fail : any_pass ? pa::Verdict::Pass : pa::Verdict::NotChecked;
    result.apdus = link.traffic().apdus;
    result.bytes_sent = link.traffic().bytes_sent;
    result.bytes_received = link.traffic().bytes_received;
    return result;
}

}  // namespace cccd::session
