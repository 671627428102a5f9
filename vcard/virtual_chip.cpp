#include "vcard/virtual_chip.hpp"

#include <algorithm>

#include "base/error.hpp"
#include "card/mrz/mrz.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/bac.hpp"
#include "card/protocol/chip_auth.hpp"
#include "card/tlv/tlv.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"

namespace cccd::vcard {

namespace {

using apdu::CommandApdu;
using apdu::ResponseApdu;
namespace sw = apdu::sw;

constexpr std::uint16_t kFidCardAccess = 0x011C;
constexpr std::uint16_t kFidDg3 = 0x0103;
constexpr std::uint16_t kFidMasterFile = 0x3F00;
constexpr std::uint16_t kFidCom = 0x011E;
constexpr std::uint16_t kFidSod = 0x011D;
constexpr std::uint16_t kFidDg1 = 0x0101;
constexpr std::size_t kTransportKeySize = 16;
constexpr std::size_t kChipSerialSize = 8;

ResponseApdu status(std::uint16_t s) { return ResponseApdu{{}, s}; }

// Short EF identifier -> FID: ICAO files are 01xx with the short id as xx (EF.COM 1E, EF.SOD 1D, ...).
std::uint16_t fid_of_short_ef(std::uint8_t sfi) { return static_cast<std::uint16_t>(0x0100 | sfi); }

}  // namespace

ChipContents make_blank_chip(ByteView transport_key) {
    if (transport_key.size() != kTransportKeySize) throw InvalidArgument("a transport key has 16 bytes");
    ChipContents blank;
    blank.life_cycle = perso::LifeCycle::Blank;
    blank.chip_serial = crypto::random_bytes(kChipSerialSize);
    blank.transport_key = SecretBytes(transport_key);
    return blank;
}

VirtualChip::VirtualChip(ChipContents contents) : contents_(std::move(contents)) {
    if (contents_.life_cycle != perso::LifeCycle::Locked && contents_.transport_key.size() != kTransportKeySize) {
        throw InvalidArgument("a chip that is not locked needs its 16-byte transport key");
    }
}
VirtualChip::~VirtualChip() = default;
VirtualChip::VirtualChip(VirtualChip&&) noexcept = default;
VirtualChip& VirtualChip::operator=(VirtualChip&&) noexcept = default;

void VirtualChip::reset() {
    application_selected_ = false;
    selected_file_.reset();
    sm_.reset();
    session_password_.reset();
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
        session_password_.reset();
        return dispatch(command, false);
    }
    if (!sm_ || !sm_->is_open()) return status(sw::kSmDataObjectsMissing);
    CommandApdu plain;
    try {
        plain = sm_->unwrap_command(command);
    } catch (const SecureMessagingError&) {
        sm_.reset();
        session_password_.reset();
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
        case perso::kInsGetData: return get_data(c);
        case perso::kInsCreateFile:
        case perso::kInsDeleteFile:
        case apdu::kInsUpdateBinary:
        case apdu::kInsUpdateBinaryOdd:
        case perso::kInsGenerateKeyPair:
        case perso::kInsPutData:
        case perso::kInsLock: return personalize(c, protected_channel);
        default: return status(sw::kInsNotSupported);
    }
}

std::optional<std::uint16_t> VirtualChip::read_refused(std::uint16_t fid, bool protected_channel) const {
    if (contents_.life_cycle != perso::LifeCycle::Locked) {
        // Until it is issued, only the issuer reads the chip (to check what it wrote).
        if (protected_channel && session_password_ == protocol::pace::PasswordType::TransportKey) return std::nullopt;
        return sw::kConditionsNotSatisfied;
    }
    if (fid == kFidCardAccess) return std::nullopt;
    if (!protected_channel || fid == kFidDg3) return sw::kSecurityStatusNotSatisfied;
    return std::nullopt;
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
    // An unissued chip tells nobody but its issuer which files it has.
    if (contents_.life_cycle != perso::LifeCycle::Locked) {
        if (auto refused = read_refused(fid, protected_channel)) return status(*refused);
    }
    if (contents_.files.count(fid) == 0) return status(sw::kFileNotFound);
    if (auto refused = read_refused(fid, protected_channel)) return status(*refused);
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
        if (contents_.life_cycle != perso::LifeCycle::Locked) {
            if (auto refused = read_refused(fid, protected_channel)) return status(*refused);
        }
        if (contents_.files.count(fid) == 0) return status(sw::kFileNotFound);
        if (!application_selected_ && fid != kFidCardAccess) return status(sw::kFileNotFound);
        if (auto refused = read_refused(fid, protected_channel)) return status(*refused);
        selected_file_ = fid;
        offset = c.p2;
    } else {
        offset = static_cast<std::size_t>(((c.p1 & 0x7F) << 8) | c.p2);
    }
    if (!selected_file_) return status(sw::kCommandNotAllowed);
    if (auto refused = read_refused(*selected_file_, protected_channel)) return status(*refused);
    if (!contents_.extended_length && c.ne && *c.ne > apdu::kMaxShortNe) return status(sw::kWrongLength);
    const Bytes& file = contents_.files.at(*selected_file_);
    if (offset >= file.size()) return status(sw::kWrongParameters);
    const std::size_t asked = c.ne.value_or(apdu::kMaxShortNe);
    const std::size_t left = file.size() - offset;
    std::size_t count = std::min(asked, left);
    if (read_behaviour_.max_data != 0) count = std::min(count, read_behaviour_.max_data);
    Bytes data(file.begin() + static_cast<std::ptrdiff_t>(offset),
               file.begin() + static_cast<std::ptrdiff_t>(offset + count));
    if (c.ins == apdu::kInsReadBinaryOdd) data = tlv::encode(0x53, data);
    const bool end_reached = asked > left && count == left;
    return ResponseApdu{std::move(data), end_reached && read_behaviour_.end_of_file_warning ? sw::kEndOfFileWarning : sw::kOk};
}

ResponseApdu VirtualChip::get_challenge(const CommandApdu& c) {
    if (c.ne != 8u) return status(sw::kWrongLength);
    bac_challenge_ = crypto::random_bytes(protocol::bac::kNonceSize);
    return ResponseApdu{*bac_challenge_, sw::kOk};
}

ResponseApdu VirtualChip::mutual_authenticate(const CommandApdu& c) {
    if (!bac_challenge_ || contents_.mrz_information.empty() || contents_.life_cycle != perso::LifeCycle::Locked) {
        return status(sw::kConditionsNotSatisfied);
    }
    Bytes challenge = *bac_challenge_;
    bac_challenge_.reset();  // one try per challenge
    try {
        auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(contents_.mrz_information).view());
        auto answer = protocol::bac::chip_respond(keys, challenge, crypto::random_bytes(16), c.data);
        ResponseApdu r{answer.response, sw::kOk};
        sm_ = answer.session.open();
        session_password_ = protocol::pace::PasswordType::Mrz;
        return r;
    } catch (const ProtocolError&) {
        return status(sw::kAuthenticationFailed);
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
            // Only an unlocked chip still knows its transport key.
            if (contents_.life_cycle != perso::LifeCycle::Locked) pace_->set_transport_key(contents_.transport_key.view());
            pace_->accept_mse_set_at(c.data);
            // The holder's passwords open only an issued card: a half-personalized one is nobody's card.
            if (pace_->password_type() != protocol::pace::PasswordType::TransportKey &&
                contents_.life_cycle != perso::LifeCycle::Locked) {
                pace_.reset();
                return status(sw::kConditionsNotSatisfied);
            }
            pace_step_ = 1;
            return status(sw::kOk);
        } catch (const ProtocolError&) {  // well formed, but a password or protocol this chip does not have
            pace_.reset();
            return status(sw::kReferencedDataNotFound);
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
                session_password_ = pace_->password_type();
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
        return status(sw::kAuthenticationFailed);
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

ResponseApdu VirtualChip::get_data(const CommandApdu& c) {
    if (c.p1 != 0x00) return status(sw::kIncorrectP1P2);
    switch (static_cast<perso::InfoReference>(c.p2)) {
        case perso::InfoReference::LifeCycle:
            return ResponseApdu{Bytes{static_cast<std::uint8_t>(contents_.life_cycle)}, sw::kOk};
        case perso::InfoReference::ChipSerial: return ResponseApdu{contents_.chip_serial, sw::kOk};
    }
    return status(sw::kReferencedDataNotFound);
}

// Personalization is for the issuer only: an unlocked chip, in a session opened with its transport key.
std::optional<std::uint16_t> VirtualChip::personalization_refused(bool protected_channel) const {
    if (contents_.life_cycle == perso::LifeCycle::Locked) return sw::kConditionsNotSatisfied;
    if (!protected_channel || session_password_ != protocol::pace::PasswordType::TransportKey) {
        return sw::kSecurityStatusNotSatisfied;
    }
    return std::nullopt;
}

ResponseApdu VirtualChip::personalize(const CommandApdu& c, bool protected_channel) {
    if (auto refused = personalization_refused(protected_channel)) return status(*refused);
    try {
        switch (c.ins) {
            case perso::kInsCreateFile: return create_file(c);
            case perso::kInsDeleteFile: return delete_file(c);
            case apdu::kInsUpdateBinary:
            case apdu::kInsUpdateBinaryOdd: return update_binary(c);
            case perso::kInsGenerateKeyPair: return generate_key_pair(c);
            case perso::kInsPutData: return put_data(c);
            case perso::kInsLock: return lock();
            default: return status(sw::kInsNotSupported);
        }
    } catch (const ParseError&) {
        return status(sw::kWrongData);
    } catch (const InvalidArgument&) {
        return status(sw::kWrongData);
    }
}

void VirtualChip::memory_changed() {
    if (contents_.life_cycle == perso::LifeCycle::Blank) contents_.life_cycle = perso::LifeCycle::Personalization;
    if (on_change_) on_change_(contents_);
}

ResponseApdu VirtualChip::create_file(const CommandApdu& c) {
    if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kIncorrectP1P2);
    perso::FileSpec spec = perso::decode_create_file(c.data);
    if (spec.fid == kFidMasterFile || spec.fid == 0x3FFF || spec.fid == 0xFFFF) return status(sw::kWrongData);
    if (spec.short_id && (spec.fid >> 8) == 0x01 && *spec.short_id != (spec.fid & 0x1F)) return status(sw::kWrongData);
    if (contents_.files.count(spec.fid) != 0) return status(perso::kFileAlreadyExists);
    std::size_t used = 0;
    for (const auto& [fid, content] : contents_.files) used += content.size();
    if (used + spec.size > kFileMemory) return status(perso::kNotEnoughMemory);
    contents_.files[spec.fid] = Bytes(spec.size, 0x00);
    selected_file_ = spec.fid;  // the new file becomes the current EF (ISO/IEC 7816-9)
    memory_changed();
    return status(sw::kOk);
}

ResponseApdu VirtualChip::delete_file(const CommandApdu& c) {
    if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kIncorrectP1P2);
    if (c.data.size() != 2) return status(sw::kWrongLength);
    auto fid = static_cast<std::uint16_t>((c.data[0] << 8) | c.data[1]);
    if (contents_.files.erase(fid) == 0) return status(sw::kFileNotFound);
    if (selected_file_ == fid) selected_file_.reset();
    memory_changed();
    return status(sw::kOk);
}

ResponseApdu VirtualChip::update_binary(const CommandApdu& c) {
    std::size_t offset = 0;
    Bytes data;
    if (c.ins == apdu::kInsUpdateBinaryOdd) {
        if (c.p1 != 0x00 || c.p2 != 0x00) return status(sw::kIncorrectP1P2);
        auto update = perso::decode_update_binary_odd(c.data);
        offset = update.offset;
        data = std::move(update.data);
    } else {
        if (c.p1 & 0x80) return status(sw::kIncorrectP1P2);  // write by short EF id: not offered
        offset = static_cast<std::size_t>((c.p1 << 8) | c.p2);
        data = c.data;
    }
    if (data.empty()) return status(sw::kWrongLength);
    if (!selected_file_) return status(sw::kCommandNotAllowed);
    Bytes& file = contents_.files.at(*selected_file_);
    if (offset >= file.size()) return status(sw::kWrongParameters);
    if (data.size() > file.size() - offset) return status(sw::kWrongLength);
    std::copy(data.begin(), data.end(), file.begin() + static_cast<std::ptrdiff_t>(offset));
    memory_changed();
    return status(sw::kOk);
}

ResponseApdu VirtualChip::generate_key_pair(const CommandApdu& c) {
    if (c.p1 != 0x00) return status(sw::kIncorrectP1P2);
    auto reference = static_cast<perso::KeyReference>(c.p2);
    if (reference != perso::KeyReference::ActiveAuthentication && reference != perso::KeyReference::ChipAuthentication) {
        return status(sw::kReferencedDataNotFound);
    }
    perso::KeySpec spec = perso::decode_key_spec(c.data);
    crypto::PKeyPtr key;
    if (spec.algorithm == perso::KeyAlgorithm::Ec) {
        key = crypto::generate_ec_key(crypto::EcGroup::by_parameter_id(spec.parameter_id));
    } else {
        // Chip Authentication here is ECDH only; RSA keys are for Active Authentication, 2048 or 3072 bits.
        if (reference == perso::KeyReference::ChipAuthentication) return status(sw::kWrongData);
        if (spec.modulus_bits != 2048 && spec.modulus_bits != 3072) return status(sw::kWrongData);
        key = crypto::generate_rsa_key(spec.modulus_bits);
    }
    Bytes public_key = protocol::encode_subject_public_key_info(key);
    if (!contents_.extended_length && public_key.size() > apdu::kMaxShortNe) return status(sw::kWrongLength);
    (reference == perso::KeyReference::ActiveAuthentication ? contents_.active_auth_key : contents_.chip_auth_key) =
        std::move(key);
    memory_changed();
    return ResponseApdu{std::move(public_key), sw::kOk};
}

ResponseApdu VirtualChip::put_data(const CommandApdu& c) {
    if (c.p1 != 0x00) return status(sw::kIncorrectP1P2);
    std::string text(c.data.begin(), c.data.end());
    auto all_of = [&](auto predicate) { return std::all_of(text.begin(), text.end(), predicate); };
    switch (static_cast<perso::DataReference>(c.p2)) {
        case perso::DataReference::Can:
            if (text.size() != 6 || !all_of([](char ch) { return ch >= '0' && ch <= '9'; })) return status(sw::kWrongData);
            contents_.can = text;
            break;
        case perso::DataReference::MrzInformation:
            // Document number (9 or more) + check digit, birth date + cd, expiry + cd: the MRZ characters.
            if (text.size() < 24 || text.size() > 44 ||
                !all_of([](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || ch == '<'; })) {
                return status(sw::kWrongData);
            }
            contents_.mrz_information = text;
            break;
        case perso::DataReference::PaceParameterId:
            if (c.data.size() != 1) return status(sw::kWrongData);
            (void)crypto::EcGroup::by_parameter_id(c.data[0]);  // InvalidArgument -> 6A80
            contents_.pace_parameter_id = c.data[0];
            break;
        default: return status(sw::kReferencedDataNotFound);
    }
    memory_changed();
    return status(sw::kOk);
}

// The end of personalization: the chip must be able to serve as an ID card, and it forgets its transport
// key so that nobody can write it again.
ResponseApdu VirtualChip::lock() {
    bool complete = contents_.files.count(kFidCom) && contents_.files.count(kFidSod) && contents_.files.count(kFidDg1) &&
                    !contents_.can.empty() && !contents_.mrz_information.empty();
    if (!complete) return status(sw::kConditionsNotSatisfied);
    contents_.life_cycle = perso::LifeCycle::Locked;
    contents_.transport_key = SecretBytes();
    memory_changed();
    return status(sw::kOk);
}

}  // namespace cccd::vcard
