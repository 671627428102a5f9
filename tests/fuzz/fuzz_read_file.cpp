// Fuzzes how the reader takes a card's answers to a file read: ResponseCompletion (61xx and GET RESPONSE,
// 6Cxx) and read_file's block loop (short reads, 6282, 6700, the header's size), with answers the
// fuzzer chooses. The input is a list of answers, each a 2-byte big-endian length and its bytes; once
// they run out the card is gone. Whatever the answers, the read ends (a file, nothing, or an error),
// never a crash or a hang, and a file it returns is neither empty nor beyond kMaxFileSize.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/channel/files.hpp"
#include "card/channel/secure_channel.hpp"
#include "card/lds/lds_file.hpp"

namespace {

class AnsweringCard : public cccd::channel::CardChannel {
public:
    AnsweringCard(cccd::ByteView script, bool extended) : script_(script), extended_(extended) {}
    cccd::Bytes transmit(cccd::ByteView) override {
        if (script_.size() < 2) throw cccd::channel::CardRemovedError("the script ended");
        const std::size_t length = std::size_t{script_[0]} << 8 | script_[1];
        const std::size_t taken = length < script_.size() - 2 ? length : script_.size() - 2;
        cccd::Bytes answer(script_.begin() + 2, script_.begin() + 2 + static_cast<std::ptrdiff_t>(taken));
        script_ = script_.subspan(2 + taken);
        if (++exchanges_ > 100000) __builtin_trap();  // a read that never ends
        return answer;
    }
    bool extended_length() const override { return extended_; }

private:
    cccd::ByteView script_;
    bool extended_;
    std::size_t exchanges_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    AnsweringCard card(cccd::ByteView(data + 1, size - 1), (data[0] & 1) != 0);
    cccd::channel::SecureChannel link(card);
    try {
        auto file = cccd::channel::read_file(link, cccd::lds::file_info(cccd::lds::LdsFile::Dg2));
        if (file) {
            if (file->empty() || file->size() > cccd::channel::kMaxFileSize) __builtin_trap();
        }
    } catch (const cccd::Error&) {
    }
    return 0;
}
