// Fuzzes CSCA master list decoding, its signature verification and the import into a trust store.
#include <cstddef>
#include <cstdint>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "card/pa/certificate.hpp"
#include "card/pa/master_list.hpp"
#include "card/pa/trust_store.hpp"
#include "tests/fuzz/seed_csca.hpp"

namespace {


}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto root = cccd::pa::certificate_from_der(cccd::from_hex(cccd::fuzz::kSeedCscaHex));
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
