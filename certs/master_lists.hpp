#pragma once
// CSCA master lists (ICAO 9303 Part 12 §9) made by the PKI and read back through card/pa, so what we
// export is exactly what our Passive Authentication imports.
#include <ctime>
#include <vector>

#include "base/bytes.hpp"
#include "card/pa/master_list.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

// Signs a CscaMasterList of `cscas` (CMS SignedData, eContentType 2.23.136.1.1.2, the signer
// certificate embedded) with the Master List Signer's key. InvalidArgument for an empty list.
Bytes export_master_list(const std::vector<const X509*>& cscas, EVP_PKEY* signer_key, X509* signer_cert);

struct ImportedMasterList {
    pa::MasterListVerification verification;
    std::vector<crypto::X509Ptr> certificates;  // the CSCAs in the list (only filled when verified)
    std::size_t unreadable = 0;
};

// Parses the list with card/pa and verifies its signature and signer chain against `roots` at `at`.
// ParseError for a malformed list; an unverified list comes back with verification.verified false.
ImportedMasterList import_master_list(ByteView cms_der, const std::vector<const X509*>& roots, std::time_t at);

}  // namespace cccd::certs
