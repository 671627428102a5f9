// Fuzzes CSCA master list decoding, its signature verification and the import into a trust store.
#include <cstddef>
#include <cstdint>

#include "card/core/bytes.hpp"
#include "card/core/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/master_list.hpp"
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto root = cccd::pa::certificate_from_der(cccd::from_hex(kSeedCscaHex));
    static const std::time_t at = cccd::pa::utc_time(2026, 6, 1);
    cccd::ByteView input(data, size);
    try {
        auto list = cccd::pa::parse_master_list(input);
        (void)cccd::pa::verify_master_list(list, {root.get()}, at);
    } catch (const cccd::Error&) {
    }
    try {
        cccd::pa::TrustStore store;
        (void)store.add_master_list(input, "fuzz", {root.get()}, at);
    } catch (const cccd::Error&) {
    }
    try {
        cccd::pa::TrustStore store;
        (void)store.add_master_list(input, "fuzz", {}, at);
    } catch (const cccd::Error&) {
    }
    return 0;
}
