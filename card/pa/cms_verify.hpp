#pragma once
// Verification of one CMS SignerInfo (RFC 5652 5.4 to 5.6) done step by step, so a failure can say
// which step failed: the contentType attribute, the messageDigest attribute, or the signature.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/signature.hpp"
#include "crypto/openssl.hpp"

namespace cccd::pa {

// The embedded certificate the SignerInfo names (issuer and serial number, or subject key
// identifier); nullptr when none matches. Certificates that do not decode are skipped.
crypto::X509Ptr find_signer_certificate(const lds::SignerInfo& signer, const std::vector<Bytes>& certificates);

using SignerCheck = SignatureCheck;

// Checks the signed attributes against `content` and the signature with `key` (verify_signature, the
// SignerInfo's digest algorithm for a bare key OID). Never throws for bad
// input: every problem becomes ok=false with a reason.
SignerCheck verify_signer_info(const lds::SignerInfo& signer, std::string_view expected_content_type,
                               ByteView content, EVP_PKEY* key);

}  // namespace cccd::pa
