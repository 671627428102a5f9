#include "card/channel/files.hpp"

#include <algorithm>
#include <optional>

#include "card/tlv/tlv.hpp"

namespace cccd::channel {

namespace {

namespace sw = apdu::sw;

constexpr std::size_t kMaxTagBytes = 4;          // more than any LDS tag (5F1F, 7F61, ...)
constexpr std::size_t kLastEvenOffset = 0x7FFF;  // B0/D6 carry the offset in P1-P2 up to here
constexpr tlv::Tag kDoDiscretionaryData = 0x53;  // the odd READ BINARY's answer
constexpr std::size_t kCipherBlock = 16;         // AES; 3DES pads to 8, so AES's figure holds for both
constexpr std::size_t kStatusAndMacObjects = 4 + 10;  // DO'99' and DO'8E' of a protected answer

// Total size of a file from its first bytes (tag and length of the outer TLV); nullopt while `head` is
// too short to tell.
std::optional<std::size_t> file_size_from_header(ByteView head) {
    if (head.empty()) return std::nullopt;
    std::size_t pos = 1;
    if ((head[0] & 0x1F) == 0x1F) {
        while (pos < head.size() && (head[pos] & 0x80)) {
            if (++pos > kMaxTagBytes) throw ParseError("the file's tag is malformed");
        }
        ++pos;
    }
    if (pos >= head.size()) return std::nullopt;
    std::size_t length = head[pos];
    std::size_t header = pos + 1;
    if (length & 0x80) {
        std::size_t count = length & 0x7F;
        if (count == 0 || count > 3) throw ParseError("the file's length is malformed");
        if (pos + 1 + count > head.size()) return std::nullopt;
        length = 0;
        for (std::size_t i = 0; i < count; ++i) length = (length << 8) | head[pos + 1 + i];
        header += count;
    }
    if (header + length > kMaxFileSize) throw ParseError("the file announces an impossible size");
    return header + length;
}

// How a READ BINARY came back: its data, and whether the card said the file ends there (6282).
struct Block {
    Bytes data;
    bool end_of_file = false;
};

// One READ BINARY of up to `want` bytes at `offset`: the first of a file by its short EF identifier when
// `short_ef_id` is given (which selects it), B1 with the data in DO'53' beyond offset 32767. nullopt when
// the card answers 6700 to a block larger than a short one: the caller retries with smaller blocks.
std::optional<Block> read_block(SecureChannel& channel, std::string_view name, std::size_t offset, std::size_t want,
                                std::optional<std::uint8_t> short_ef_id = std::nullopt) {
    apdu::CommandApdu command = short_ef_id           ? apdu::read_binary_short_ef(*short_ef_id, 0, want)
                                : offset <= kLastEvenOffset ? apdu::read_binary(offset, want)
                                                            : apdu::read_binary_odd(offset, want);
    apdu::ResponseApdu r = channel.send(command);
    if (r.sw == sw::kWrongLength && want > kShortBlock) return std::nullopt;
    // 6282: "end of file reached before reading Ne bytes", the data up to the end comes with it.
    const bool end_of_file = r.sw == sw::kEndOfFileWarning;
    if (!r.ok() && !end_of_file) throw CommandRefusedError("read", "READ BINARY " + std::string(name), command.ins, r.sw);
    Bytes data = std::move(r.data);
    if (offset > kLastEvenOffset && !data.empty()) {
        tlv::Element wrapped = tlv::read_single(data, kDoDiscretionaryData);
        data = Bytes(wrapped.value.begin(), wrapped.value.end());
    }
    return Block{std::move(data), end_of_file};
}

// The next smaller block after a 6700: the largest the link allows, then 2048 bytes, then a short one.
std::size_t smaller_block(std::size_t block) { return block > kExtendedReadBlock ? kExtendedReadBlock : kShortBlock; }

// READ BINARY from content.size() on, until `total` bytes are there; when `total` is not given, the
// file's header (its first bytes) tells it. Asks for full blocks (`block`, smaller ones after a 6700)
// and takes what comes: a card may answer fewer bytes than asked (a short read, with 9000) or stop at
// the end of the file (6282); both go on from where the data ended. The first block of an empty
// `content` goes by `short_ef_id` when given. `after_block` runs after each block.
void read_blocks(SecureChannel& channel, std::string_view name, Bytes& content, std::optional<std::size_t> total,
                 std::size_t block, const std::function<void(std::size_t)>& after_block,
                 std::optional<std::uint8_t> short_ef_id = std::nullopt) {
    while (!total || content.size() < *total) {
        const std::size_t want = total ? std::min(block, *total - content.size()) : block;
        std::optional<Block> answer =
            read_block(channel, name, content.size(), want, content.empty() ? short_ef_id : std::nullopt);
        if (!answer) {
            block = smaller_block(block);
            continue;
        }
        if (answer->data.empty()) throw ProtocolError("read", 0, std::string(name) + " ended before its announced size");
        append(content, answer->data);
        if (!total) total = file_size_from_header(content);
        if (total && content.size() > *total) content.resize(*total);
        if (after_block) after_block(total.value_or(0));
        if (answer->end_of_file && (!total || content.size() < *total)) {
            throw ProtocolError("read", 0, std::string(name) + " ended before its announced size");
        }
    }
}

// The card has no such file (6A82), or this session may not read it (6982).
bool file_absent(std::uint16_t status_word) {
    return status_word == sw::kFileNotFound || status_word == sw::kSecurityStatusNotSatisfied;
}

// Whether the card answered a READ BINARY by short EF identifier the way a card that does not take the
// identifier does (function not supported, incorrect P1-P2, wrong parameters): then SELECT it is.
bool short_ef_id_not_taken(std::uint16_t status_word) {
    return status_word == sw::kFunctionNotSupported || status_word == sw::kIncorrectP1P2 ||
           status_word == sw::kWrongParameters;
}

}  // namespace

CommandRefusedError::CommandRefusedError(const std::string& operation, std::string command, std::uint8_t ins,
                                         std::uint16_t status_word)
    : ProtocolError(operation, 0, command + ": " + apdu::describe_status_word(status_word)),
      command_(std::move(command)), ins_(ins), status_word_(status_word) {}

std::size_t largest_read_block(std::size_t response_room) {
    for (std::size_t padded = response_room / kCipherBlock * kCipherBlock; padded >= kCipherBlock; padded -= kCipherBlock) {
        const std::size_t encrypted_object = 1 + padded;  // padding indicator and cryptogram
        const std::size_t header = encrypted_object < 0x80 ? 2 : encrypted_object < 0x100 ? 3 : 4;
        if (header + encrypted_object + kStatusAndMacObjects <= response_room) return padded - 1;
    }
    return 1;
}

std::optional<Bytes> read_file(SecureChannel& channel, const lds::LdsFileInfo& file, const ProgressCallback& on_progress) {
    const std::string name(file.name);
    Bytes content;
    Progress progress{name, 0, 0};
    auto report = [&](std::size_t total) {
        progress.read = content.size();
        progress.total = total;
        if (on_progress) on_progress(progress);
    };
    // The first block is as large as the link allows: most files end inside it, and its first bytes give
    // the size. It names the file by its short EF identifier, which selects it: no SELECT is sent.
    const std::size_t block = channel.extended_length() ? largest_read_block(channel.max_response_data()) : kShortBlock;
    try {
        read_blocks(channel, name, content, std::nullopt, block, report, file.short_ef_id);
        return content;
    } catch (const CommandRefusedError& e) {
        if (!content.empty()) throw;
        if (file_absent(e.status_word())) return std::nullopt;
        if (!short_ef_id_not_taken(e.status_word())) throw;
    }
    apdu::ResponseApdu selected = channel.send(apdu::select_file(file.fid));
    if (file_absent(selected.sw)) return std::nullopt;
    if (!selected.ok()) throw CommandRefusedError("read", "SELECT " + name, apdu::kInsSelect, selected.sw);
    read_blocks(channel, name, content, std::nullopt, block, report);
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
