// Card session flows driven by a scripted channel, APDU by APDU: what the reader sends in the plain
// phase (EF.CardAccess, MSE:Set AT, the first GENERAL AUTHENTICATE, SELECT application, GET CHALLENGE)
// and how it reacts to a missing file, a wrong CAN, an unexpected status word, a card removed and a
// malformed answer. Also the scripted channel itself: patterns, mismatches, the end of the script.
#include "tests/fixtures/scripted_channel.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "base/error.hpp"
#include "card/session/card_session.hpp"

using namespace cccd;
using namespace cccd::session;
using cccd::channel::CardRemovedError;
using fixtures::kCardRemoved;
using fixtures::ScriptedChannel;
using fixtures::ScriptMismatchError;

namespace {

// The APDUs of the plain phase, as card_session.cpp sends them (apdu.hpp builders).
// EF.CardAccess's first block, by its short EF identifier 1C (which selects it): a full short block,
// whose first bytes give the size.
constexpr const char* kReadCardAccess = "00 B0 9C 00 DF";
constexpr const char* kSelectApplication = "00 A4 04 0C 07 A0 00 00 02 47 10 01";
constexpr const char* kGetChallenge = "00 84 00 00 08";
// MSE:Set AT for PACE: id-PACE-ECDH-GM-AES-CBC-CMAC-128 (from the CCCD's EF.CardAccess), password 02
// (CAN) or 01 (MRZ), brainpoolP256r1 (parameter 13).
constexpr const char* kMseSetAtPaceCan = "00 22 C1 A4 12 80 0A 04 00 7F 00 07 02 02 04 02 02 83 01 02 84 01 0D";
constexpr const char* kMseSetAtPaceMrz = "00 22 C1 A4 12 80 0A 04 00 7F 00 07 02 02 04 02 02 83 01 01 84 01 0D";
// GENERAL AUTHENTICATE step 1: chained (CLA 10), empty dynamic data 7C 00, Le 00.
constexpr const char* kPaceStep1 = "10 86 00 00 02 7C 00 00";

// The ICAO 9303 Part 11 Appendix D example: document L898902C<, born 1969-08-06, expires 1994-06-23.
constexpr const char* kMrzInformation = "L898902C<369080619406236";

// The EF.CardAccess of a real CCCD (54 bytes), as answers to the session's READ BINARY.
struct CardAccessReads {
    std::string whole;   // the first block: all 54 bytes and 9000
    std::string header;  // a card that answers the first block short: 8 bytes and 9000
    std::string rest;    // then the remaining 46 bytes at offset 8, with 9000
};
CardAccessReads real_card_access() {
    std::ifstream in(std::string(CCCD_TEST_DATA_DIR) + "/card_access_cccd.bin", std::ios::binary);
    Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() != 54) throw std::runtime_error("tests/data/card_access_cccd.bin: expected 54 bytes");
    return {to_hex(bytes) + "9000", to_hex(ByteView(bytes).first(8)) + "9000", to_hex(ByteView(bytes).subspan(8)) + "9000"};
}

SessionOptions with_can() {
    SessionOptions o;
    o.can = "123456";
    return o;
}

SessionOptions with_mrz() {
    SessionOptions o;
    o.mrz_information = kMrzInformation;
    return o;
}

// Runs read_card and returns the exception of type E it throws; fails the test if it throws none.
template <typename E>
std::string error_of(ScriptedChannel& channel, const SessionOptions& options) {
    try {
        read_card(channel, options);
    } catch (const E& e) {
        return e.what();
    }
    ADD_FAILURE() << "read_card did not throw the expected error";
    return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// ---------------- the scripted channel itself ----------------

TEST(ScriptedChannel, PlaysResponsesInOrderAndCountsWhatIsLeft) {
    ScriptedChannel channel({{"00 A4 02 0C 02 01 1C", "6A82"}, {"00 B0 00 00 08", "0102 9000"}});
    EXPECT_EQ(channel.remaining(), 2u);
    EXPECT_FALSE(channel.done());
    EXPECT_EQ(channel.transmit(from_hex("00A4020C02011C")), from_hex("6A82"));
    EXPECT_EQ(channel.remaining(), 1u);
    EXPECT_EQ(channel.transmit(from_hex("00B0000008")), from_hex("01029000"));
    EXPECT_TRUE(channel.done());
    ASSERT_EQ(channel.sent().size(), 2u);
    EXPECT_EQ(channel.sent()[1], from_hex("00B0000008"));
}

TEST(ScriptedChannel, SingleByteWildcardsMatchAnyByteButNotAMissingOne) {
    ScriptedChannel channel({{"00 B0 ?? ?? 08", "9000"}, {"00 b0 ?? ?? 08", "9000"}, {"00 B0 ?? ?? 08", "9000"}});
    EXPECT_NO_THROW(channel.transmit(from_hex("00B0123408")));
    EXPECT_NO_THROW(channel.transmit(from_hex("00B0FFFF08")));  // lower-case hex in the pattern too
    EXPECT_THROW(channel.transmit(from_hex("00B01208")), ScriptMismatchError);  // one byte short
}

TEST(ScriptedChannel, WithoutATailWildcardTheLengthMustBeExact) {
    ScriptedChannel channel({{"00 B0 00 00 08", "9000"}});
    EXPECT_THROW(channel.transmit(from_hex("00B000000800")), ScriptMismatchError);
}

TEST(ScriptedChannel, TailWildcardMatchesZeroOrMoreRemainingBytes) {
    ScriptedChannel channel({{"0C B0 ??*", "9000"}, {"0C B0 ?? *", "9000"}, {"*", "9000"}, {"0C B0 ??*", "9000"}});
    EXPECT_NO_THROW(channel.transmit(from_hex("0CB000")));
    EXPECT_NO_THROW(channel.transmit(from_hex("0CB0000D97010E8E08")));
    EXPECT_NO_THROW(channel.transmit(from_hex("FF")));
    EXPECT_THROW(channel.transmit(from_hex("0CB0")), ScriptMismatchError);  // "??" still needs its byte
}

TEST(ScriptedChannel, AMismatchNamesTheStepThePatternAndTheBytesSent) {
    ScriptedChannel channel({{"00 A4 02 0C 02 01 1C", "9000"}, {"00 A4 02 0C 02 01 1E", "9000"}, {"*", "9000"}});
    channel.transmit(from_hex("00A4020C02011C"));
    try {
        channel.transmit(from_hex("00A4020C020101"));
        FAIL() << "a wrong command was accepted";
    } catch (const ScriptMismatchError& e) {
        std::string message = e.what();
        EXPECT_TRUE(contains(message, "step 2 of 3")) << message;
        EXPECT_TRUE(contains(message, "expected 00 A4 02 0C 02 01 1E")) << message;
        EXPECT_TRUE(contains(message, "sent 00 A4 02 0C 02 01 01")) << message;
    }
    EXPECT_EQ(channel.remaining(), 2u);  // the mismatched step was not consumed
}

TEST(ScriptedChannel, ACommandAfterTheEndOfTheScriptIsAnError) {
    ScriptedChannel channel({{kGetChallenge, "0102030405060708 9000"}});
    channel.transmit(from_hex("0084000008"));
    try {
        channel.transmit(from_hex("0084000008"));
        FAIL() << "a command past the end of the script was accepted";
    } catch (const ScriptMismatchError& e) {
        EXPECT_TRUE(contains(e.what(), "ended after 1 step, but the reader sent another command")) << e.what();
        EXPECT_TRUE(contains(e.what(), "00 84 00 00 08")) << e.what();
    }
}

TEST(ScriptedChannel, ACardRemovedStepThrowsCardRemovedAndIsConsumed) {
    ScriptedChannel channel({{kGetChallenge, kCardRemoved}, {kGetChallenge, "9000"}});
    EXPECT_THROW(channel.transmit(from_hex("0084000008")), CardRemovedError);
    EXPECT_EQ(channel.remaining(), 1u);
    EXPECT_EQ(channel.transmit(from_hex("0084000008")), from_hex("9000"));  // placed again
}

TEST(ScriptedChannel, MalformedPatternsAndResponsesAreRefusedUpFrontNamingTheStep) {
    for (const char* bad : {"00 G4", "00 A", "0 0", "00 ?0", "00 * 01", "**", "", "   "}) {
        EXPECT_THROW(ScriptedChannel({{"00", "9000"}, {bad, "9000"}}), InvalidArgument) << "pattern \"" << bad << "\"";
    }
    EXPECT_THROW(ScriptedChannel({{"00", "90 0X"}}), InvalidArgument);
    try {
        ScriptedChannel({{"00", "9000"}, {"00", "9000"}, {"00 A4 ZZ", "9000"}});
        FAIL() << "bad hex accepted";
    } catch (const InvalidArgument& e) {
        EXPECT_TRUE(contains(e.what(), "step 3")) << e.what();
        EXPECT_TRUE(contains(e.what(), "00 A4 ZZ")) << e.what();
    }
}

TEST(ScriptedChannel, ExtendedLengthIsWhatTheTestSays) {
    EXPECT_FALSE(ScriptedChannel({}).extended_length());
    EXPECT_TRUE(ScriptedChannel({}, true).extended_length());
}

// ---------------- session flows ----------------

TEST(ScriptedSession, NoCardAccessAndNoMrzSaysTheMrzIsNeeded) {
    ScriptedChannel channel({{kReadCardAccess, "6A82"}});
    std::string message = error_of<AccessDeniedError>(channel, with_can());
    EXPECT_TRUE(contains(message, "needs the MRZ")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, CardAccessReadInTwoPiecesThenAWrongCanAtTheFirstGeneralAuthenticate) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.header},  // a short read: 8 of the 223 bytes asked for
        {"00 B0 00 08 2E", card_access.rest},   // the 46 left, at offset 8
        {kMseSetAtPaceCan, "9000"},
        {kPaceStep1, "6300"},
    });
    std::string message = error_of<AccessDeniedError>(channel, with_can());
    EXPECT_TRUE(contains(message, "the CAN is wrong")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, WithTheMrzPaceUsesPasswordReference01AndAFailureBlamesTheMrz) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.whole},
        {kMseSetAtPaceMrz, "9000"},
        {kPaceStep1, "6300"},
    });
    std::string message = error_of<AccessDeniedError>(channel, with_mrz());
    EXPECT_TRUE(contains(message, "MRZ data is wrong")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AnUnexpectedStatusWordAtMseSetAtIsAProtocolErrorAtPaceStep0) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.whole},
        {kMseSetAtPaceCan, "6A80"},
    });
    try {
        read_card(channel, with_can());
        FAIL() << "the session went on after 6A80";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "PACE");
        EXPECT_EQ(e.step(), 0);
        EXPECT_TRUE(contains(e.what(), "6A80")) << e.what();
    }
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AMalformedEncryptedNonceIsAProtocolErrorAtPaceStep1) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.whole},
        {kMseSetAtPaceCan, "9000"},
        {kPaceStep1, "7C 00 9000"},  // success, but no encrypted nonce inside
    });
    try {
        read_card(channel, with_can());
        FAIL() << "PACE went on without a nonce";
    } catch (const ProtocolError& e) {
        EXPECT_EQ(e.protocol(), "PACE");
        EXPECT_EQ(e.step(), 1);
    }
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, ACardRemovedDuringTheGetChallengeOfBacEndsTheSession) {
    ScriptedChannel channel({
        {kReadCardAccess, "6A82"},  // no PACE: BAC with the MRZ
        {kSelectApplication, "9000"},
        {kGetChallenge, kCardRemoved},
    });
    EXPECT_THROW(read_card(channel, with_mrz()), CardRemovedError);
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, ACardAccessThatNeedsSecureMessagingCountsAsAbsent) {
    ScriptedChannel channel({
        {kReadCardAccess, "6982"},
        {kSelectApplication, "9000"},
        {kGetChallenge, kCardRemoved},
    });
    EXPECT_THROW(read_card(channel, with_mrz()), CardRemovedError);
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AnUnexpectedStatusWordAtSelectApplicationIsAProtocolErrorNamingTheStep) {
    ScriptedChannel channel({
        {kReadCardAccess, "6A82"},
        {kSelectApplication, "6A82"},  // not an eMRTD
    });
    std::string message = error_of<ProtocolError>(channel, with_mrz());
    EXPECT_TRUE(contains(message, "SELECT eMRTD application")) << message;
    EXPECT_TRUE(contains(message, "6A82")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AnUnexpectedStatusWordAtReadCardAccessIsAProtocolError) {
    ScriptedChannel channel({{kReadCardAccess, "6F00"}});
    std::string message = error_of<ProtocolError>(channel, with_can());
    EXPECT_TRUE(contains(message, "READ BINARY EF.CardAccess")) << message;
    EXPECT_TRUE(contains(message, "6F00")) << message;
}

TEST(ScriptedSession, AOneByteResponseIsAParseErrorNotACrash) {
    ScriptedChannel channel({{kReadCardAccess, "90"}});
    EXPECT_THROW(read_card(channel, with_can()), ParseError);
    EXPECT_TRUE(channel.done());

    ScriptedChannel empty({{kReadCardAccess, ""}});
    EXPECT_THROW(read_card(empty, with_can()), ParseError);
}

TEST(ScriptedSession, AOneByteResponseMidFileIsAParseError) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.header},
        {"00 B0 00 08 2E", "31"},
    });
    EXPECT_THROW(read_card(channel, with_can()), ParseError);
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AFileThatStopsBeforeItsAnnouncedSizeIsAProtocolError) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, card_access.header},
        {"00 B0 00 08 2E", "9000"},  // no data
    });
    std::string message = error_of<ProtocolError>(channel, with_can());
    EXPECT_TRUE(contains(message, "EF.CardAccess ended before its announced size")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, AFileHeaderAnnouncingAnImpossibleSizeIsAParseError) {
    ScriptedChannel channel({
        {kReadCardAccess, "31 83 FF FF FF 30 00 30 9000"},  // 16 MB, where nothing on a CCCD nears 1 MB
    });
    EXPECT_THROW(read_card(channel, with_can()), ParseError);
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, WithExtendedLengthTheFirstBlockIsTheLargestThen2048Then223On6700) {
    ScriptedChannel channel(
        {
            {"00 B0 9C 00 00 FF DF", "6700"},  // as much as an extended answer holds: the chip refuses
            {"00 B0 9C 00 00 08 00", "6700"},  // 2048 bytes: refused too
            {kReadCardAccess, kCardRemoved},   // back to 223-byte blocks
        },
        /*extended_length=*/true);
    EXPECT_THROW(read_card(channel, with_can()), CardRemovedError);
    EXPECT_TRUE(channel.done());
}

// A card that does not take a short EF identifier in READ BINARY gets SELECT and the read by offset.
TEST(ScriptedSession, ACardThatRefusesShortEfIdentifiersIsReadAfterASelect) {
    CardAccessReads card_access = real_card_access();
    ScriptedChannel channel({
        {kReadCardAccess, "6A86"},  // incorrect P1-P2: no short EF identifiers here
        {"00 A4 02 0C 02 01 1C", "9000"},
        {"00 B0 00 00 DF", card_access.whole},
        {kMseSetAtPaceCan, "9000"},
        {kPaceStep1, "6300"},
    });
    std::string message = error_of<AccessDeniedError>(channel, with_can());
    EXPECT_TRUE(contains(message, "the CAN is wrong")) << message;
    EXPECT_TRUE(channel.done());
}

TEST(ScriptedSession, WithoutExtendedLengthBlocksAre223BytesFromTheStart) {
    ScriptedChannel channel({
        {kReadCardAccess, "31 82 01 2C 30 00 30 00 9000"},  // a 304-byte file, answered short
        {"00 B0 00 08 DF", kCardRemoved},
    });
    EXPECT_THROW(read_card(channel, with_can()), CardRemovedError);
    EXPECT_TRUE(channel.done());
}

// A card reset (or pulled and placed again) forgets the selected application: every session starts from
// EF.CardAccess and selects the application itself, never trusting what an earlier session selected.
TEST(ScriptedSession, AfterAResetTheNextSessionSelectsTheApplicationAgain) {
    ScriptedChannel channel({
        {kReadCardAccess, "6A82"},
        {kSelectApplication, "9000"},
        {kGetChallenge, kCardRemoved},  // reset in the middle of BAC
        {kReadCardAccess, "6A82"},
        {kSelectApplication, "9000"},   // selected again
        {kGetChallenge, kCardRemoved},
    });
    EXPECT_THROW(read_card(channel, with_mrz()), CardRemovedError);
    EXPECT_THROW(read_card(channel, with_mrz()), CardRemovedError);
    EXPECT_TRUE(channel.done());
}
