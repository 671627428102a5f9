#pragma once
// Wycheproof vector files (../shared/data/wycheproof, README there): every case of a file, with its
// group's key, read into plain values; and the tally each test prints.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "base/bytes.hpp"
#include "base/file.hpp"

namespace cccd::wycheproof {

enum class Expected { Valid, Invalid, Acceptable };

struct Case {
    int id = 0;
    std::string comment;
    std::vector<std::string> flags;
    Expected result = Expected::Invalid;
    boost::json::object fields;  // msg, sig, key, tag, public, private, shared, ... as hex text
    Bytes hex(const char* name) const { return from_hex(std::string(fields.at(name).as_string())); }
};

struct Group {
    boost::json::object fields;  // publicKey, publicKeyDer, keySize, ...
    std::vector<Case> cases;
    Bytes hex(const char* name) const { return from_hex(std::string(fields.at(name).as_string())); }
};

inline std::vector<Group> load(const std::string& file) {
    const auto path = std::filesystem::path(CCCD_SHARED_DIR) / "data" / "wycheproof" / file;
    const Bytes bytes = read_file(path);
    const boost::json::object root = boost::json::parse(std::string(bytes.begin(), bytes.end())).as_object();
    std::vector<Group> groups;
    for (const auto& g : root.at("testGroups").as_array()) {
        Group group;
        group.fields = g.as_object();
        for (const auto& t : g.at("tests").as_array()) {
            const auto& o = t.as_object();
            Case c;
            c.id = static_cast<int>(o.at("tcId").to_number<std::int64_t>());
            c.comment = std::string(o.at("comment").as_string());
            for (const auto& f : o.at("flags").as_array()) c.flags.emplace_back(f.as_string());
            const std::string result(o.at("result").as_string());
            c.result = result == "valid" ? Expected::Valid : result == "invalid" ? Expected::Invalid : Expected::Acceptable;
            c.fields = o;
            group.cases.push_back(std::move(c));
        }
        group.fields.erase("tests");
        groups.push_back(std::move(group));
    }
    return groups;
}

// Counts a file's cases and what the project's code made of them; prints the tally.
class Tally {
public:
    explicit Tally(std::string file) : file_(std::move(file)) {}
    ~Tally() {
        std::cout << "wycheproof " << file_ << ": " << total() << " cases (" << valid_ << " valid, " << invalid_
                  << " invalid, " << acceptable_ << " acceptable, " << acceptable_accepted_ << " of those accepted)\n";
    }
    Tally(const Tally&) = delete;
    Tally& operator=(const Tally&) = delete;

    // `accepted`: whether the project's code took the case as good. A valid case must be, an invalid one
    // must not; an acceptable one is counted (each test states its decision).
    void record(const Case& c, bool accepted) {
        switch (c.result) {
            case Expected::Valid:
                ++valid_;
                EXPECT_TRUE(accepted) << file_ << " tcId " << c.id << " (valid, " << c.comment << ") was refused";
                break;
            case Expected::Invalid:
                ++invalid_;
                EXPECT_FALSE(accepted) << file_ << " tcId " << c.id << " (invalid, " << c.comment << ") was accepted";
                break;
            case Expected::Acceptable:
                ++acceptable_;
                if (accepted) ++acceptable_accepted_;
                break;
        }
    }
    int total() const { return valid_ + invalid_ + acceptable_; }
    int acceptable() const { return acceptable_; }
    int acceptable_accepted() const { return acceptable_accepted_; }

private:
    std::string file_;
    int valid_ = 0, invalid_ = 0, acceptable_ = 0, acceptable_accepted_ = 0;
};

}  // namespace cccd::wycheproof
