// Wycheproof's AES-CMAC vectors through crypto::aes_cmac, the MAC of secure messaging after PACE.
#include <gtest/gtest.h>

#include "base/error.hpp"
#include "crypto/symmetric.hpp"
#include "tests/unit/wycheproof/wycheproof.hpp"

namespace cccd::wycheproof {
namespace {

TEST(Wycheproof, AesCmac) {
    const std::string file = "aes_cmac_test.json";
    Tally tally(file);
    for (const Group& group : load(file)) {
        const auto tag_bytes = static_cast<std::size_t>(group.fields.at("tagSize").to_number<std::int64_t>() / 8);
        for (const Case& c : group.cases) {
            bool accepted = false;
            try {
                // Secure messaging compares the first 8 bytes; Wycheproof states the tag length per group.
                const Bytes mac = crypto::aes_cmac(c.hex("key"), c.hex("msg"));
                const Bytes tag = c.hex("tag");
                accepted = tag.size() == tag_bytes && tag_bytes <= mac.size() &&
                           constant_time_equal(ByteView(mac).first(tag_bytes), tag);
            } catch (const Error&) {
                accepted = false;  // a key length AES does not have
            }
            tally.record(c, accepted);
        }
    }
    EXPECT_GT(tally.total(), 0);
    EXPECT_EQ(tally.acceptable(), 0);
}

}  // namespace
}  // namespace cccd::wycheproof
