#include "card/channel/files.hpp"

#include <algorithm>

#include "card/tlv/tlv.hpp"

namespace cccd::channel {

namespace {

namespace sw = apdu::sw;

constexpr std::size_t kHeaderProbe = 8;          // enough for a tag and a 4-byte length
constexpr std::size_t kLastEvenOffset = 0x7FFF;  // B0/D6 carry the offset in P1-P2 up to here
constexpr tlv::Tag kDoDiscretionaryData = 0x53;  // the odd READ BINARY's answer

// Total size of a file from its first bytes (tag and length of the outer TLV).
std::size_t file_size_from_header(ByteView head) {
    std::size_t pos = 1;
    if (head.empty()) throw ParseError("the file is empty");
    if ((head[0] & 0x1F) == 0x1F) {
        while (pos < head.size() && (head[pos] & 0x80)) ++pos;
        ++pos;
    }
    if (pos >= head.size()) throw ParseError("the file's header is truncated");
    std::size_t length = head[pos];
    std::size_t header = pos + 1;
    if (length & 0x80) {
        std::size_t count = length & 0x7F;
        if (count == 0 || count > 3 || pos + 1 + count > head.size()) throw ParseError("the file's length is malformed");
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | head[pos + 1 + i];
        header += count;
    }
    if (header + length > kMaxFileSize) throw ParseError("the file announces an impossible size");
    return header + length;
}

// READ BINARY from content.size() up to `total` in blocks of `block` (223 after a 6700), calling
// `after_block` after each.
void read_blocks(SecureChannel& channel, std::string_view name, Bytes& content, std::size_t total, std::size_t block,
                 const std::function<void()>& after_block) {
    while (content.size() < total) {
        std::size_t want = std::min(block, total - content.size());
        std::size_t offset = content.size();
        apdu::CommandApdu command = offset <= kLastEvenOffset ? apdu::read_binary(offset, want)
                                                              : apdu::read_binary_odd(offset, want);
        apdu::ResponseApdu r = channel.send(command);
        if (r.sw == sw::kWrongLength && block > kShortBlock) {
            block = kShortBlock;
            continue;
        }
        if (!r.ok()) throw CommandRefusedError("read", "READ BINARY " + std::string(name), command.ins, r.sw);
        Bytes data = std::move(r.data);
        if (offset > kLastEvenOffset) {
            tlv::Element wrapped = tlv::read_single(data, kDoDiscretionaryData);
            data = Bytes(wrapped.value.begin(), wrapped.value.end());
        }
        if (data.empty()) throw ProtocolError("read", 0, std::string(name) + " ended before its announced size");
        append(content, ByteView(data).first(std::min(data.size(), total - content.size())));
        if (after_block) after_block();
    }
}

}  // namespace

CommandRefusedError::CommandRefusedError(const std::string& operation, std::string command, std::uint8_t ins,
                                         std::uint16_t status_word)
    : ProtocolError(operation, 0, command + ": " + apdu::describe_status_word(status_word)),
      command_(std::move(command)), ins_(ins), status_word_(status_word) {}

std::optional<Bytes> read_file(SecureChannel& channel, const lds::LdsFileInfo& file, const ProgressCallback& on_progress) {
    const std::string name(file.name);
    apdu::ResponseApdu selected = channel.send(apdu::select_file(file.fid));
    if (selected.sw == sw::kFileNotFound || selected.sw == sw::kSecurityStatusNotSatisfied) return std::nullopt;
    if (!selected.ok()) throw CommandRefusedError("read", "SELECT " + name, apdu::kInsSelect, selected.sw);

    apdu::CommandApdu probe = apdu::read_binary(0, kHeaderProbe);
    apdu::ResponseApdu head = channel.send(probe);
    if (!head.ok()) throw CommandRefusedError("read", "READ BINARY " + name, probe.ins, head.sw);
    Bytes content = std::move(head.data);
    Progress progress{name, content.size(), file_size_from_header(content)};
    auto report = [&] {
        progress.read = content.size();
        if (on_progress) on_progress(progress);
    };
    report();
    read_blocks(channel, name, content, progress.total,
                channel.extended_length() ? kExtendedReadBlock : kShortBlock, report);
    return content;
}

void write_file(SecureChannel& channel, std::string_view name, ByteView content) {
    const std::size_t block = channel.extended_length() ? kExtendedWriteBlock : kShortBlock;
    for (std::size_t offset = 0; offset < content.size(); offset += block) {
        apdu::CommandApdu command = apdu::update_binary(offset, content.subspan(offset, std::min(block, content.size() - offset)));
        apdu::ResponseApdu r = channel.send(command);
        if (!r.ok()) throw CommandRefusedError("write", "UPDATE BINARY " + std::string(name), command.ins, r.sw);
    }
}

Bytes read_back(SecureChannel& channel, std::string_view name, std::size_t size) {
    Bytes back;
    read_blocks(channel, name, back, size, channel.extended_length() ? kExtendedWriteBlock : kShortBlock, {});
    return back;
}

}  // namespace cccd::channel
