#pragma once
// One signature checked the way every signature of the trust chain is: the SOD's and the master list's
// SignerInfo (cms_verify.hpp) and every certificate's (certificate.hpp, signature_verifies) go through
// verify_signature, so one allow-list of algorithms holds for all of them and the Wycheproof vectors
// (tests/unit/wycheproof) reach the code that checks a DS certificate too.
//
// Algorithms: ecdsa-with-SHA1/224/256/384/512 (DER signature), BSI TR-03111 ecdsa-plain-SHA* (r || s),
// RSASSA-PSS with its RFC 4055 parameters, sha*WithRSAEncryption (PKCS #1 v1.5); a bare rsaEncryption or
// id-ecPublicKey, which CMS allows in a SignerInfo, with the digest the caller names.
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.hpp"
#include "card/lds/sod.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl.hpp"

namespace cccd::pa {

struct SignatureCheck {
    bool ok = false;
    std::string reason;  // what failed, or what was verified
};

// Whether `signature` over `data` verifies with `key` under `algorithm`. Never throws for bad input:
// an unknown algorithm, malformed parameters or a signature that does not verify is ok=false with a reason.
SignatureCheck verify_signature(const lds::AlgorithmIdentifier& algorithm, ByteView signature, ByteView data,
                                EVP_PKEY* key, std::optional<crypto::HashAlgorithm> digest_for_bare_key = std::nullopt);

// Readable name of a signature algorithm OID ("ecdsa-with-SHA256"), or the OID itself.
std::string algorithm_name(std::string_view dotted_oid);

}  // namespace cccd::pa
