// The chip's life cycle: a blank chip personalized through its own commands under PACE with the
// transport key (by perso::personalize, the station's pipeline), then locked; who may personalize and when; a card pulled during personalization and
// personalized again; the card image that keeps all of it.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

#include "base/error.hpp"
#include "card/channel/access.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/trust_store.hpp"
#include "card/perso/commands.hpp"
#include "card/perso/personalizer.hpp"
#include "card/protocol/active_auth.hpp"
#include "card/protocol/pace.hpp"
#include "card/session/card_session.hpp"
#include "crypto/random.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "vcard/card_image.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using apdu::CommandApdu;
using apdu::ResponseApdu;
namespace pace = cccd::protocol::pace;
namespace sw = cccd::apdu::sw;

namespace {

const Bytes kTransportKey = from_hex("000102030405060708090A0B0C0D0E0F");

Bytes small_jpeg() {
    Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
    jpeg.resize(3000, 0x5A);
    append(jpeg, from_hex("FFD9"));
    return jpeg;
}

using channel::CardRemovedError;
using vcard::ChipChannel;  // a reader without extended length; the card can be pulled after N commands

// A personalization terminal's session opened with a password of the chip (PACE of card/channel).
class Terminal {
public:
    Terminal(vcard::VirtualChip& chip, pace::PasswordType type, ByteView password) : transport_(chip), link_(transport_) {
        EXPECT_TRUE(link_.send(apdu::select_application(apdu::emrtd_aid())).ok());
        std::string_view text(reinterpret_cast<const char*>(password.data()), password.size());
        pace::PaceTerminal t(std::string(pace::kEcdhGmAes128), 13, type, text);
        channel::AccessOutcome outcome = channel::run_pace(link_, t);
        if (outcome.kind == channel::AccessOutcome::Kind::Refused && outcome.step == 0) mse_status_ = outcome.status_word;
    }
    bool open() const { return link_.secure(); }
    std::uint16_t mse_status() const { return mse_status_; }
    ResponseApdu send(const CommandApdu& c) { return link_.send(c); }

private:
    ChipChannel transport_;
    channel::SecureChannel link_;
    std::uint16_t mse_status_ = sw::kOk;
};

// Issues cards through the personalization pipeline the station uses (card/perso).
struct Issuer {
    fixtures::TestPki pki = fixtures::make_test_pki();
    identity::EnrollmentRecord record = fixtures::enrollment_record(fixtures::sample_citizen(), small_jpeg());
    pa::TrustStore trust;
    std::map<std::string, Bytes> written;  // the files of the last card, as signed and written
    Issuer() { trust.add_certificates(pki.csca.cert_der(), "test CSCA"); }

    perso::PersonalizationOptions options() {
        perso::PersonalizationOptions o;
        o.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(kTransportKey)));
        o.trust = &trust;
        o.sign_sod = [this](const perso::CardFiles& files) {
            written = files.files;
            written["EF.SOD"] = lds::build_sod(files.security_object, pki.ds.key.get(), pki.ds.cert.get());
            return written["EF.SOD"];
        };
        return o;
    }
    perso::PersonalizationResult personalize(ChipChannel& channel, const perso::PersonalizationOptions& o) {
        return perso::personalize(channel, record, o);
    }
    perso::PersonalizationResult personalize(vcard::VirtualChip& chip) {
        ChipChannel channel(chip);
        return personalize(channel, options());
    }
    session::ReadResult read(vcard::VirtualChip& chip, const std::string& can) {
        ChipChannel channel(chip);
        session::SessionOptions o;
        o.can = can;
        o.active_auth_challenge = crypto::random_bytes(8);
        o.trust = &trust;
        return session::read_card(channel, o);
    }
};

std::uint8_t life_cycle_of(vcard::VirtualChip& chip) {
    ResponseApdu r = ResponseApdu::parse(chip.process(perso::get_data(perso::InfoReference::LifeCycle).encode()));
    EXPECT_TRUE(r.ok());
    return r.data.size() == 1 ? r.data[0] : 0;
}

}  // namespace

TEST(ChipLifeCycle, ABlankChipSaysSoAndHasASerial) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    EXPECT_EQ(life_cycle_of(chip), 0x01);
    ResponseApdu serial = ResponseApdu::parse(chip.process(perso::get_data(perso::InfoReference::ChipSerial).encode()));
    EXPECT_EQ(serial.data.size(), 8u);
    EXPECT_THROW(vcard::make_blank_chip(from_hex("0011")), InvalidArgument);
}

TEST(ChipLifeCycle, PersonalizedThroughItsOwnCommandsThenReadWithEveryCheckPassing) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    std::vector<std::string> steps;
    auto options = issuer.options();
    options.on_step = [&](const perso::PersonalizationStep& s) { steps.push_back(s.name); };
    ChipChannel channel(chip);
    auto card = issuer.personalize(channel, options);
    EXPECT_TRUE(card.issued);
    EXPECT_EQ(chip.life_cycle(), perso::LifeCycle::Locked);
    EXPECT_EQ(life_cycle_of(chip), 0x03);
    EXPECT_TRUE(chip.contents().transport_key.empty());
    ASSERT_GE(steps.size(), 2u);
    EXPECT_EQ(steps[steps.size() - 2], "lock");  // then the pipeline's own read-back
    EXPECT_EQ(steps.back(), "verify");

    chip.reset();
    auto r = issuer.read(chip, card.can);
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
    EXPECT_EQ(r.files.at("DG2"), issuer.written.at("DG2"));
    for (const auto& c : r.checks) EXPECT_NE(c.verdict, pa::Verdict::Fail) << c.name << ": " << c.reason;
}

TEST(ChipLifeCycle, AnRsaActiveAuthenticationKeyMadeOnTheChipVerifies) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    auto options = issuer.options();
    options.active_auth_key = perso::KeySpec::rsa(2048);
    ChipChannel channel(chip);
    auto card = issuer.personalize(channel, options);
    EXPECT_EQ(EVP_PKEY_get_base_id(chip.contents().active_auth_key.get()), EVP_PKEY_RSA);
    chip.reset();
    auto r = issuer.read(chip, card.can);
    EXPECT_EQ(r.overall, pa::Verdict::Pass);
}

TEST(ChipLifeCycle, PersonalizationNeedsTheTransportKeySession) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    // In plain.
    ResponseApdu plain = ResponseApdu::parse(chip.process(perso::create_file({0x0101, 10, std::nullopt}).encode()));
    EXPECT_EQ(plain.sw, sw::kSecurityStatusNotSatisfied);
    // With somebody else's key: PACE fails, nothing is written.
    Terminal thief(chip, pace::PasswordType::TransportKey, from_hex("FF0102030405060708090A0B0C0D0E0F"));
    EXPECT_FALSE(thief.open());
    EXPECT_EQ(chip.life_cycle(), perso::LifeCycle::Blank);
    EXPECT_TRUE(chip.contents().files.empty());
    // With the right key.
    chip.reset();
    Terminal issuer(chip, pace::PasswordType::TransportKey, kTransportKey);
    ASSERT_TRUE(issuer.open());
    EXPECT_TRUE(issuer.send(perso::create_file({0x0101, 10, std::nullopt})).ok());
    EXPECT_EQ(chip.life_cycle(), perso::LifeCycle::Personalization);
}

TEST(ChipLifeCycle, TheChipRefusesMalformedAndImpossiblePersonalization) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    Terminal t(chip, pace::PasswordType::TransportKey, kTransportKey);
    ASSERT_TRUE(t.open());
    EXPECT_TRUE(t.send(perso::create_file({0x0101, 4, std::nullopt})).ok());
    EXPECT_EQ(t.send(perso::create_file({0x0101, 4, std::nullopt})).sw, perso::kFileAlreadyExists);
    EXPECT_TRUE(t.send(apdu::update_binary(0, from_hex("01020304"))).ok());
    EXPECT_EQ(chip.contents().files.at(0x0101), from_hex("01020304"));
    EXPECT_EQ(t.send(apdu::update_binary(2, from_hex("010203"))).sw, sw::kWrongLength);     // beyond the end
    EXPECT_EQ(t.send(apdu::update_binary(4, from_hex("01"))).sw, sw::kWrongParameters);     // offset outside
    EXPECT_EQ(t.send(perso::create_file({0x0102, 0xFFFF, std::nullopt})).ok(), true);
    EXPECT_EQ(t.send(perso::create_file({0x0103, 0xFFFF, std::nullopt})).sw, perso::kNotEnoughMemory);
    EXPECT_EQ(t.send(perso::generate_key_pair(perso::KeyReference::ChipAuthentication, perso::KeySpec::rsa(2048))).sw,
              sw::kWrongData);  // Chip Authentication is ECDH
    CommandApdu unknown_key = perso::generate_key_pair(perso::KeyReference::ActiveAuthentication, perso::KeySpec::ec(13));
    unknown_key.p2 = 0x07;
    EXPECT_EQ(t.send(unknown_key).sw, sw::kReferencedDataNotFound);
    EXPECT_EQ(t.send(perso::put_data(perso::DataReference::Can, view(std::string("12345")))).sw, sw::kWrongData);
    EXPECT_EQ(t.send(perso::put_data(perso::DataReference::MrzInformation, view(std::string("short")))).sw, sw::kWrongData);
    CommandApdu garbage = perso::create_file({0x0104, 4, std::nullopt});
    garbage.data = from_hex("6203800100");
    EXPECT_EQ(t.send(garbage).sw, sw::kWrongData);
    // Nothing to serve as an ID card yet: no lock.
    EXPECT_EQ(t.send(perso::lock()).sw, sw::kConditionsNotSatisfied);
    EXPECT_NE(chip.life_cycle(), perso::LifeCycle::Locked);
}

TEST(ChipLifeCycle, ALockedChipRefusesEveryPersonalizationCommand) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    auto card = issuer.personalize(chip);
    chip.reset();
    // The transport key is gone.
    Terminal again(chip, pace::PasswordType::TransportKey, kTransportKey);
    EXPECT_FALSE(again.open());
    EXPECT_EQ(again.mse_status(), sw::kReferencedDataNotFound);
    // A holder's session cannot personalize either.
    chip.reset();
    Terminal holder(chip, pace::PasswordType::Can, view(card.can));
    ASSERT_TRUE(holder.open());
    for (const CommandApdu& c : {perso::create_file({0x0105, 4, std::nullopt}), perso::delete_file(0x0101),
                                 apdu::update_binary(0, from_hex("00")), perso::lock(),
                                 perso::generate_key_pair(perso::KeyReference::ActiveAuthentication, perso::KeySpec::ec(13)),
                                 perso::put_data(perso::DataReference::Can, view(std::string("000000")))}) {
        EXPECT_EQ(holder.send(c).sw, sw::kConditionsNotSatisfied) << to_hex(c.encode());
    }
    // Still the same card.
    chip.reset();
    EXPECT_EQ(issuer.read(chip, card.can).overall, pa::Verdict::Pass);
}

TEST(ChipLifeCycle, ACardPulledDuringPersonalizationStaysUnlockedAndCanBeDoneAgain) {
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    for (std::size_t pull_at : {3u, 12u, 40u}) {
        ChipChannel channel(chip);
        channel.pull_after(pull_at);
        EXPECT_THROW(issuer.personalize(channel, issuer.options()), CardRemovedError);
        EXPECT_NE(chip.life_cycle(), perso::LifeCycle::Locked);
        chip.reset();
    }
    auto card = issuer.personalize(chip);
    chip.reset();
    EXPECT_EQ(issuer.read(chip, card.can).overall, pa::Verdict::Pass);
}

TEST(CardImage, EveryChangeIsPersistedAndTheCardComesBackFromItsImage) {
    auto dir = std::filesystem::temp_directory_path() / ("cccd-image-" + to_hex(crypto::random_bytes(4)));
    std::filesystem::create_directories(dir);
    auto path = dir / "card.img";
    Issuer issuer;
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    int writes = 0;
    chip.on_memory_changed([&](const vcard::ChipContents& c) {
        vcard::save_card_image(path, c);
        ++writes;
    });
    auto card = issuer.personalize(chip);
    EXPECT_GT(writes, 10);
    struct stat st{};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_FALSE(std::filesystem::exists(dir / "card.img.tmp"));

    // Another process, later: the same card, the same keys.
    vcard::VirtualChip reloaded(vcard::load_card_image(path));
    EXPECT_EQ(reloaded.life_cycle(), perso::LifeCycle::Locked);
    EXPECT_EQ(reloaded.contents().files, chip.contents().files);
    EXPECT_EQ(protocol::encode_subject_public_key_info(reloaded.contents().active_auth_key),
              protocol::encode_subject_public_key_info(chip.contents().active_auth_key));
    EXPECT_EQ(issuer.read(reloaded, card.can).overall, pa::Verdict::Pass);
    std::filesystem::remove_all(dir);
}

TEST(CardImage, RoundTripsABlankChipWithItsTransportKey) {
    auto blank = vcard::make_blank_chip(kTransportKey);
    SecretBytes image = vcard::encode_card_image(blank);
    auto back = vcard::decode_card_image(image.view());
    EXPECT_EQ(back.life_cycle, perso::LifeCycle::Blank);
    EXPECT_EQ(back.transport_key.view().size(), 16u);
    EXPECT_TRUE(back.transport_key == blank.transport_key);
    EXPECT_EQ(back.chip_serial, blank.chip_serial);
    EXPECT_EQ(vcard::encode_card_image(back).copy(), image.copy());
}

TEST(CardImage, RefusesWhatIsNotACardImage) {
    auto blank = vcard::make_blank_chip(kTransportKey);
    Bytes image = vcard::encode_card_image(blank).copy();
    EXPECT_THROW(vcard::decode_card_image(from_hex("00112233")), ParseError);
    EXPECT_THROW(vcard::decode_card_image(ByteView(image).first(image.size() - 1)), ParseError);
    Bytes bad_state = image;
    bad_state[10] = 0x07;  // 80 01 <state>
    EXPECT_THROW(vcard::decode_card_image(bad_state), ParseError);
    Bytes twice = image;
    append(twice, from_hex("A009830201015303010203"));
    append(twice, from_hex("A009830201015303010203"));
    EXPECT_THROW(vcard::decode_card_image(twice), ParseError);
    EXPECT_THROW(vcard::load_card_image("/nonexistent/card.img"), Error);
}
