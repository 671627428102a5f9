#include "card/session/card_session.hpp"

#include <algorithm>
#include <ctime>

#include "card/apdu/apdu.hpp"
#include "crypto/random.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"
#include "card/lds/security_infos.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/protocol/pace.hpp"
#include "card/sm/secure_messaging.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::session {

namespace {

using apdu::CommandApdu;
using apdu::ResponseApdu;
namespace pace = protocol::pace;

constexpr std::size_t kShortBlock = 0xDF;     // fits a short response even with SM overhead
constexpr std::size_t kExtendedBlock = 0x800; // with extended length
constexpr std::size_t kMaxFileSize = 1 << 20; // nothing on a CCCD comes near a megabyte

// The channel plus the secure messaging on top of it, counting what crosses.
class Link {
public:
    Link(channel::CardChannel& channel, ReadResult& stats) : channel_(channel), stats_(stats) {}

    ResponseApdu send(const CommandApdu& command) {
        Bytes raw = (sm_ ? sm_->wrap(command) : command).encode();
        ++stats_.apdus;
        stats_.bytes_sent += raw.size();
        Bytes answer = channel_.transmit(raw);
        stats_.bytes_received += answer.size();
        ResponseApdu response = ResponseApdu::parse(answer);
        return sm_ ? sm_->unwrap(response) : response;
    }
    void secure(sm::SecureMessaging sm) { sm_ = std::move(sm); }
    bool extended_length() const { return channel_.extended_length(); }

private:
    channel::CardChannel& channel_;
    ReadResult& stats_;
    std::optional<sm::SecureMessaging> sm_;
};

Bytes expect_ok(const ResponseApdu& r, const std::string& what) {
    if (!r.ok()) throw ProtocolError("read", 0, what + ": " + apdu::describe_status_word(r.sw));
    return r.data;
}

// Total size of a file from its first bytes (tag and length of the outer TLV).
std::size_t file_size_from_header(ByteView head) {
    std::size_t pos = 1;
    if (head.empty()) throw ParseError("the file is empty");
    if ((head[0] & 0x1F) == 0x1F) {
        while (pos < head.size() && (head[pos] & 0x80)) ++pos;
        ++pos;
    }
    if (pos >= head.size()) throw ParseError("the file's header is truncated");
    std::size_t length = head[pos];
    std::size_t header = pos + 1;
    if (length & 0x80) {
        std::size_t count = length & 0x7F;
        if (count == 0 || count > 3 || pos + 1 + count > head.size()) throw ParseError("the file's length is malformed");
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | head[pos + 1 + i];
        header += count;
    }
    if (header + length > kMaxFileSize) throw ParseError("the file announces an impossible size");
    return header + length;
}

// SELECT by FID and read the whole file: first its header, then blocks as large as the reader allows,
// dropping to 223 bytes if the card answers 6700. nullopt when the card has no such file or refuses it.
std::optional<Bytes> read_file(Link& link, const lds::LdsFileInfo& info, const SessionOptions& options) {
    ResponseApdu selected = link.send(apdu::select_file(info.fid));
    if (selected.sw == apdu::sw::kConditionsNotSatisfied) {
        throw AccessDeniedError("this card has not been issued: its personalization was not finished");
    }
    if (selected.sw == apdu::sw::kFileNotFound || selected.sw == apdu::sw::kSecurityStatusNotSatisfied) return std::nullopt;
    expect_ok(selected, "SELECT " + std::string(info.name));

    Bytes content = expect_ok(link.send(apdu::read_binary(0, 8)), "READ BINARY " + std::string(info.name));
    std::size_t total = file_size_from_header(content);
    std::size_t block = link.extended_length() ? kExtendedBlock : kShortBlock;
    Progress progress{std::string(info.name), content.size(), total};
    if (options.on_progress) options.on_progress(progress);
    while (content.size() < total) {
        std::size_t want = std::min(block, total - content.size());
        std::size_t offset = content.size();
        ResponseApdu r = offset <= 0x7FFF ? link.send(apdu::read_binary(offset, want))
                                          : link.send(apdu::read_binary_odd(offset, want));
        if (r.sw == apdu::sw::kWrongLength && block > kShortBlock) {
            block = kShortBlock;
            continue;
        }
        Bytes data = expect_ok(r, "READ BINARY " + std::string(info.name));
        if (offset > 0x7FFF) {  // the odd READ BINARY answers inside DO'53'
            tlv::Element wrapped = tlv::read_single(data, 0x53);
            data = Bytes(wrapped.value.begin(), wrapped.value.end());
        }
        if (data.empty()) throw ProtocolError("read", 0, std::string(info.name) + " ended before its announced size");
        append(content, ByteView(data).first(std::min(data.size(), total - content.size())));
        progress.read = content.size();
        if (options.on_progress) options.on_progress(progress);
    }
    return content;
}

const lds::LdsFileInfo& info_of(lds::LdsFile f) { return lds::file_info(f); }

void open_with_pace(Link& link, const lds::PaceInfo& info, const SessionOptions& options, ReadResult& result) {
    bool with_can = options.can.has_value();
    pace::PasswordType type = with_can ? pace::PasswordType::Can : pace::PasswordType::Mrz;
    const std::string& password = with_can ? *options.can : *options.mrz_information;
    pace::PaceTerminal terminal(info.protocol, info.parameter_id.value_or(13), type, password);
    auto step = [&](const CommandApdu& c, int number) {
        ResponseApdu r = link.send(c);
        if (number == 0 && r.sw == apdu::sw::kConditionsNotSatisfied) {
            throw AccessDeniedError("this card has not been issued: its personalization was not finished");
        }
        if (r.sw == apdu::sw::kAuthenticationFailed || (number == 4 && !r.ok())) {
            throw AccessDeniedError(with_can ? "the CAN is wrong: check the 6 digits (the last 6 of the ID number)"
                                             : "the MRZ data is wrong: check the document number and dates");
        }
        if (!r.ok()) throw ProtocolError("PACE", number, "the card answered " + apdu::describe_status_word(r.sw));
        return r.data;
    };
    step(apdu::mse_set_at(0xC1, pace::encode_mse_set_at(terminal.mse_set_at())), 0);
    Bytes r1 = step(apdu::general_authenticate(terminal.step1_command(), true), 1);
    Bytes r2 = step(apdu::general_authenticate(terminal.step2_command(r1), true), 2);
    Bytes r3 = step(apdu::general_authenticate(terminal.step3_command(r2), true), 3);
    Bytes r4 = step(apdu::general_authenticate(terminal.step4_command(r3), false), 4);
    try {
        link.secure(terminal.finish(r4).open());
    } catch (const ProtocolError&) {
        throw AccessDeniedError("the card could not prove it knows the password: it is not the card it claims to be");
    }
    result.access_protocol = with_can ? "PACE-CAN" : "PACE-MRZ";
}

void open_with_bac(Link& link, const std::string& mrz_information, ReadResult& result) {
    auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(mrz_information).view());
    Bytes rnd_icc = expect_ok(link.send(apdu::get_challenge()), "GET CHALLENGE");
    Bytes rnd_ifd = crypto::random_bytes(8);
    Bytes k_ifd = crypto::random_bytes(16);
    ResponseApdu r = link.send(apdu::mutual_authenticate(
        protocol::bac::terminal_authentication_data(keys, rnd_icc, rnd_ifd, k_ifd)));
    if (r.sw == apdu::sw::kConditionsNotSatisfied) {
        throw AccessDeniedError("this card has not been issued: its personalization was not finished");
    }
    if (!r.ok()) throw AccessDeniedError("the MRZ data is wrong: check the document number and dates");
    link.secure(protocol::bac::terminal_complete(keys, rnd_icc, rnd_ifd, k_ifd, r.data).open());
    secure_wipe(k_ifd);
    result.access_protocol = "BAC";
}

pa::Check chip_authentication(Link& link, ReadResult& result) {
    pa::Check check{"Chip Authentication", pa::Verdict::NotChecked, "the card has no DG14"};
    auto dg14_bytes = result.data_groups.find(14);
    if (dg14_bytes == result.data_groups.end()) return check;
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
    if (!link.send(apdu::mse_set_at(0x41, request.mse_set_at)).ok() ||
        !link.send(apdu::general_authenticate(request.general_authenticate, false)).ok()) {
        check.verdict = pa::Verdict::Fail;
        check.reason = "the card refused Chip Authentication";
        return check;
    }
    link.secure(request.keys.open());
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

pa::Check active_authentication(Link& link, ReadResult& result, ByteView challenge) {
    pa::Check check{"Active Authentication", pa::Verdict::NotChecked, "the card has no DG15"};
    auto dg15 = result.data_groups.find(15);
    if (dg15 == result.data_groups.end()) return check;
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

ReadResult read_card(channel::CardChannel& channel, const SessionOptions& options) {
    if (!options.can && !options.mrz_information) throw InvalidArgument("a CAN or the MRZ data is needed to read the card");
    ReadResult result;
    Link link(channel, result);

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

    Bytes com = *read_file(link, info_of(lds::LdsFile::Com), options);
    result.files["EF.COM"] = com;
    for (lds::LdsFile f : lds::decode_ef_com(com).listed_files()) {
        const auto& info = info_of(f);
        if (auto content = read_file(link, info, options)) {
            result.files[std::string(info.name)] = *content;
            if (info.data_group > 0) result.data_groups[info.data_group] = *content;
        }
    }
    if (auto sod = read_file(link, info_of(lds::LdsFile::Sod), options)) result.files["EF.SOD"] = *sod;

    if (options.chip_authentication) result.checks.push_back(chip_authentication(link, result));
    if (options.active_auth_challenge) {
        result.checks.push_back(active_authentication(link, result, *options.active_auth_challenge));
    }
    if (options.trust != nullptr) {
        auto sod = result.files.find("EF.SOD");
        std::time_t at = options.verification_time != 0 ? options.verification_time : std::time(nullptr);
        pa::Report report = pa::verify(result.data_groups, sod == result.files.end() ? ByteView{} : ByteView(sod->second),
                                       *options.trust, at);
        for (auto& c : report.checks) result.checks.push_back(std::move(c));
    }
    bool any_fail = std::any_of(result.checks.begin(), result.checks.end(),
                                [](const pa::Check& c) { return c.verdict == pa::Verdict::Fail; });
    bool any_pass = std::any_of(result.checks.begin(), result.checks.end(),
                                [](const pa::Check& c) { return c.verdict == pa::Verdict::Pass; });
    result.overall = any_fail ? pa::Verdict::Fail : any_pass ? pa::Verdict::Pass : pa::Verdict::NotChecked;
    return result;
}

}  // namespace cccd::session
