#pragma once
// CSCA master lists (ICAO 9303 Part 12, 9): CMS SignedData with eContentType 2.23.136.1.1.2 over
//   CscaMasterList ::= SEQUENCE { version INTEGER (v0), certList SET OF Certificate }
// signed by a Master List Signer whose certificate the issuing state's CSCA issued.
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/lds/sod.hpp"
#include "crypto/openssl.hpp"

namespace cccd::pa {

inline constexpr std::string_view kCscaMasterListOid = "2.23.136.1.1.2";

struct MasterList {
    lds::SignedData signed_data;
    int version = 0;
    std::vector<Bytes> certificates;  // DER of each CSCA certificate in the list, in encoded order
};

// Parses the CMS and the CscaMasterList inside it (structure only); ParseError when malformed.
MasterList parse_master_list(ByteView cms_der);

// Encodes a CscaMasterList (DER: the SET OF sorted) for the given certificates.
Bytes encode_csca_master_list(const std::vector<Bytes>& certificates);

struct MasterListVerification {
    bool verified = false;
    std::string reason;          // why not, or what was verified
    std::string signer_subject;  // the Master List Signer, when found
};

// Checks the master list's CMS signature and that its signer certificate was issued by one of
// `trusted_roots` (signature, validity at `at`, key usage), without OpenSSL's chain policy, which
// refuses EC keys with explicit parameters. Never throws for bad input.
MasterListVerification verify_master_list(const MasterList& list, const std::vector<const X509*>& trusted_roots,
                                          std::time_t at);

}  // namespace cccd::pa
