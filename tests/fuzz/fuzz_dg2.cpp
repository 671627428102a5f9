// Fuzzes the DG2 decoder and the ISO/IEC 19794-5 face record inside it: whatever is accepted must
// re-encode as DER (byte for byte when it was DER; the face record, which is not TLV, always). Raw input is also fed to the face record decoder directly.
#include <cstddef>
#include <cstdint>

#include "base/error.hpp"
#include "card/lds/dg2.hpp"
#include "card/tlv/tlv.hpp"

namespace {

void check_face_record(cccd::ByteView bytes) {
    cccd::lds::FaceRecord record;
    try {
        record = cccd::lds::decode_face_record(bytes);
    } catch (const cccd::Error&) {
        return;
    }
    cccd::Bytes again = cccd::lds::encode(record);
    if (again != cccd::Bytes(bytes.begin(), bytes.end())) __builtin_trap();
    for (const auto& face : record.faces) {
        (void)cccd::lds::gender_name(face.gender);
        (void)cccd::lds::image_data_type_name(face.image_data_type);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    cccd::ByteView input(data, size);
    check_face_record(input);
    cccd::lds::Dg2 value;
    try {
        value = cccd::lds::decode_dg2(input);
    } catch (const cccd::Error&) {
        return 0;
    }
    cccd::Bytes again = cccd::lds::encode(value);
    // Read leniently, write strictly: DER comes back byte for byte, any other accepted form as DER.
    if (!cccd::tlv::der_problem(input) && again != cccd::Bytes(input.begin(), input.end())) __builtin_trap();
    if (!(cccd::lds::decode_dg2(again) == value)) __builtin_trap();
    for (const auto& t : value.templates) check_face_record(t.data);
    return 0;
}
