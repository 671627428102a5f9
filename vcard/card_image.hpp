#pragma once
// The card image: a virtual chip's memory in a file, so a card survives removal, a restart of
// cccd-vcard and a crash. It holds what a real chip's EEPROM holds, private keys included, so it is
// written with mode 0600 and must be guarded like the chip itself.
//
// Format (docs/virtual-chip.md): the 8 bytes "CCCDIMG1", then BER-TLV objects:
//   80 life cycle (01 blank, 02 personalization, 03 locked)   81 chip serial
//   82 transport key (only while not locked)                  83 CAN      84 MRZ information
//   85 PACE parameter id                                      86 extended length (00/01)
//   A0 { 83 FID, 53 content }  one per file                   A1 / A2  PKCS#8 of the AA / CA private key
#include <filesystem>

#include "base/bytes.hpp"
#include "vcard/virtual_chip.hpp"

namespace cccd::vcard {

SecretBytes encode_card_image(const ChipContents& contents);
// ParseError when the bytes are not a card image or break its rules; the chip is not built from half
// an image.
ChipContents decode_card_image(ByteView image);

// Writes atomically: a temporary file in the same folder, fsync, rename, fsync of the folder. A crash
// leaves either the old image or the new one, never a mix.
void save_card_image(const std::filesystem::path& path, const ChipContents& contents);
ChipContents load_card_image(const std::filesystem::path& path);

}  // namespace cccd::vcard
