#include "apps/cccd-card/trust_options.hpp"

#include <ctime>

#include "base/error.hpp"
#include "base/file.hpp"
#include "card/pa/certificate.hpp"

namespace cccd::tool {

void add_trust_options(CLI::App& command, TrustOptions& o) {
    command.add_option("--csca", o.csca_files, "CSCA certificate(s) for Passive Authentication");
    command.add_option("--crl", o.crl_files, "CRL(s) of the CSCAs");
    command.add_option("--master-list", o.master_lists, "CSCA master list(s) (signed CMS) to trust");
    command.add_option("--master-list-root", o.master_list_roots,
                       "Certificate(s) the master list signer must chain to (required with --master-list)");
}

void load_trust(const TrustOptions& o, pa::TrustStore& trust) {
    for (const auto& f : o.csca_files) trust.add_certificate_file(f);
    if (!o.master_lists.empty()) {
        if (o.master_list_roots.empty()) {
            throw InvalidArgument("a master list is trusted only with --master-list-root (who signed it)");
        }
        std::vector<crypto::X509Ptr> roots;
        std::vector<const X509*> root_pointers;
        for (const auto& f : o.master_list_roots) {
            auto certificates = pa::certificates_from_bytes(read_file(f));
            if (certificates.empty()) throw ParseError(f + " holds no certificate");
            for (auto& c : certificates) roots.push_back(std::move(c));
        }
        for (const auto& r : roots) root_pointers.push_back(r.get());
        for (const auto& f : o.master_lists) trust.add_master_list_file(f, root_pointers, std::time(nullptr));
    }
    for (const auto& f : o.crl_files) trust.add_crl_file(f);
}

}  // namespace cccd::tool
