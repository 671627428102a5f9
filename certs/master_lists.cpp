#include "certs/master_lists.hpp"

#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"

namespace cccd::certs {

Bytes export_master_list(const std::vector<const X509*>& cscas, EVP_PKEY* signer_key, X509* signer_cert) {
    if (cscas.empty()) throw InvalidArgument("a master list needs at least one CSCA certificate");
    std::vector<Bytes> ders;
    for (const X509* c : cscas) ders.push_back(pa::certificate_to_der(c));
    return lds::sign_signed_data(pa::kCscaMasterListOid, pa::encode_csca_master_list(ders), signer_key, signer_cert);
}

ImportedMasterList import_master_list(ByteView cms_der, const std::vector<const X509*>& roots, std::time_t at) {
    ImportedMasterList out;
    auto list = pa::parse_master_list(cms_der);
    out.verification = pa::verify_master_list(list, roots, at);
    if (!out.verification.verified) return out;
    for (const auto& der : list.certificates) {
        try {
            out.certificates.push_back(pa::certificate_from_der(der));
        } catch (const ParseError&) {
            ++out.unreadable;
        }
    }
    return out;
}

}  // namespace cccd::certs
