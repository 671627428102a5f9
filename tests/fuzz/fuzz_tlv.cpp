// Fuzzes the BER-TLV reader (indefinite lengths, long-form lengths, constructed strings), the tree parser
// with its nesting limit, the DER checker, and the ASN.1 value decoders.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    try {
        auto tree = cccd::tlv::parse_tree(input);
        // What parses must re-encode to a parseable tree of the same shape.
        cccd::Bytes again;
        for (const auto& node : tree) cccd::append(again, cccd::tlv::encode(node));
        if (cccd::tlv::parse_tree(again).size() != tree.size()) __builtin_trap();
    } catch (const cccd::Error&) {
    }
    try {
        cccd::tlv::Reader reader(input);
        while (!reader.at_end()) {
            auto e = reader.next();
            if (e.tag == cccd::tlv::asn1::kOid) (void)cccd::tlv::asn1::decode_oid_value(e.value);
            if (e.tag == cccd::tlv::asn1::kInteger) (void)cccd::tlv::asn1::decode_integer_value(e.value);
            if ((e.tag & ~0x20u) == cccd::tlv::asn1::kOctetString) {
                (void)cccd::tlv::string_value(e, cccd::tlv::asn1::kOctetString);
            }
        }
    } catch (const cccd::Error&) {
    }
    // What the DER checker accepts is DER: parsed and encoded again, it comes back byte for byte.
    if (!cccd::tlv::der_problem(input)) {
        try {
            cccd::Bytes again;
            for (const auto& node : cccd::tlv::parse_tree(input)) cccd::append(again, cccd::tlv::encode(node));
            if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) __builtin_trap();
        } catch (const cccd::Error&) {
        }
    }
    return 0;
}
