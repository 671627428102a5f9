// Fuzzes EF.SOD decoding and the whole Passive Authentication over it with a fixed small trust store.
// Bad input must only ever become ParseError or FAIL verdicts; anything else is a crash.
#include <cstddef>
#include <cstdint>
#include <map>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"
#include "tests/fuzz/seed_csca.hpp"

namespace {


const cccd::pa::TrustStore& trust_store() {
    static const cccd::pa::TrustStore store = [] {
        cccd::pa::TrustStore s;
        s.add_certificates(cccd::from_hex(cccd::fuzz::kSeedCscaHex), "seed CSCA");
        return s;
    }();
    return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    try {
        auto sod = cccd::lds::parse_sod(input);
        // Re-encoding what was decoded must not fail.
        (void)cccd::lds::encode_lds_security_object(sod.security_object);
    } catch (const cccd::Error&) {
    }
    // The data groups of the seeds (DG1, DG13) plus one the SOD does not list.
    static const std::map<int, cccd::Bytes> files = {
        {1, cccd::from_hex("615B5F1F")}, {13, cccd::from_hex("6D03300100")}, {3, cccd::from_hex("6300")}};
    static const std::time_t at = cccd::pa::utc_time(2026, 6, 1);
    try {
        auto report = cccd::pa::verify(files, input, trust_store(), at);
        if (report.checks.empty()) __builtin_trap();  // verify always reports its checks
    } catch (const cccd::Error&) {
    }
    return 0;
}
