#pragma once
// `cccd-vcard --sample`: the example card. The sample citizen (vcard/sample_citizen.hpp) is issued on a
// blank virtual chip through perso::personalize — the pipeline the station and `cccd-card personalize`
// run, with its key checks, read-back and verification — by a throw-away PKI made now with certs/: a CSCA,
// a Document Signer and an empty CRL. Nothing of it is secret: only certificates are written out.
#include <filesystem>
#include <optional>
#include <string>

#include "base/bytes.hpp"
#include "card/perso/commands.hpp"
#include "vcard/virtual_chip.hpp"

namespace cccd::vcard_app {

struct SampleOptions {
    Bytes photo_jpeg;                                         // DG2's portrait (--photo)
    perso::KeySpec active_auth_key = perso::KeySpec::ec(13);  // or KeySpec::rsa(2048) (--aa rsa)
    bool with_card_access = true;                             // false: a BAC-only card (--no-pace)
};

// What a reader needs to check the card.
struct IssuedSample {
    std::string csca_pem;
    std::string crl_pem;
    std::string can;
    std::string mrz;  // the three lines joined
};

// Personalizes `chip` (blank, with `transport_key`) in process. perso::PersonalizationError when the chip
// refuses, Error when the card it made does not pass its own read-back.
IssuedSample issue_sample_card(vcard::VirtualChip& chip, ByteView transport_key, const SampleOptions& options);

// Flips the last byte of data group `number` in the chip's memory, after signing, so Passive
// Authentication fails for it by name (--tamper N). InvalidArgument when the card has no such group.
void tamper_data_group(vcard::ChipContents& contents, int number);

// Writes csca.pem, csca.crl, can.txt, mrz.txt and every file of the chip (EF.COM, DG1, ..., EF.SOD) into `dir`.
void write_sample_files(const std::filesystem::path& dir, const IssuedSample& sample, const vcard::ChipContents& contents);

}  // namespace cccd::vcard_app
