// The I/O loops of card/channel against the virtual chip: PACE and BAC open secure messaging or report
// the card's refusal as a value (step and status word); read_file reads a file whole with progress and
// reports a missing one as absent; write_file and read_back move a file of any size in blocks, short or
// extended, and a refusal names the command.
#include "card/channel/access.hpp"
#include "card/channel/files.hpp"

#include <gtest/gtest.h>

#include "card/lds/dg1.hpp"
#include "card/lds/lds_file.hpp"
#include "card/mrz/mrz.hpp"
#include "card/perso/commands.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "tests/fixtures/scripted_channel.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

using namespace cccd;
using channel::AccessOutcome;
using channel::SecureChannel;
namespace pace = protocol::pace;

namespace {

const Bytes kTransportKey = from_hex("000102030405060708090A0B0C0D0E0F");

// Another owner of the same key, so several chips can be made from one sample card.
crypto::PKeyPtr shared(const crypto::PKeyPtr& key) {
    EVP_PKEY_up_ref(key.get());
    return crypto::PKeyPtr(key.get());
}

// An issued sample card (a DG2 of about 15 KB) on a virtual chip.
struct IssuedChip {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::SampleCard sample;
    std::string can, mrz_information;

    IssuedChip() {
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
        jpeg.resize(15000, 0x5A);
        append(jpeg, from_hex("FFD9"));
        fixtures::SampleCitizen citizen = fixtures::sample_citizen();
        sample = fixtures::make_sample_card(citizen, jpeg, pki.ds);
        can = mrz::can_from_id_number(citizen.person.personal_id);
        mrz_information = mrz::mrz_information(mrz::parse_td1(lds::decode_dg1(sample.files.at("DG1")).mrz));
    }
    vcard::ChipContents contents() const {
        vcard::ChipContents c;
        for (const auto& [name, bytes] : sample.files) c.files[lds::file_info(*lds::file_by_name(name)).fid] = bytes;
        c.can = can;
        c.mrz_information = mrz_information;
        c.active_auth_key = shared(sample.active_auth_key);
        c.chip_auth_key = shared(sample.chip_auth_key);
        return c;
    }
};

pace::PaceTerminal can_terminal(const std::string& can) {
    return pace::PaceTerminal(std::string(pace::kEcdhGmAes128), 13, pace::PasswordType::Can, can);
}

AccessOutcome open_with_transport_key(SecureChannel& link, ByteView key) {
    EXPECT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
    std::string_view password(reinterpret_cast<const char*>(key.data()), key.size());
    pace::PaceTerminal terminal(std::string(pace::kEcdhGmAes128), 13, pace::PasswordType::TransportKey, password);
    return channel::run_pace(link, terminal);
}

Bytes pattern(std::size_t size) {
    Bytes b(size);
    for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    return b;
}

}  // namespace

TEST(RunPace, OpensSecureMessagingWithTheRightCan) {
    IssuedChip card;
    vcard::VirtualChip chip(card.contents());
    vcard::ChipChannel transport(chip);
    SecureChannel link(transport);
    pace::PaceTerminal terminal = can_terminal(card.can);
    AccessOutcome outcome = channel::run_pace(link, terminal);
    EXPECT_TRUE(outcome.opened());
    EXPECT_TRUE(link.secure());
    EXPECT_TRUE(chip.secure_messaging_active());
    EXPECT_EQ(link.traffic().apdus, 5u);  // MSE:Set AT and four GENERAL AUTHENTICATEs
    EXPECT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
}

TEST(RunPace, AWrongCanIsARefusalAtTheLastStepAndNoSession) {
    IssuedChip card;
    vcard::VirtualChip chip(card.contents());
    vcard::ChipChannel transport(chip);
    SecureChannel link(transport);
    pace::PaceTerminal terminal = can_terminal(card.can == "000000" ? "000001" : "000000");
    AccessOutcome outcome = channel::run_pace(link, terminal);
    EXPECT_EQ(outcome.kind, AccessOutcome::Kind::Refused);
    EXPECT_EQ(outcome.step, channel::kPaceLastStep);
    EXPECT_TRUE(outcome.wrong_password());
    EXPECT_FALSE(link.secure());
}

TEST(RunPace, ALockedChipRefusesTheTransportKeyAtMseSetAt) {
    IssuedChip card;  // issued: locked, the transport key forgotten
    vcard::VirtualChip chip(card.contents());
    vcard::ChipChannel transport(chip);
    SecureChannel link(transport);
    AccessOutcome outcome = open_with_transport_key(link, kTransportKey);
    EXPECT_EQ(outcome.kind, AccessOutcome::Kind::Refused);
    EXPECT_EQ(outcome.step, 0);
    EXPECT_EQ(outcome.status_word, apdu::sw::kReferencedDataNotFound);
    EXPECT_FALSE(outcome.wrong_password());
}

TEST(RunBac, OpensTripleDesSecureMessagingWithTheMrzAndRefusesAWrongOne) {
    IssuedChip card;
    vcard::VirtualChip chip(card.contents());
    vcard::ChipChannel transport(chip);
    {
        SecureChannel link(transport);
        EXPECT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
        auto keys = protocol::bac::derive_access_keys(mrz::bac_key_seed(card.mrz_information).view());
        EXPECT_TRUE(channel::run_bac(link, keys).opened());
        EXPECT_EQ(link.send_sequence_counter().size(), 8u);  // 3DES session
        auto dg1 = channel::read_file(link, lds::file_info(lds::LdsFile::Dg1));
        ASSERT_TRUE(dg1.has_value());
        EXPECT_EQ(*dg1, card.sample.files.at("DG1"));
    }
    chip.reset();
    SecureChannel link(transport);
    EXPECT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
    std::string wrong = card.mrz_information;
    wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
    AccessOutcome outcome = channel::run_bac(link, protocol::bac::derive_access_keys(mrz::bac_key_seed(wrong).view()));
    EXPECT_EQ(outcome.kind, AccessOutcome::Kind::Refused);
    EXPECT_EQ(outcome.step, 2);
    EXPECT_EQ(outcome.status_word, apdu::sw::kAuthenticationFailed);
    EXPECT_FALSE(link.secure());
}

TEST(ReadFile, ReadsAWholeFileWithProgressInShortOrExtendedBlocks) {
    IssuedChip card;
    for (bool extended : {false, true}) {
        vcard::VirtualChip chip(card.contents());
        vcard::ChipChannel transport(chip, extended);
        SecureChannel link(transport);
        pace::PaceTerminal terminal = can_terminal(card.can);
        ASSERT_TRUE(channel::run_pace(link, terminal).opened());
        ASSERT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
        std::vector<channel::Progress> progress;
        {
            channel::Traffic before = link.traffic();
            auto dg2 = channel::read_file(link, lds::file_info(lds::LdsFile::Dg2),
                                          [&](const channel::Progress& p) { progress.push_back(p); });
            ASSERT_TRUE(dg2.has_value());
            EXPECT_EQ(*dg2, card.sample.files.at("DG2"));
            std::size_t size = dg2->size();
            std::size_t block = extended ? channel::largest_read_block(65536) : channel::kShortBlock;
            // Full blocks from the first on, the first by short EF identifier (no SELECT, no header read):
            // with extended length the whole 15 KB in one READ BINARY.
            EXPECT_EQ((link.traffic() - before).apdus, (size + block - 1) / block) << "extended " << extended;
            if (extended) {
                EXPECT_EQ((link.traffic() - before).apdus, 1u);
            }
        }
        ASSERT_FALSE(progress.empty());
        EXPECT_EQ(progress.front().file, "DG2");
        EXPECT_EQ(progress.front().read, extended ? card.sample.files.at("DG2").size() : channel::kShortBlock);
        EXPECT_EQ(progress.front().total, card.sample.files.at("DG2").size());
        EXPECT_EQ(progress.back().read, progress.back().total);
        EXPECT_EQ(progress.back().total, card.sample.files.at("DG2").size());
    }
}

TEST(ReadFile, TheLargestBlockFillsTheAnswerWithTheSecureMessagingAroundIt) {
    EXPECT_EQ(channel::largest_read_block(256), channel::kShortBlock);  // 223
    EXPECT_EQ(channel::largest_read_block(65536), 65503u);
    EXPECT_EQ(channel::largest_read_block(3072 - 2), 3039u);  // a reader with a 3 KB buffer
}

TEST(ReadFile, AFileTheCardDoesNotHaveIsAbsentAndAnotherRefusalNamesTheCommand) {
    IssuedChip card;
    vcard::VirtualChip chip(card.contents());
    vcard::ChipChannel transport(chip);
    SecureChannel link(transport);
    // DG5 is not on the card (6A82); DG2 may not be read without access control (6982).
    ASSERT_TRUE(link.send(apdu::select_application(apdu::emrtd_aid())).ok());
    EXPECT_FALSE(channel::read_file(link, lds::file_info(lds::LdsFile::Dg5)).has_value());
    EXPECT_FALSE(channel::read_file(link, lds::file_info(lds::LdsFile::Dg2)).has_value());
    fixtures::ScriptedChannel script({{"00 B0 81 00 DF", "6985"}});
    SecureChannel scripted(script);
    try {
        channel::read_file(scripted, lds::file_info(lds::LdsFile::Dg1));
        FAIL() << "no refusal";
    } catch (const channel::CommandRefusedError& e) {
        EXPECT_EQ(e.command(), "READ BINARY DG1");
        EXPECT_EQ(e.ins(), apdu::kInsReadBinary);
        EXPECT_EQ(e.status_word(), apdu::sw::kConditionsNotSatisfied);
        EXPECT_EQ(std::string(e.what()),
                  "read step 0: READ BINARY DG1: " + apdu::describe_status_word(apdu::sw::kConditionsNotSatisfied));
    }
    // A card that does not take short EF identifiers gets SELECT, whose refusal is named the same way.
    fixtures::ScriptedChannel selecting({{"00 B0 81 00 DF", "6A86"}, {"00 A4 02 0C 02 01 01", "6985"}});
    SecureChannel selecting_link(selecting);
    try {
        channel::read_file(selecting_link, lds::file_info(lds::LdsFile::Dg1));
        FAIL() << "no refusal";
    } catch (const channel::CommandRefusedError& e) {
        EXPECT_EQ(e.command(), "SELECT DG1");
        EXPECT_EQ(e.ins(), apdu::kInsSelect);
    }
}

TEST(WriteFile, WritesAndReadsBackAFileBeyond32KInShortAndExtendedBlocks) {
    for (bool extended : {false, true}) {
        vcard::ChipContents blank = vcard::make_blank_chip(kTransportKey);
        blank.extended_length = extended;
        vcard::VirtualChip chip(std::move(blank));
        vcard::ChipChannel transport(chip, extended);
        SecureChannel link(transport);
        ASSERT_TRUE(open_with_transport_key(link, kTransportKey).opened());
        Bytes content = pattern(0x8000 + 300);  // the last blocks need the odd instructions (D7, B1)
        ASSERT_TRUE(link.send(perso::create_file({0x0102, content.size(), std::nullopt})).ok());
        channel::Traffic before = link.traffic();
        channel::write_file(link, "DG2", content);
        std::size_t block = extended ? channel::kExtendedWriteBlock : channel::kShortBlock;
        EXPECT_EQ((link.traffic() - before).apdus, (content.size() + block - 1) / block) << "extended " << extended;
        EXPECT_EQ(chip.contents().files.at(0x0102), content);
        EXPECT_EQ(channel::read_back(link, "DG2", content.size()), content);
    }
}

TEST(WriteFile, ARefusedBlockNamesTheCommandAndTheStatusWord) {
    vcard::VirtualChip chip(vcard::make_blank_chip(kTransportKey));
    vcard::ChipChannel transport(chip);
    SecureChannel link(transport);
    ASSERT_TRUE(open_with_transport_key(link, kTransportKey).opened());
    ASSERT_TRUE(link.send(perso::create_file({0x0101, 10, std::nullopt})).ok());
    try {
        channel::write_file(link, "DG1", pattern(20));  // more than the file holds
        FAIL() << "no refusal";
    } catch (const channel::CommandRefusedError& e) {
        EXPECT_EQ(e.command(), "UPDATE BINARY DG1");
        EXPECT_EQ(e.ins(), apdu::kInsUpdateBinary);
        EXPECT_EQ(e.status_word(), apdu::sw::kWrongLength);
    }
    EXPECT_TRUE(link.secure());  // a refusal is not a secure messaging failure: the session goes on
}
