// Retriable and fatal kept apart: the Transient mark, whatever branch of the hierarchy an error is on.
#include <gtest/gtest.h>

#include <stdexcept>

#include "base/error.hpp"

namespace cccd {
namespace {

class PulledCard : public Error, public Transient {
public:
    using Error::Error;
};

TEST(Error, OnlyWhatIsMarkedTransientIsTransientAndItStaysAnError) {
    EXPECT_TRUE(is_transient(PulledCard("the card left the reader")));
    EXPECT_FALSE(is_transient(InvalidArgument("bad hex")));
    EXPECT_FALSE(is_transient(ParseError("truncated")));
    EXPECT_FALSE(is_transient(std::runtime_error("not ours")));
    try {
        throw PulledCard("the card left the reader");
    } catch (const Error& e) {  // caught as an Error like any other, and still recognisable
        EXPECT_TRUE(is_transient(e));
        EXPECT_STREQ(e.what(), "the card left the reader");
    }
}

}  // namespace
}  // namespace cccd
