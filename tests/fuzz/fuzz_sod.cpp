// Fuzzes EF.SOD decoding and the whole Passive Authentication over it with a fixed small trust store.
// Bad input must only ever become ParseError or FAIL verdicts; anything else is a crash.
#include <cstddef>
#include <cstdint>
#include <map>

#include "card/core/bytes.hpp"
#include "card/core/error.hpp"
#include "card/lds/sod.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/passive_auth.hpp"
#include "card/pa/trust_store.hpp"

namespace {

// The fixed trust anchor of the seeds: the P-256 test CSCA "CSCA CCCD Test" that signed the DS in
// corpus/sod/ and the master list signer in corpus/master_list/ (made by tests/fixtures/test_pki).
constexpr const char* kSeedCscaHex =
    "308201D230820177A003020102020101300A06082A8648CE3D040302303E310B300906035504061302564E31163014060355"
    "040A0C0D43434344205465737420504B493117301506035504030C0E4353434120434343442054657374301E170D32303031"
    "30313030303030305A170D3435303130313030303030305A303E310B300906035504061302564E31163014060355040A0C0D"
    "43434344205465737420504B493117301506035504030C0E43534341204343434420546573743059301306072A8648CE3D02"
    "0106082A8648CE3D03010703420004F3ABD87B06E7BBE1220423C3DDB261C82C13F37106B3C9D211D506EA7464D3477412D8"
    "9C636C777EE6F4A2CB72F3712DD18113A08925727E54AE511ADEC51E56A366306430120603551D130101FF040830060101FF"
    "020100300E0603551D0F0101FF040403020106301D0603551D0E04160414AAEBCE10D7505F171422004647E71FF728476359"
    "301F0603551D23041830168014AAEBCE10D7505F171422004647E71FF728476359300A06082A8648CE3D0403020349003046"
    "022100F2A592C91EDB2914E4E0419432E3D5A649BD5A60E46F00FD3C3E5202B72DB4C60221009D7FD9FEF8FB694CBA312F0A"
    "A7FC113AE1E5094870116E5B46461D01E763268F";

const cccd::pa::TrustStore& trust_store() {
    static const cccd::pa::TrustStore store = [] {
        cccd::pa::TrustStore s;
        s.add_certificates(cccd::from_hex(kSeedCscaHex), "seed CSCA");
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
