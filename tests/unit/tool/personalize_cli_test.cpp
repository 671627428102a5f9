// cccd-card personalize refuses bad input before it touches a card: every malformed enrollment record,
// a photo that is not a JPEG and a missing transport key get exit code 3 and a message naming the
// problem. (The card side runs in tests/integration/pcsc_personalize_test.sh.)
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

struct ToolResult {
    int exit_code = -1;
    std::string out;
};

ToolResult personalize(const std::vector<std::string>& extra) {
    std::string cmd = std::string("'") + CCCD_CARD_TOOL + "' personalize";
    for (const auto& a : extra) cmd += " '" + a + "'";
    cmd += " </dev/null 2>&1";
    ToolResult r;
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    std::array<char, 4096> buf{};
    std::size_t n = 0;
    while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.out.append(buf.data(), n);
    int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

class PersonalizeCli : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("cccd-perso-cli-" + std::to_string(getpid()));
        std::filesystem::create_directories(dir_);
        write("face.jpg", std::string("\xFF\xD8\xFF\xC0\x00\x0B\x08\x01\x40\x00\xF0\x01\x11\x00", 14) + std::string(500, 'Z') +
                              "\xFF\xD9");
        write("not-a-photo.png", "\x89PNG\r\n\x1A\n....");
        write("transport.key", "000102030405060708090A0B0C0D0E0F\n");
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::string write(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / name, std::ios::binary) << content;
        return (dir_ / name).string();
    }
    std::vector<std::string> args(const std::string& record, const std::string& photo = "face.jpg") {
        return {"--record",   record, "--photo",  (dir_ / photo).string(), "--ds-key",        (dir_ / "ds.key").string(),
                "--ds-cert", (dir_ / "ds.pem").string(), "--csca", (dir_ / "csca.pem").string(), "--transport-key",
                (dir_ / "transport.key").string()};
    }
    std::string valid_record(const std::string& extra = "") {
        return R"({"personal_id": "079303012345", "full_name": "TRẦN THỊ MỸ DUYÊN", "sex": "F",
                   "date_of_birth": "2003-05-14", "date_of_expiry": "2028-05-14", "date_of_issue": "2021-07-01",
                   "ethnicity": "Kinh", "place_of_origin": "Quận 1, TP Hồ Chí Minh",
                   "place_of_residence": "Số 12 Lê Lợi, Quận 1, TP Hồ Chí Minh")" +
               extra + "}";
    }
    std::filesystem::path dir_;
};

TEST_F(PersonalizeCli, EachMalformedRecordIsRefusedByName) {
    struct Case {
        std::string json;
        std::string words;
    };
    std::vector<Case> cases = {
        {"{not json", "not valid JSON"},
        {"[1, 2]", "must be a JSON object"},
        {R"({"full_name": "A"})", "no \"personal_id\""},
        {valid_record(R"(, "nickname": "Duyên")"), "unknown field \"nickname\""},
        {valid_record(R"(, "spouse_name": 42)"), "\"spouse_name\" must be text"},
        {R"({"personal_id": "079303012345", "full_name": "A", "sex": "X"})", "\"sex\" must be F"},
        {R"({"personal_id": "079303012345", "full_name": "A", "sex": "F", "date_of_birth": "14/05/2003"})",
         "date YYYY-MM-DD"},
    };
    for (const auto& c : cases) {
        ToolResult r = personalize(args(write("record.json", c.json)));
        EXPECT_EQ(r.exit_code, 3) << c.json << "\n" << r.out;
        EXPECT_NE(r.out.find(c.words), std::string::npos) << c.json << "\n" << r.out;
    }
}

TEST_F(PersonalizeCli, ARecordThatCannotGoOnACardIsRefused) {
    std::string record = valid_record();
    record.replace(record.find("079303012345"), 12, "07930301234");
    ToolResult r = personalize(args(write("record.json", record)));
    EXPECT_EQ(r.exit_code, 3) << r.out;
    EXPECT_NE(r.out.find("12 digits"), std::string::npos) << r.out;
}

TEST_F(PersonalizeCli, APhotoThatIsNotAJpegIsRefused) {
    ToolResult r = personalize(args(write("record.json", valid_record()), "not-a-photo.png"));
    EXPECT_EQ(r.exit_code, 3) << r.out;
    EXPECT_NE(r.out.find("not a JPEG"), std::string::npos) << r.out;
}

// --photo as the card profile says: required for an adult's card, left out for a child under 6.
TEST_F(PersonalizeCli, ThePhotoIsRequiredOrLeftOutAsTheCardProfileSays) {
    std::vector<std::string> without_photo = args(write("record.json", valid_record()));
    without_photo.erase(without_photo.begin() + 2, without_photo.begin() + 4);
    ToolResult adult = personalize(without_photo);
    EXPECT_EQ(adult.exit_code, 3) << adult.out;
    EXPECT_NE(adult.out.find("Chưa có ảnh chân dung"), std::string::npos) << adult.out;

    without_photo[1] = write("child.json", R"({"personal_id": "079322000417", "full_name": "NGUYỄN BẢO NGỌC", "sex": "F",
        "date_of_birth": "2022-03-10", "date_of_expiry": "2036-03-10", "date_of_issue": "2025-06-02",
        "ethnicity": "Kinh", "place_of_origin": "Quận 1, TP Hồ Chí Minh",
        "place_of_residence": "Số 12 Lê Lợi, Quận 1, TP Hồ Chí Minh", "card_profile": "cc-2024-u6",
        "representative": {"personal_id": "079303012345", "full_name": "TRẦN THỊ MỸ DUYÊN", "relationship": "Mẹ"}})");
    ToolResult child = personalize(without_photo);
    // The record is accepted: what stops the run is the next thing checked, the CSCA file that is not there.
    EXPECT_NE(child.out.find("csca.pem"), std::string::npos) << child.out;
    EXPECT_EQ(child.out.find("ảnh"), std::string::npos) << child.out;
    std::vector<std::string> child_with_photo = args(without_photo[1]);
    ToolResult refused = personalize(child_with_photo);
    EXPECT_EQ(refused.exit_code, 3) << refused.out;
    EXPECT_NE(refused.out.find("không có ảnh chân dung"), std::string::npos) << refused.out;
}

TEST_F(PersonalizeCli, MissingOptionsAreAUsageError) {
    ToolResult r = personalize({"--record", write("record.json", valid_record())});
    EXPECT_EQ(r.exit_code, 2) << r.out;
}

}  // namespace
