#pragma once
// The trust options `read` and `personalize` share: CSCA certificates, CRLs and CSCA master lists.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "card/pa/trust_store.hpp"

namespace cccd::tool {

struct TrustOptions {
    std::vector<std::string> csca_files;
    std::vector<std::string> crl_files;
    std::vector<std::string> master_lists;
    std::vector<std::string> master_list_roots;
    bool any() const { return !csca_files.empty() || !master_lists.empty(); }
};

// --csca, --crl, --master-list, --master-list-root
void add_trust_options(CLI::App& command, TrustOptions& options);

// The trust store the options describe. A master list is imported only when its signature verifies
// against a --master-list-root; CryptoError otherwise.
void load_trust(const TrustOptions& options, pa::TrustStore& trust);

}  // namespace cccd::tool
