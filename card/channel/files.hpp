#pragma once
// Files over a SecureChannel: the READ BINARY loop and the UPDATE BINARY loop, written once. The reader
// session reads every file with read_file; the personalization pipeline writes with write_file and
// checks what the chip kept with read_back.
//
//   read_file   READ BINARY by short EF identifier at offset 0 (which selects the file; SELECT by FID
//               only for a card that does not take the identifier), asking for the largest block the
//               link carries: 223 bytes with short APDUs, with extended length as much as fits in the
//               answer (largest_read_block; 2048, then 223, after a 6700). The first bytes give the
//               size; the rest follows in the same blocks; a short read or 6282 goes on from where the
//               data ended. Beyond offset 32767 the odd READ BINARY (B1, offset in DO'54', data in DO'53')
//   write_file  UPDATE BINARY of the selected EF in blocks of 223 bytes, or 1024 with extended length;
//               D7 (offset in DO'54', data in DO'53') beyond offset 32767
//   read_back   READ BINARY of the selected EF, a known number of bytes, in write_file's blocks
//
// A refusal by the card is a CommandRefusedError naming the command and the status word, so the caller
// can word it ("the card has not been issued", "the chip answered ...").
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "card/channel/secure_channel.hpp"
#include "card/lds/lds_file.hpp"

namespace cccd::channel {

// A short APDU's worth of file data with the secure messaging overhead around it.
inline constexpr std::size_t kShortBlock = 0xDF;
// With extended length (the reader and the card both carry it).
inline constexpr std::size_t kExtendedReadBlock = 0x800;
inline constexpr std::size_t kExtendedWriteBlock = 0x400;
// The most file bytes one protected READ BINARY can bring when the answer's data may be `response_room`
// bytes: the file data padded to the cipher block inside DO'87', with DO'99' and DO'8E' (223 for 256).
std::size_t largest_read_block(std::size_t response_room);
// Nothing on a CCCD comes near a megabyte: a header announcing more is refused.
inline constexpr std::size_t kMaxFileSize = 1 << 20;

// A command of a file transfer the card answered with an error status word. what() is
// "<operation> step 0: <command>: <status word in words>".
class CommandRefusedError : public ProtocolError {
public:
    CommandRefusedError(const std::string& operation, std::string command, std::uint8_t ins, std::uint16_t status_word);
    const std::string& command() const noexcept { return command_; }  // "READ BINARY DG2"
    std::uint8_t ins() const noexcept { return ins_; }
    std::uint16_t status_word() const noexcept { return status_word_; }

private:
    std::string command_;
    std::uint8_t ins_;
    std::uint16_t status_word_;
};

// How far a read got: after the header, then after every block.
struct Progress {
    std::string file;          // "DG2"
    std::size_t read = 0;      // bytes so far
    std::size_t total = 0;     // the file's size, once known
};
using ProgressCallback = std::function<void(const Progress&)>;

// The whole file. nullopt when the card has no such file (6A82) or this session may not read it (6982). CommandRefusedError("read", ...) for any other refusal of SELECT or READ BINARY;
// ParseError when the header is malformed or announces more than kMaxFileSize; ProtocolError when the
// card stops answering data before the announced size.
std::optional<Bytes> read_file(SecureChannel& channel, const lds::LdsFileInfo& file,
                               const ProgressCallback& on_progress = {});

// Writes `content` into the selected EF from offset 0. CommandRefusedError("write", "UPDATE BINARY <name>", ...)
// when the chip refuses a block.
void write_file(SecureChannel& channel, std::string_view name, ByteView content);

// The first `size` bytes of the selected EF, read in write_file's blocks. CommandRefusedError("read", ...)
// when the chip refuses; ProtocolError when it answers no data before `size` bytes.
Bytes read_back(SecureChannel& channel, std::string_view name, std::size_t size);

}  // namespace cccd::channel
