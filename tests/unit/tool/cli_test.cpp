// Runs the real cccd-card binary the way a user would, and checks what it prints and returns.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct ToolRun {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};

std::string quote(const std::string& arg) {
    std::string q = "'";
    for (char c : arg) {
        if (c == '\'') q += "'\\''";
        else q.push_back(c);
    }
    return q + "'";
}

ToolRun run(const std::string& program, const std::vector<std::string>& args, const std::string& stdin_file = "") {
    std::string cmd = quote(program);
    for (const auto& a : args) cmd += " " + quote(a);
    cmd += stdin_file.empty() ? " </dev/null" : " <" + quote(stdin_file);
    cmd += " 2>&1";
    ToolRun r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

ToolRun card(const std::vector<std::string>& args, const std::string& stdin_file = "") {
    return run(CCCD_CARD_TOOL, args, stdin_file);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

std::filesystem::path scratch_dir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("cccd-cli-test-" + name + "-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

const std::vector<std::string> kAcceptanceMrzArgs = {"mrz", "--id", "001099012345", "--name", "Nguyễn Văn An",
                                                      "--sex", "M", "--dob", "1999-01-01", "--expiry", "2024-01-01"};

}  // namespace

TEST(CccdCardMrz, BuildsThreeLinesOfThirtyWithTheIdInOptionalData) {
    ToolRun r = card(kAcceptanceMrzArgs);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    auto lines = lines_of(r.out);
    ASSERT_EQ(lines.size(), 3u) << r.out;
    for (const auto& l : lines) EXPECT_EQ(l.size(), 30u) << l;
    EXPECT_EQ(lines[0].substr(0, 5), "IDVNM");
    EXPECT_EQ(lines[0].substr(5, 9), "099012345");      // last 9 digits of the ID
    EXPECT_EQ(lines[0].substr(15, 12), "001099012345");  // the full ID in optional data
    EXPECT_EQ(lines[1].substr(0, 6), "990101");
    EXPECT_EQ(lines[1][7], 'M');
    EXPECT_EQ(lines[1].substr(8, 6), "240101");
    EXPECT_EQ(lines[2], "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<");
}

TEST(CccdCardMrz, CheckAcceptsWhatItBuiltAndNamesAChangedDigit) {
    ToolRun built = card(kAcceptanceMrzArgs);
    ASSERT_EQ(built.exit_code, 0) << built.out;
    auto dir = scratch_dir("mrz");
    {
        std::ofstream(dir / "good.txt") << built.out;
    }
    ToolRun ok = card({"mrz", "--check"}, (dir / "good.txt").string());
    EXPECT_EQ(ok.exit_code, 0) << ok.out;

    // Change one digit of the date of birth: its check digit and the composite must fail.
    std::string tampered = built.out;
    std::size_t dob = tampered.find('\n') + 1;
    tampered[dob + 5] = tampered[dob + 5] == '1' ? '2' : '1';
    {
        std::ofstream(dir / "bad.txt") << tampered;
    }
    ToolRun bad = card({"mrz", "--check"}, (dir / "bad.txt").string());
    EXPECT_EQ(bad.exit_code, 1) << bad.out;
    EXPECT_NE(bad.out.find("birth"), std::string::npos) << bad.out;
    std::filesystem::remove_all(dir);
}

TEST(CccdCardMrz, RefusesMalformedMrz) {
    ToolRun r = card({"mrz", "--check", "NOT AN MRZ"});
    EXPECT_EQ(r.exit_code, 3) << r.out;
}

TEST(CccdCardParse, PrintsAllSixteenDg13FieldsWithVietnameseIntact) {
    ToolRun r = card({"parse", std::string(CCCD_TEST_DATA_DIR) + "/dg13_example.bin"});
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* text : {"001099012345", "NGUYỄN VĂN AN", "01/01/1999", "Nam", "Việt Nam", "Kinh", "Không",
                             "Hoàn Kiếm, Hà Nội", "Số 1, Phố Thử, Hoàn Kiếm, Hà Nội", "Nốt ruồi C:1cm dưới mép trái",
                             "01/07/2021", "01/01/2024", "NGUYỄN VĂN BỐ", "TRẦN THỊ MẸ", "012345678",
                             "0123456789ABCDEF"}) {
        EXPECT_NE(r.out.find(text), std::string::npos) << "missing: " << text << "\n" << r.out;
    }
}

TEST(CccdCardParse, MalformedFileIsBadInput) {
    auto dir = scratch_dir("parse");
    {
        std::ofstream(dir / "broken.bin", std::ios::binary) << std::string("\x6D\x82\x01\x7C\x30", 5);
    }
    ToolRun r = card({"parse", (dir / "broken.bin").string()});
    EXPECT_EQ(r.exit_code, 3) << r.out;
    ToolRun missing = card({"parse", (dir / "absent.bin").string()});
    EXPECT_EQ(missing.exit_code, 3) << missing.out;
    std::filesystem::remove_all(dir);
}

TEST(CccdCardQr, DecodesBothFormatsAndComparesWithTheChip) {
    const std::string dg13 = std::string(CCCD_TEST_DATA_DIR) + "/dg13_example.bin";
    const std::string qr2021 = "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Số 1, Phố Thử, Hoàn Kiếm, Hà Nội|01072021";
    ToolRun agrees = card({"qr", qr2021, "--dg13", dg13});
    EXPECT_EQ(agrees.exit_code, 0) << agrees.out;
    EXPECT_NE(agrees.out.find("7 fields"), std::string::npos) << agrees.out;
    EXPECT_NE(agrees.out.find("Agrees with the chip"), std::string::npos) << agrees.out;
    // The same person on a 2024 card QR, moved house: the residence disagrees.
    ToolRun moved = card({"qr", "001099012345|012345678|Nguyễn Văn An|01011999|Nam|Số 9 Phố Mới|01072021||||", "--dg13", dg13});
    EXPECT_EQ(moved.exit_code, 1) << moved.out;
    EXPECT_NE(moved.out.find("11 fields"), std::string::npos) << moved.out;
    EXPECT_NE(moved.out.find("Nơi cư trú trong mã QR khác với trong chip"), std::string::npos) << moved.out;
    ToolRun json = card({"qr", qr2021, "--json"});
    EXPECT_EQ(json.exit_code, 0) << json.out;
    EXPECT_NE(json.out.find("\"format\": \"cccd-2021\""), std::string::npos) << json.out;
    ToolRun garbage = card({"qr", "not a card"});
    EXPECT_EQ(garbage.exit_code, 3) << garbage.out;
}

TEST(CccdCardVerify, ExampleCardPassesAndATamperedOneFails) {
    auto dir = scratch_dir("verify");
    ToolRun made = run(CCCD_SAMPLE_CARD_TOOL, {(dir / "card").string()});
    ASSERT_EQ(made.exit_code, 0) << made.out;
    ToolRun ok = card({"verify", (dir / "card").string(), "--csca", (dir / "card" / "csca.pem").string(), "--crl",
                   (dir / "card" / "csca.crl").string()});
    EXPECT_EQ(ok.exit_code, 0) << ok.out;
    EXPECT_NE(ok.out.find("DG13"), std::string::npos) << ok.out;

    // Flip one byte inside DG13's value: its hash check must fail and the tool must say so.
    auto dg13 = dir / "card" / "DG13";
    std::string bytes;
    {
        std::ifstream in(dg13, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(bytes.size(), 40u);
    bytes[30] = static_cast<char>(bytes[30] ^ 0x01);
    {
        std::ofstream(dg13, std::ios::binary | std::ios::trunc) << bytes;
    }
    ToolRun bad = card({"verify", (dir / "card").string(), "--csca", (dir / "card" / "csca.pem").string()});
    EXPECT_EQ(bad.exit_code, 1) << bad.out;
    EXPECT_NE(bad.out.find("FAIL"), std::string::npos) << bad.out;
    std::filesystem::remove_all(dir);
}

// The acceptance command of issue 14, with the date pinned inside the year the data's README vouches for.
TEST(CccdCardVerify, EachOfSixRealPassportsSodsPassesAgainstTheGermanMasterList) {
    const std::filesystem::path data = std::filesystem::path(CCCD_SHARED_DIR) / "data";
    for (const std::string country : {"AT", "DE", "FR", "NZ", "UK", "US"}) {
        auto dir = scratch_dir("real-sod-" + country);
        std::filesystem::copy_file(data / "real-sod" / (country + ".EF.SOD"), dir / "EF.SOD");
        ToolRun r = card({"verify", dir.string(), "--master-list", (data / "csca" / "DE_masterlist_2026-05-28.ml").string(),
                          "--ml-signer", (data / "csca" / "DE_csca-germany_2024.cer").string(), "--at", "2026-06-01"});
        EXPECT_EQ(r.exit_code, 0) << country << ": " << r.out;
        const auto lines = lines_of(r.out);
        for (const std::string check : {"SOD structure", "SOD signature", "DS certificate trusted", "DS certificate validity"}) {
            EXPECT_NE(std::find(lines.begin(), lines.end(), "PASS  " + check), lines.end()) << country << ": " << r.out;
        }
        std::cout << country << ": " << (lines.empty() ? "" : lines.front()) << " ... " << lines.size() << " lines\n";
        std::filesystem::remove_all(dir);
    }
}

TEST(CccdCard, HelpWorksEverywhere) {
    for (const char* sub : {"mrz", "parse", "verify"}) {
        ToolRun r = card({sub, "--help"});
        EXPECT_EQ(r.exit_code, 0) << sub << ": " << r.out;
        EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
    }
    EXPECT_EQ(card({}).exit_code, 2);
    EXPECT_EQ(card({"no-such-command"}).exit_code, 2);
}
