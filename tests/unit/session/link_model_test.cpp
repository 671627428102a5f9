// The link model's arithmetic: what `read --stats`, the benchmarks and cccd-vcard --link rely on.
#include "card/session/link_model.hpp"

#include <gtest/gtest.h>

using cccd::session::LinkModel;
using std::chrono::microseconds;

TEST(LinkModel, ContactlessCountsTenBitsPerByteAt424Kbits) {
    auto link = LinkModel::contactless();
    EXPECT_EQ(link.transfer_time(424), microseconds(10000));       // 4240 bits at 424 kbit/s = 10 ms
    EXPECT_EQ(link.exchange_time(13, 0), microseconds(2000 + 307)); // 130 bits = 306.6 us, rounded
    EXPECT_EQ(link.session_time(10, 424), microseconds(10 * 2000 + 10000));
}

TEST(LinkModel, ContactIsSlowerPerByteThanContactless) {
    auto contact = LinkModel::contact();
    EXPECT_EQ(contact.transfer_time(9600), microseconds(1000000));  // 9600 x 12 bits at 115.2 kbit/s = 1 s
    EXPECT_GT(contact.transfer_time(1000), LinkModel::contactless().transfer_time(1000));
}

TEST(LinkModel, TheTurnaroundIsPerApdu) {
    auto link = LinkModel::contactless();
    link.turnaround = microseconds(5000);
    EXPECT_EQ(link.session_time(3, 0), microseconds(15000));
    EXPECT_EQ(link.session_time(0, 0), microseconds(0));
}
