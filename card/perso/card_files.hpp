#pragma once
// What personalization writes: the enrollment record and the chip's public keys turned into the LDS
// files of a CCCD (EF.COM, DG1, DG2, DG13, DG14, DG15, EF.CardAccess) and the LDSSecurityObject the
// Document Signer signs into EF.SOD. The record's card profile (identity::profile_of) decides DG2: the
// face, or none at all for a profile without a photo (cc-2024-u6), listed then in neither EF.COM nor
// EF.SOD.
#include <map>
#include <string>

#include "base/bytes.hpp"
#include "card/lds/dg13.hpp"
#include "card/lds/sod.hpp"
#include "identity/enrollment_record.hpp"

namespace cccd::perso {

// Who the card is for (identity/enrollment_record.hpp, its one home).
using identity::EnrollmentRecord;

// InvalidArgument, in the officer's words, for a record that cannot go on a card: the ID number, names,
// text fields and dates, then every line of identity::record_profile_problems joined by "; " (the
// profile against the dates, the expiry, the photo required or refused, the representative, the
// cancelled ID numbers), then the photo itself when there is one (a JPEG of at most 20 KB).
void validate(const EnrollmentRecord& record);

struct CardFiles {
    std::map<std::string, Bytes> files;  // "EF.COM", "DG1", ..., "EF.CardAccess"; EF.SOD is added after signing
    std::map<int, Bytes> data_groups;    // 1, 2 (when the profile has a face), 13, 14, 15
    lds::LdsSecurityObject security_object;
    Bytes chip_serial;  // the chip these files are for, when the pipeline knows it (GET DATA), for the signer
};

// DG15 carries the Active Authentication key (EC: DG14 announces ecdsa-plain-SHA256; RSA: ISO 9796-2),
// DG14 the Chip Authentication key; both given as SubjectPublicKeyInfo DER, in the form the chip returned
// them. DG15 keeps the key as given (RFC 5280/5480, named curve); DG14 writes the CA key with explicit
// domain parameters (protocol::chip_auth::encode_chip_key, ICAO 9303-11 §9.2 and §9.5.2), whichever
// form it came in, so a key read back from DG14 rebuilds the same DG14. ParseError for a CA key that is
// not an EC key on a known curve. `with_card_access` false leaves out EF.CardAccess (a BAC-only card,
// for tests).
CardFiles build_card_files(const EnrollmentRecord& record, ByteView active_auth_public_key,
                           ByteView chip_auth_public_key, bool with_card_access = true);

// The MRZ (three lines joined) the record gives.
std::string mrz_of(const EnrollmentRecord& record);

}  // namespace cccd::perso
