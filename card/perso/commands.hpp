#pragma once
// The personalization command set of a CCCD chip, both sides: builders for the personalization
// terminal and decoders for the chip. Every command travels under PACE secure messaging opened with the
// card's issuer transport key (password reference 04); the chip refuses them otherwise (6982) and
// after it is locked (6985). The set and its status words are documented in docs/virtual-chip.md.
//
//   CREATE FILE        00 E0 00 00  62{80 size, 83 FID, [88 SFI]}          ISO/IEC 7816-9
//   DELETE FILE        00 E4 00 00  FID                                    ISO/IEC 7816-9
//   UPDATE BINARY      00 D6 off    data  (selected EF, offset < 32768)    ISO/IEC 7816-4: apdu::update_binary
//                      00 D7 00 00  54{offset} 53{data}  (any offset)
//   GENERATE KEY PAIR  00 46 00 kr  AC{80 algorithm, 84 parameter id | 81 modulus bits}  -> SPKI DER
//   PUT DATA           00 DA 00 ref value  (01 CAN, 02 MRZ information, 03 PACE parameter id)
//   GET DATA           00 CA 00 ref  (01 life cycle, 02 chip serial; in plain, no secret)
//   LOCK               00 44 00 00  (ACTIVATE FILE: personalization ends, for good)
#include <cstdint>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "card/apdu/apdu.hpp"

namespace cccd::perso {

inline constexpr std::uint8_t kInsCreateFile = 0xE0;
inline constexpr std::uint8_t kInsDeleteFile = 0xE4;
inline constexpr std::uint8_t kInsGenerateKeyPair = 0x46;
inline constexpr std::uint8_t kInsPutData = 0xDA;
inline constexpr std::uint8_t kInsGetData = 0xCA;
inline constexpr std::uint8_t kInsLock = 0x44;

// Status words specific to personalization.
inline constexpr std::uint16_t kFileAlreadyExists = 0x6A89;
inline constexpr std::uint16_t kNotEnoughMemory = 0x6A84;

// The chip's life cycle (ISO/IEC 7816-4 §7.4.10 in spirit: creation, initialisation, operational).
enum class LifeCycle : std::uint8_t { Blank = 0x01, Personalization = 0x02, Locked = 0x03 };
std::string_view life_cycle_name(LifeCycle state);

// Keys the chip generates and keeps; the reference is P2 of GENERATE KEY PAIR.
enum class KeyReference : std::uint8_t { ActiveAuthentication = 0x01, ChipAuthentication = 0x02 };

enum class KeyAlgorithm : std::uint8_t { Ec = 0x01, Rsa = 0x02 };
struct KeySpec {
    KeyAlgorithm algorithm = KeyAlgorithm::Ec;
    std::uint64_t parameter_id = 13;  // EC: TR-03110 standardized domain parameters (13 = brainpoolP256r1)
    unsigned modulus_bits = 2048;     // RSA
    static KeySpec ec(std::uint64_t parameter_id) { return {KeyAlgorithm::Ec, parameter_id, 0}; }
    static KeySpec rsa(unsigned bits) { return {KeyAlgorithm::Rsa, 0, bits}; }
    friend bool operator==(const KeySpec&, const KeySpec&) = default;
};

// References of PUT DATA and GET DATA (P2).
enum class DataReference : std::uint8_t { Can = 0x01, MrzInformation = 0x02, PaceParameterId = 0x03 };
enum class InfoReference : std::uint8_t { LifeCycle = 0x01, ChipSerial = 0x02 };

struct FileSpec {
    std::uint16_t fid = 0;
    std::size_t size = 0;  // 1..65535
    std::optional<std::uint8_t> short_id;
    friend bool operator==(const FileSpec&, const FileSpec&) = default;
};

// ---- terminal side: the commands ----
apdu::CommandApdu create_file(const FileSpec& file);
apdu::CommandApdu delete_file(std::uint16_t fid);
apdu::CommandApdu generate_key_pair(KeyReference key, const KeySpec& spec);
apdu::CommandApdu put_data(DataReference reference, ByteView value);
apdu::CommandApdu get_data(InfoReference reference);
apdu::CommandApdu lock();

// ---- chip side: the command data; ParseError when malformed ----
FileSpec decode_create_file(ByteView data);
KeySpec decode_key_spec(ByteView data);
struct OddUpdate {
    std::size_t offset = 0;
    Bytes data;
};
OddUpdate decode_update_binary_odd(ByteView data);

}  // namespace cccd::perso
