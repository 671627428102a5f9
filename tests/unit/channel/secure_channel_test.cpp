// SecureChannel: commands wrapped and responses unwrapped byte for byte (ICAO 9303 Part 11 Appendix D),
// a round trip against the card side of card/sm, the send sequence counter advancing, and the session
// ending for good at the first response that fails its MAC: nothing is transmitted after it.
#include "card/channel/secure_channel.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "base/error.hpp"
#include "tests/fixtures/scripted_channel.hpp"

using namespace cccd;
using apdu::CommandApdu;
using apdu::ResponseApdu;
using channel::SecureChannel;

namespace {

// The BAC session keys of Appendix D.4 and its SSC after MUTUAL AUTHENTICATE.
sm::SecureMessaging appendix_d_session() {
    return sm::SecureMessaging::tdes(SecretBytes(from_hex("979EC13B1CBFE9DCD01AB0FED307EAE5")),
                                     SecretBytes(from_hex("F1CB1F1FB5ADF208806B89DC579DC1F8")), from_hex("887022120C06C226"));
}

sm::SecureMessaging aes_session() {
    return sm::SecureMessaging::aes(SecretBytes(from_hex("F5F0E35C0D7161EE6724EE513A0D9A7F")),
                                     SecretBytes(from_hex("FE251C7858B356B24514B3BD5F4297D1")));
}

// A card that answers under secure messaging with the card side of card/sm: it unwraps each command,
// lets `answer` reply in plain, and wraps the reply. `tamper` may spoil the protected response.
class CardSide : public channel::CardChannel {
public:
    explicit CardSide(sm::SecureMessaging session) : sm_(std::move(session)) {}
    Bytes transmit(ByteView command) override {
        ++transmitted;
        CommandApdu plain = sm_.unwrap_command(CommandApdu::parse(command));
        received.push_back(plain);
        Bytes response = sm_.wrap_response(answer(plain)).encode();
        if (tamper) tamper(response);
        return response;
    }
    ByteView ssc() const { return sm_.ssc(); }

    std::function<ResponseApdu(const CommandApdu&)> answer = [](const CommandApdu& c) {
        return ResponseApdu{Bytes{c.ins, c.p1, c.p2}, apdu::sw::kOk};  // echoes the header as data
    };
    std::function<void(Bytes&)> tamper;
    std::vector<CommandApdu> received;
    std::size_t transmitted = 0;

private:
    sm::SecureMessaging sm_;
};

}  // namespace

TEST(SecureChannel, WrapsAndUnwrapsAppendixDByteForByte) {
    fixtures::ScriptedChannel card({
        {"0C A4 02 0C 15 87 09 01 63 75 43 29 08 C0 44 F6 8E 08 BF 8B 92 D6 35 FF 24 F8 00",
         "990290008E08FA855A5D4C50A8ED9000"},
        {"0C B0 00 00 0D 97 01 04 8E 08 ED 67 05 41 7E 96 BA 55 00", "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000"},
        {"0C B0 00 04 0D 97 01 12 8E 08 2E A2 8A 70 F3 C7 B5 35 00",
         "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000"},
    });
    SecureChannel link(card);
    EXPECT_FALSE(link.secure());
    link.start(appendix_d_session());
    EXPECT_TRUE(link.secure());
    EXPECT_TRUE(link.send(apdu::select_file(0x011E)).ok());
    EXPECT_EQ(to_hex(link.send_sequence_counter()), "887022120C06C228");
    Bytes ef_com = link.send(apdu::read_binary(0, 4)).data;
    append(ef_com, link.send(apdu::read_binary(4, 0x12)).data);
    EXPECT_EQ(to_hex(ef_com), "60145F0104303130365F36063034303030305C026175");
    EXPECT_EQ(to_hex(link.send_sequence_counter()), "887022120C06C22C");
    EXPECT_TRUE(card.done());
    EXPECT_EQ(link.traffic().apdus, 3u);
}

TEST(SecureChannel, PlainUntilStartedThenARoundTripWithTheCardSide) {
    fixtures::ScriptedChannel plain({{"00 A4 02 0C 02 01 1C", "6A82"}});
    SecureChannel before(plain);
    EXPECT_EQ(before.send(apdu::select_file(0x011C)).sw, apdu::sw::kFileNotFound);
    EXPECT_TRUE(before.send_sequence_counter().empty());

    CardSide card(aes_session());
    SecureChannel link(card);
    link.start(aes_session());
    for (std::uint16_t fid : {std::uint16_t{0x011E}, std::uint16_t{0x0101}, std::uint16_t{0x0102}}) {
        ResponseApdu r = link.send(apdu::select_file(fid));
        EXPECT_TRUE(r.ok());
        EXPECT_EQ(r.data, (Bytes{apdu::kInsSelect, 0x02, 0x0C}));
    }
    ResponseApdu read = link.send(apdu::read_binary(0x0123, 0xDF));
    EXPECT_EQ(read.data, (Bytes{apdu::kInsReadBinary, 0x01, 0x23}));
    ASSERT_EQ(card.received.size(), 4u);
    EXPECT_EQ(card.received[1], apdu::select_file(0x0101));  // what the card unwrapped is what was sent
    EXPECT_EQ(card.received[3], apdu::read_binary(0x0123, 0xDF));
    EXPECT_EQ(link.traffic().apdus, 4u);
    EXPECT_GT(link.traffic().bytes_sent, 4u * 4u);
}

TEST(SecureChannel, TheSendSequenceCounterAdvancesByTwoPerExchangeOnBothSides) {
    CardSide card(aes_session());
    SecureChannel link(card);
    link.start(aes_session());
    EXPECT_EQ(to_hex(link.send_sequence_counter()), std::string(32, '0'));
    link.send(apdu::select_file(0x011E));
    EXPECT_EQ(to_hex(link.send_sequence_counter()), "00000000000000000000000000000002");
    link.send(apdu::read_binary(0, 8));
    link.send(apdu::read_binary(8, 8));
    EXPECT_EQ(to_hex(link.send_sequence_counter()), "00000000000000000000000000000006");
    EXPECT_EQ(to_hex(card.ssc()), to_hex(link.send_sequence_counter()));
    // New keys (Chip Authentication) restart the counter.
    link.start(aes_session());
    EXPECT_EQ(to_hex(link.send_sequence_counter()), std::string(32, '0'));
}

TEST(SecureChannel, AWrongMacEndsTheSessionAndNothingIsSentAfterIt) {
    CardSide card(aes_session());
    SecureChannel link(card);
    link.start(aes_session());
    EXPECT_TRUE(link.send(apdu::select_file(0x011E)).ok());
    card.tamper = [](Bytes& response) { response[response.size() - 3] ^= 0x01; };  // last byte of DO'8E'
    EXPECT_THROW(link.send(apdu::read_binary(0, 8)), SecureMessagingError);
    EXPECT_TRUE(link.ended());
    EXPECT_FALSE(link.secure());
    EXPECT_TRUE(link.send_sequence_counter().empty());  // the keys are gone
    EXPECT_EQ(card.transmitted, 2u);

    card.tamper = nullptr;
    try {
        link.send(apdu::read_binary(0, 8));
        FAIL() << "a command went out after the MAC failure";
    } catch (const SecureMessagingError& e) {
        EXPECT_NE(std::string(e.what()).find("start a new one"), std::string::npos) << e.what();
    }
    EXPECT_THROW(link.send(apdu::select_file(0x011E)), SecureMessagingError);
    EXPECT_EQ(card.transmitted, 2u);       // the transport saw none of them
    EXPECT_EQ(link.traffic().apdus, 2u);
    EXPECT_THROW(link.start(aes_session()), SecureMessagingError);  // not on this channel: a new session
}

TEST(SecureChannel, ACardThatDropsSecureMessagingEndsTheSessionToo) {
    fixtures::ScriptedChannel card({{"0C A4 02 0C *", "6988"}});
    SecureChannel link(card);
    link.start(appendix_d_session());
    EXPECT_THROW(link.send(apdu::select_file(0x011E)), SecureMessagingError);
    EXPECT_TRUE(link.ended());
    EXPECT_THROW(link.send(apdu::select_file(0x011E)), SecureMessagingError);
    EXPECT_TRUE(card.done());  // and nothing more was sent (the script would have refused it)
}

TEST(SecureChannel, TheTransportsErrorsPassThroughAndTheExtendedLengthFlagIsTheTransports) {
    fixtures::ScriptedChannel card({{"00 A4 02 0C 02 01 1E", fixtures::kCardRemoved}}, /*extended_length=*/true);
    SecureChannel link(card);
    EXPECT_TRUE(link.extended_length());
    try {
        (void)link.send(apdu::select_file(0x011E));
        FAIL() << "a pulled card went unnoticed";
    } catch (const channel::CardRemovedError& e) {
        EXPECT_TRUE(is_transient(e));  // the card put back, the same request may succeed
    }
    EXPECT_FALSE(link.ended());
}
