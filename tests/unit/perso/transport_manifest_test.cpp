// The card maker's batch manifest: the exact text written, read back; lenient about what people and
// other tools do to a text file; refusing what would give a card the wrong key, never echoing a key.
#include "card/perso/transport_manifest.hpp"

#include <gtest/gtest.h>

#include "base/error.hpp"

using namespace cccd;
using namespace cccd::perso;

namespace {

TransportManifest two_cards() {
    TransportManifest m;
    m.batch = "LOT-2026-0042";
    m.cards.push_back({from_hex("0011223344556677"), SecretBytes(from_hex("000102030405060708090A0B0C0D0E0F"))});
    m.cards.push_back({from_hex("8899AABBCCDDEEFF"), SecretBytes(from_hex("F0E0D0C0B0A090807060504030201000"))});
    return m;
}

std::string refusal_of(const std::string& text) {
    try {
        parse_transport_manifest(text);
    } catch (const ParseError& e) {
        return e.what();
    }
    return "accepted";
}

}  // namespace

TEST(TransportManifest, WritesTheExactFormAndReadsItBack) {
    const std::string text = write_transport_manifest(two_cards());
    EXPECT_EQ(text,
              "# cccd transport keys 1\n"
              "batch: LOT-2026-0042\n"
              "0011223344556677 000102030405060708090A0B0C0D0E0F\n"
              "8899AABBCCDDEEFF F0E0D0C0B0A090807060504030201000\n");
    const TransportManifest back = parse_transport_manifest(text);
    EXPECT_EQ(back.batch, "LOT-2026-0042");
    ASSERT_EQ(back.cards.size(), 2u);
    EXPECT_EQ(back.cards[1].chip_serial, from_hex("8899AABBCCDDEEFF"));
    EXPECT_TRUE(back.cards[1].key == SecretBytes(from_hex("F0E0D0C0B0A090807060504030201000")));
}

TEST(TransportManifest, ReadsCrlfLowerCaseTabsCommentsAndNoFinalNewline) {
    const TransportManifest m = parse_transport_manifest(
        "# cccd transport keys 1\r\n"
        "# shipped 2026-12-01 by the card maker\r\n"
        "batch:   LOT-7\r\n"
        "\r\n"
        "0011223344556677\t\t000102030405060708090a0b0c0d0e0f\r\n"
        "  8899aabbccddeeff   f0e0d0c0b0a090807060504030201000");
    EXPECT_EQ(m.batch, "LOT-7");
    ASSERT_EQ(m.cards.size(), 2u);
    EXPECT_EQ(m.cards[0].chip_serial, from_hex("0011223344556677"));
    EXPECT_TRUE(m.cards[1].key == SecretBytes(from_hex("F0E0D0C0B0A090807060504030201000")));
}

TEST(TransportManifest, RefusesWhatWouldGiveACardTheWrongKeyNamingTheLine) {
    const std::string head = "# cccd transport keys 1\nbatch: B1\n";
    EXPECT_NE(refusal_of("serial,key\n0011 00\n").find("line 1: not a transport key manifest"), std::string::npos);
    EXPECT_NE(refusal_of("").find("line 1"), std::string::npos);
    EXPECT_NE(refusal_of("# cccd transport keys 1\n0011223344556677 000102030405060708090A0B0C0D0E0F\n").find("no \"batch:\" line"),
              std::string::npos);
    EXPECT_NE(refusal_of(head + "batch: B2\n").find("line 3: a second batch line"), std::string::npos);
    EXPECT_NE(refusal_of("# cccd transport keys 1\nbatch: bad name!\n").find("line 2: the batch name"), std::string::npos);
    EXPECT_NE(refusal_of(head + "0011223344556677\n").find("line 3: expected a chip serial and a key"), std::string::npos);
    EXPECT_NE(refusal_of(head + "00112233445566 000102030405060708090A0B0C0D0E\n").find("line 3: the transport key"),
              std::string::npos);
    EXPECT_NE(refusal_of(head + "XYZ 000102030405060708090A0B0C0D0E0F\n").find("line 3: the chip serial"), std::string::npos);
    EXPECT_NE(refusal_of(head + std::string(66, 'A') + " 000102030405060708090A0B0C0D0E0F\n").find("line 3: the chip serial"),
              std::string::npos);
    // The same serial twice: which key is right cannot be known.
    const std::string twice = head + "0011223344556677 000102030405060708090A0B0C0D0E0F\n"
                                     "0011223344556677 F0E0D0C0B0A090807060504030201000\n";
    EXPECT_NE(refusal_of(twice).find("line 4: a second key for chip serial 0011223344556677"), std::string::npos);
}

TEST(TransportManifest, NeverEchoesAKeyInARefusal) {
    const std::string key_like = "000102030405060708090A0B0C0D0E0F00";  // 17 bytes: refused
    const std::string message = refusal_of("# cccd transport keys 1\nbatch: B1\n0011223344556677 " + key_like + "\n");
    EXPECT_NE(message.find("line 3"), std::string::npos);
    EXPECT_EQ(message.find("000102030405"), std::string::npos) << message;
}

TEST(TransportManifest, RefusesAFileLargerThanTheBound) {
    std::string huge = "# cccd transport keys 1\nbatch: B1\n";
    huge.resize(kMaxManifestBytes + 1, '#');
    EXPECT_NE(refusal_of(huge).find("larger than"), std::string::npos);
}

TEST(TransportManifest, WritingRefusesWhatCannotBeReadBack) {
    TransportManifest m = two_cards();
    m.batch = "with space";
    EXPECT_THROW(write_transport_manifest(m), InvalidArgument);
    m = two_cards();
    m.cards[0].key = SecretBytes(from_hex("0001"));
    EXPECT_THROW(write_transport_manifest(m), InvalidArgument);
    m = two_cards();
    m.cards[0].chip_serial.clear();
    EXPECT_THROW(write_transport_manifest(m), InvalidArgument);
}
