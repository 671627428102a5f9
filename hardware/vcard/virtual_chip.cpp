#include "hardware/vcard/virtual_chip.hpp"

#include <algorithm>

#include "card/core/error.hpp"
#include "card/crypto/random.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::vcard {

namespace {

using apdu::CommandApdu;
using apdu::ResponseApdu;
namespace sw = apdu::sw;

constexpr std::uint16_t kFidCardAccess = 0x011C;
constexpr std::uint16_t kFidDg3 = 0x0103;
constexpr std::uint16_t kFidMasterFile = 0x3F00;
constexpr std::uint16_t kAuthenticationFailed = 0x6300;

ResponseApdu status(std::uint16_t s) { return ResponseApdu{{}, s}; }

// Short EF identifier -> FID: ICAO files are 01xx with the short id as xx (EF.COM 1E, EF.SOD 1D, ...).
std::uint16_t fid_of_short_ef(std::uint8_t sfi) { return static_cast<std::uint16_t>(0x0100 | sfi); }

}  // namespace

VirtualChip::VirtualChip(ChipContents contents) : contents_(std::move(contents)) {}
VirtualChip::~VirtualChip() = default;
VirtualChip::VirtualChip(VirtualChip&&) noexcept = default;
VirtualChip& VirtualChip::operator=(VirtualChip&&) noexcept = default;

void VirtualChip::reset() {
    application_selected_ = false;
    selected_file_.reset();
    sm_.reset();
    next_sm_.reset();
    bac_challenge_.reset();
    pace_.reset();
    pace_step_ = 0;
    pending_ca_oid_.reset();
}

Bytes VirtualChip::process(ByteView command) {
    try {
        return process(CommandApdu::parse(command)).encode();
    } catch (const ParseError&) {
        return status(sw::kWrongLength).encode();
    }
}

ResponseApdu VirtualChip::process(const CommandApdu& command) {
    bool is_protected = (command.cla & 0x0C) == 0x0C;
    if (!is_protected) {
        // A plain command ends any secure messaging session (ICAO 9303 Part 11 §9.8.7).
        sm_.reset();
        return dispatch(command, false);
    }
    if (!sm_ || !sm_->is_open()) return status(sw::kSmDataObjectsMissing);
    CommandApdu plain;
    try {
        plain = sm_->unwrap_command(command);
    } catch (const SecureMessagingError&) {
        sm_.reset();
        return status(sw::kSmDataObjectsIncorrect);
    }
    ResponseApdu answer = dispatch(plain, true);
    ResponseApdu wrapped = sm_->wrap_response(answer);
    if (next_sm_) {  // Chip Authentication: the answer goes out under the old keys, then the new ones rule
        sm_ = std::move(next_sm_);
        next_sm_.reset();
    }
    return wrapped;
}

ResponseApdu VirtualChip::dispatch(const CommandApdu& c, bool protected_channel) {
    if ((c.cla & 0xE0) != 0x00) return status(sw::kClaNotSupported);
    switch (c.ins) {
        case apdu::kInsSelect: return select(c, protected_channel);
        case apdu::kInsReadBinary:
        case apdu::kInsReadBinaryOdd: return read_binary(c, protected_channel);
        case apdu::kInsGetChallenge: return get_challenge(c);
        case apdu::kInsMutualAuthenticate: return mutual_authenticate(c);
        case apdu::kInsManageSecurityEnvironment: return manage_security_environment(c, protected_channel);
        case apdu::kInsGeneralAuthenticate: return general_authenticate(c, protected_channel);
        case apdu::kInsInternalAuthenticate: return internal_authenticate(c, protected_channel);
        default: return status(sw::kInsNotSupported);
    }
}

bool VirtualChip::readable(std::uint16_t fid, bool protected_channel) const {
    if (fid == kFidCardAccess) return true;
    return protected_channel && fid != kFidDg3;
}

ResponseApdu VirtualChip::select(const CommandApdu& c, bool protected_channel) {
    if (c.p1 == 0x04) {  // by AID
        if (c.data != apdu::emrtd_aid()) return status(sw::kFileNotFound);
        application_selected_ = true;
        selected_file_.reset();
        return status(sw::kOk);
    }
    if (c.p1 == 0x00 && (c.data.empty() || c.data == Bytes{0x3F, 0x00})) {
        return status(sw::kFileNotFound);  // the MF quirk of real cards
    }
    if ((c.p1 != 0x02 && c.p1 != 0x00) || c.data.size() != 2) return status(sw::kIncorrectP1P2);
    auto fid = static_cast<std::uint16_t>((c.data[0] << 8) | c.data[1]);
    if (fid == kFidMasterFile) return status(sw::kFileNotFound);
    if (fid != kFidCardAccess && !application_selected_) return status(sw::kFileNotFound);
    if (contents_.files.count(fid) == 0) return status(sw::kFileNotFound);
    if (!readable(fid, protected_channel)) return status(sw::kSecurityStatusNotSatisfied);
    selected_file_ = fid;
    return status(sw::kOk);
}

ResponseApdu VirtualChip::read_binary(const CommandApdu& c, bool protected_channel) {
    std::size_t offset = 0;
    if (c.ins == apdu::kInsReadBinaryOdd) {
        try {
            tlv::Element e = tlv::read_single(c.data, 0x54);
            if (e.value.empty() || e.value.size() > 3) return status(sw::kWrongData);
            for (auto b : e.value) offset = (offset << 8) | b;
        } catch (const ParseError&) {
            return status(sw::kWrongData);
        }
    } else if (c.p1 & 0x80) {  // short EF identifier in P1, offset in P2
        std::uint16_t fid = fid_of_short_ef(c.p1 & 0x1F);
        if (contents_.files.count(fid) == 0) return status(sw::kFileNotFound);
        if (!application_selected_ && fid != kFidCardAccess) return status(sw::kFileNotFound);
        if (!readable(fid, protected_channel)) return status(sw::kSecurityStatusNotSatisfied);
        selected_file_ = fid;
        offset = c.p2;
    } else {
        offset = static_cast<std::size_t>(((c.p1 & 0x7F) << 8) | c.p2);
    }
    if (!selected_file_) return status(sw::kCommandNotAllowed);
    if (!readable(*selected_file_, protected_channel)) return status(sw::kSecurityStatusNotSatisfied);
    if (!contents_.extended_length && c.ne && *c.ne > apdu::kMaxShortNe) return status(sw::kWrongLength);
    const Bytes& file = contents_.files.at(*selected_file_);
    if (offset >= file.size()) return status(sw::kWrongParameters);
    std::size_t count = std::min(c.ne.value_or(apdu::kMaxShortNe), file.size() - offset);
    Bytes data(file.begin() + static_cast<std::ptrdiff_t>(offset),
               file.begin() + static_cast<std::ptrdiff_t>(offset + count));
    if (c.ins == apdu::kInsReadBinaryOdd) data = tlv::encode(0x53, data);
    return ResponseApdu{std::move(data), sw::kOk};
}

ResponseApdu VirtualChip::get_challenge(const CommandApdu& c) {
    if (c.ne != 8u) return status(sw::kWrongLength);
    bac_challenge_ = crypto::random_bytes(protocol::bac::kNonceSize);
    return ResponseApdu{*bac_challenge_, sw::kOk};
}

ResponseApdu VirtualChip::mutual_authenticate(const CommandApdu& c) {
    if (!bac_challenge_ || contents_.mrz_information.empty()) return status(sw::kConditionsNotSatisfied);
    Bytes challenge = *bac_challenge_;
    bac_challenge_.reset();  // one try per challenge
    try {
        auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(contents_.mrz_information).view());
        auto answer = protocol::bac::chip_respond(keys, challenge, crypto::random_bytes(16), c.data);
        ResponseApdu r{answer.response, sw::kOk};
        sm_ = answer.session.open();
        return r;
    } catch (const ProtocolError&) {
        return status(kAuthenticationFailed);
    } catch (const InvalidArgument&) {
        return status(sw::kWrongLength);
    }
}

ResponseApdu VirtualChip::manage_security_environment(const CommandApdu& c, bool protected_channel) {
    if (c.p1 == 0xC1 && c.p2 == 0xA4) {  // PACE
        try {
            pace_ = std::make_unique<protocol::pace::PaceChip>(std::string(protocol::pace::kEcdhGmAes128),
                                                               contents_.pace_parameter_id, contents_.can,
                                                               contents_.mrz_information);
            pace_->accept_mse_set_at(c.data);
            pace_step_ = 1;
            return status(sw::kOk);
        } catch (const Error&) {
            pace_.reset();
            return status(sw::kWrongData);
        }
    }
    if (c.p1 == 0x41 && c.p2 == 0xA4 && protected_channel) {  // Chip Authentication
        try {
            auto request = protocol::chip_auth::decode_mse_set_at(c.data);
            (void)protocol::chip_auth::cipher_of(request.protocol_oid);
            pending_ca_oid_ = request.protocol_oid;
            return status(sw::kOk);
        } catch (const Error&) {
            return status(sw::kWrongData);
        }
    }
    return status(sw::kIncorrectP1P2);
}

ResponseApdu VirtualChip::general_authenticate(const CommandApdu& c, bool protected_channel) {
    if (pending_ca_oid_ && protected_channel) {
        try {
            Bytes point = protocol::chip_auth::decode_general_authenticate(c.data);
            auto keys = protocol::chip_auth::chip_derive_keys(*pending_ca_oid_, contents_.chip_auth_key.get(), point);
            pending_ca_oid_.reset();
            next_sm_ = keys.open();
            return ResponseApdu{tlv::encode(0x7C, {}), sw::kOk};
        } catch (const Error&) {
            pending_ca_oid_.reset();
            return status(sw::kWrongData);
        }
    }
    if (!pace_) return status(sw::kConditionsNotSatisfied);
    bool last = (c.cla & 0x10) == 0;
    try {
        Bytes out;
        switch (pace_step_) {
            case 1: out = pace_->step1_response(c.data); break;
            case 2: out = pace_->step2_response(c.data); break;
            case 3: out = pace_->step3_response(c.data); break;
            case 4:
                if (!last) throw ProtocolError("PACE", 4, "the last step must end the command chain");
                out = pace_->step4_response(c.data);
                sm_ = pace_->session().open();
                pace_.reset();
                pace_step_ = 0;
                return ResponseApdu{std::move(out), sw::kOk};
            default: return status(sw::kConditionsNotSatisfied);
        }
        ++pace_step_;
        return ResponseApdu{std::move(out), sw::kOk};
    } catch (const ProtocolError&) {
        pace_.reset();
        pace_step_ = 0;
        return status(kAuthenticationFailed);
    }
}

ResponseApdu VirtualChip::internal_authenticate(const CommandApdu& c, bool protected_channel) {
    if (!protected_channel) return status(sw::kSecurityStatusNotSatisfied);
    if (c.data.size() != 8 || !contents_.active_auth_key) return status(sw::kWrongData);
    Bytes signature;
    if (EVP_PKEY_get_base_id(contents_.active_auth_key.get()) == EVP_PKEY_RSA) {
        signature = protocol::sign_active_auth_rsa(contents_.active_auth_key, c.data, crypto::HashAlgorithm::Sha1);
    } else {
        signature = protocol::sign_active_auth_ecdsa(contents_.active_auth_key, c.data, crypto::HashAlgorithm::Sha256,
                                                     protocol::EcdsaEncoding::Plain);
    }
    return ResponseApdu{std::move(signature), sw::kOk};
}

}  // namespace cccd::vcard
