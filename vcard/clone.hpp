#pragma once
// A clone of an issued card, as an attacker with the card in hand (and its CAN, printed on it) makes one:
// every file the chip gives to a reader, copied byte for byte, the SOD included, so Passive
// Authentication of the copied groups passes; but not the chip's private keys, which never leave it.
// The clone therefore leaves out DG14 and DG15 and an EF.COM that lists them, hoping the reader takes
// EF.COM at its word and skips Chip and Active Authentication. A reader must refuse it (the SOD still
// lists both): cccd-vcard --clone-of IMAGE plays it over pcscd, the card session tests in process.
#include "vcard/virtual_chip.hpp"

namespace cccd::vcard {

ChipContents clone_without_keys(const ChipContents& victim);

}  // namespace cccd::vcard
