// Fuzzes Active Authentication verification: the bytes are a chip's signature checked against
// fixed DG15 keys (brainpoolP256r1 and RSA-2048), or a DG15 key itself. The first byte picks the
// mode. verify_active_auth must give a verdict for anything the card sends and never crash.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.hpp"
#include "base/error.hpp"
#include "card/protocol/active_auth.hpp"

namespace {

// Public keys only (SubjectPublicKeyInfo DER), generated once for this fuzzer.
const cccd::Bytes& ec_spki() {
    static const cccd::Bytes key = cccd::from_hex(
        "305a301406072a8648ce3d020106092b240303020801010703420004075dc927a21f34b9a4a2327031e1964137c43174"
        "27f4bea561baa05dce3e0d546b09a2d0c97b907c0cd9d8ca4a8d691cabcf3444b47e8fb75b0e4bd3b03474fb");
    return key;
}

const cccd::Bytes& rsa_spki() {
    static const cccd::Bytes key = cccd::from_hex(
        "30820122300d06092a864886f70d01010105000382010f003082010a0282010100af8581065a8775e6d47324f415da51"
        "147033e24ded4b4d7b77732f9c16fc03fe80b565498eb8e2bc491561d66546f4757c5eacdd1b081e6c818e4522bdbee2"
        "18084b6459d4e5eb84b2d261c5169202c81d7c36fa8a3efe612771fafa6295cc81abfa56c30105007d5e1a95b2fc145a"
        "b493c6fb03ed7246627df05af768fb9af13e629ed1513abbe64435dd6d3bc49698a062160212cc5d0cb367fa20640c4a"
        "65daf938456be2078d3600cc5e6a7285bc6a1402f9b3fc098530c524e7652c5e481870f35b02204ef7f74716e342b5e7"
        "e8bb49333c5b7699fe3d8f577c29daceaf44c100d9f85000dbcce64c685c53e4e607fc02c5405a78fae687b59c6bcf6d"
        "370203010001");
    return key;
}

// The challenge the seed signatures were made over.
constexpr std::uint8_t kChallenge[cccd::protocol::kAaChallengeSize] = {0x01, 0x02, 0x03, 0x04,
                                                                     0x05, 0x06, 0x07, 0x08};

constexpr std::string_view kOids[] = {"0.4.0.127.0.7.1.1.4.1.3", "1.2.840.10045.4.3.2", "0.4.0.127.0.7.1.1.4.1.1",
                                      "1.2.840.113549.1.1.11"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t mode = data[0];
    cccd::ByteView rest(data + 1, size - 1);
    const cccd::ByteView challenge(kChallenge, sizeof kChallenge);
    // Mode bits 2..4 choose the DG14 OID (or none).
    const std::size_t oid_choice = (mode >> 2) & 0x07;
    std::optional<std::string_view> oid;
    if (oid_choice < std::size(kOids)) oid = kOids[oid_choice];
    try {
        switch (mode & 0x03) {
            case 0: (void)cccd::protocol::verify_active_auth(ec_spki(), challenge, rest, oid); break;
            case 1: (void)cccd::protocol::verify_active_auth(rsa_spki(), challenge, rest, oid); break;
            case 2: (void)cccd::protocol::verify_active_auth(rest, challenge, cccd::ByteView(data, size), oid); break;
            default: {
                // [1-byte key length][key][signature]: both from the fuzzer.
                if (rest.empty()) break;
                const std::size_t key_len = rest[0] < rest.size() ? rest[0] : rest.size() - 1;
                auto key = rest.subspan(1, key_len);
                auto sig = rest.subspan(1 + key_len);
                (void)cccd::protocol::verify_active_auth(key, challenge, sig, oid);
                break;
            }
        }
    } catch (const cccd::Error&) {
        // Refusing bad input by exception is fine; anything else is a bug and must crash.
    }
    return 0;
}
