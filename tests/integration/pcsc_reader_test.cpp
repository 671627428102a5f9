// Cards and readers as they behave in the field, over the real pcscd + vpcd + cccd-vcard: four cards,
// each answering one way (docs/virtual-chip.md), read whole by the PC/SC reader layer with secure
// messaging, Chip and Active Authentication and Passive Authentication:
//   card 1  T=0 (a contact ATR; data through 61xx and GET RESPONSE, 6Cxx for a wrong Le)
//   card 2  6282 at the end of a file
//   card 3  short reads: at most 100 bytes per READ BINARY
//   card 4  no extended length (6700)
// and a card reset by another program between two sessions: the next session on the same connection
// takes the handle up again and selects the application anew (the chip forgot it).
#include <gtest/gtest.h>
#include <unistd.h>
#include <winscard.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>

#include "base/file.hpp"
#include "card/pa/trust_store.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "crypto/random.hpp"

using namespace cccd;
namespace fs = std::filesystem;

namespace {

int run(const std::string& command) {
    std::array<char, 4096> buf{};
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return -1;
    std::string out;
    std::size_t n = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
    const int status = ::pclose(pipe);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0) std::cerr << command << ":\n" << out;
    return code;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::string first_line(const fs::path& file) {
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line;
}

// pcscd with four cards, each given its behaviour, stopped by PID at the end; the directory removed.
class Field : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = fs::temp_directory_path() / ("cccd-pcsc-reader-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
        const std::string harness = quote(CCCD_HARNESS) + " ";
        const std::string work = quote((dir_ / "harness").string());
        started_ = run(harness + "start " + work + " 4 " + quote(CCCD_VCARD_BINARY)) == 0;
        const std::map<int, std::string> behaviour = {
            {1, "--t0"}, {2, "--end-of-file-warning"}, {3, "--max-read 100"}, {4, "--no-extended-length"}};
        for (const auto& [k, flags] : behaviour) {
            const fs::path card = dir_ / "harness" / ("card" + std::to_string(k));
            started_ = started_ && run(harness + "card " + work + " " + std::to_string(k) + " " + quote(card.string()) + " " +
                                       flags) == 0;
            cards_[k] = card;
        }
    }
    static void TearDownTestSuite() {
        run(quote(CCCD_HARNESS) + " stop " + quote((dir_ / "harness").string()));
        fs::remove_all(dir_);
    }

    // The reader holding card k (two slots per vpcd reader, in the harness's order).
    static std::string reader_of(const reader::PcscContext& context, int k) {
        auto names = context.readers();
        return names.size() >= 4 ? names[static_cast<std::size_t>(k - 1)] : std::string();
    }

    static session::ReadResult read(reader::PcscCard& card, int k, const pa::TrustStore& trust) {
        session::SessionOptions options;
        options.can = first_line(cards_[k] / "can.txt");
        options.trust = &trust;
        options.active_auth_challenge = crypto::random_bytes(8);
        reader::Transaction transaction(card);
        return session::read_card(card, options);
    }

    static pa::TrustStore trust_of(int k) {
        pa::TrustStore trust;
        trust.add_certificate_file(cards_[k] / "csca.pem");
        trust.add_crl_file(cards_[k] / "csca.crl");
        return trust;
    }

    static inline fs::path dir_;
    static inline bool started_ = false;
    static inline std::map<int, fs::path> cards_;
};

}  // namespace

TEST_F(Field, EachBehaviourReadsTheWholeCardWithEveryCheckPassing) {
    ASSERT_TRUE(started_);
    reader::PcscContext context;
    std::map<int, std::size_t> apdus;
    for (int k = 1; k <= 4; ++k) {
        reader::PcscCard card(context, reader_of(context, k));
        const session::ReadResult r = read(card, k, trust_of(k));
        EXPECT_EQ(r.overall, pa::Verdict::Pass) << "card " << k;
        for (const auto& c : r.checks) EXPECT_EQ(c.verdict, pa::Verdict::Pass) << "card " << k << ": " << c.name << ": " << c.reason;
        EXPECT_EQ(r.files.at("DG2"), cccd::read_file(cards_[k] / "DG2")) << "card " << k;
        apdus[k] = r.apdus;
        std::cout << "card " << k << ": " << r.apdus << " APDUs, " << r.bytes_sent << " bytes sent, " << r.bytes_received
                  << " received; ATR " << to_hex(card.atr()) << "\n";
        if (k == 1) {
            EXPECT_EQ(card.atr().at(1) & 0xF0, 0x60) << "the T=0 card's ATR offers T=0 only";
        }
    }
    // Every protected command of the T=0 card took a GET RESPONSE as well; short reads took more blocks.
    EXPECT_GT(apdus[1], apdus[4] * 3 / 2);
    EXPECT_GT(apdus[3], apdus[4]);
}

TEST_F(Field, AfterAResetByAnotherProgramTheNextSessionOnTheSameConnectionWorks) {
    ASSERT_TRUE(started_);
    reader::PcscContext context;
    const std::string name = reader_of(context, 2);
    reader::PcscCard card(context, name);
    const pa::TrustStore trust = trust_of(2);
    EXPECT_EQ(read(card, 2, trust).overall, pa::Verdict::Pass);

    {  // another program resets the card
        SCARDCONTEXT other_context = 0;
        ASSERT_EQ(SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &other_context), SCARD_S_SUCCESS);
        SCARDHANDLE other = 0;
        DWORD protocol = 0;
        ASSERT_EQ(SCardConnect(other_context, name.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &other,
                               &protocol),
                  SCARD_S_SUCCESS);
        EXPECT_EQ(SCardReconnect(other, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_RESET_CARD, &protocol),
                  SCARD_S_SUCCESS);
        SCardDisconnect(other, SCARD_LEAVE_CARD);
        SCardReleaseContext(other_context);
    }
    EXPECT_EQ(read(card, 2, trust).overall, pa::Verdict::Pass);
    EXPECT_EQ(read(card, 2, trust).overall, pa::Verdict::Pass);
}
