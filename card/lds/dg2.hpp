#pragma once
// DG2 (ICAO 9303 Part 10): the encoded face, and the ISO/IEC 19794-5:2005 face record inside it.
//   75 { 7F61 { 02 count, 7F60 { A1 { biometric header }, 5F2E (or 7F2E) biometric data } ... } }
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::lds {

// Biometric header template (A1), ISO/IEC 7816-11 / CBEFF. Elements are written in ascending tag
// order, which is also the order a decoded template must have.
struct BiometricHeader {
    std::optional<Bytes> icao_header_version;  // 80, "0101"
    std::optional<Bytes> biometric_type;       // 81, 02 = facial features
    std::optional<Bytes> biometric_subtype;    // 82
    Bytes format_owner;                        // 87, 0101 = ISO/IEC JTC 1/SC 37
    Bytes format_type;                         // 88, 0008 = face image (ISO/IEC 19794-5)
    std::vector<std::pair<tlv::Tag, Bytes>> other;  // any other primitive element (83 creation date ...)
    friend bool operator==(const BiometricHeader&, const BiometricHeader&) = default;
};

inline constexpr tlv::Tag kBiometricDataTag = 0x5F2E;           // plain biometric data block
inline constexpr tlv::Tag kEncipheredBiometricDataTag = 0x7F2E;  // enciphered biometric data block

// One biometric information template (7F60).
struct BiometricTemplate {
    BiometricHeader header;
    tlv::Tag data_tag = kBiometricDataTag;
    Bytes data;  // the data block (a face record for 5F2E in DG2)
    friend bool operator==(const BiometricTemplate&, const BiometricTemplate&) = default;
};

struct Dg2 {
    std::vector<BiometricTemplate> templates;  // at least one
    friend bool operator==(const Dg2&, const Dg2&) = default;
};

Bytes encode(const Dg2& dg2);
Dg2 decode_dg2(ByteView bytes);

// ---- ISO/IEC 19794-5:2005 face record ----

struct FeaturePoint {
    std::uint8_t type = 1;   // 1 = MPEG-4 feature point
    std::uint8_t code = 0;   // major (high nibble) and minor (low nibble) point number
    std::uint16_t x = 0;
    std::uint16_t y = 0;
    std::uint16_t reserved = 0;
    friend bool operator==(const FeaturePoint&, const FeaturePoint&) = default;
};

enum class ImageDataType : std::uint8_t { Jpeg = 0, Jpeg2000 = 1 };

struct FaceImage {
    // Facial information
    std::uint8_t gender = 0;       // 0 unspecified, 1 male, 2 female, 0xFF unknown
    std::uint8_t eye_colour = 0;   // 0 unspecified, 1 black, 2 blue, 3 brown, 4 grey, 5 green, 6 multi, 7 pink, 0xFF other
    std::uint8_t hair_colour = 0;  // 0 unspecified, 1 bald, 2 black, 3 blonde, 4 brown, 5 grey, 6 white, 7 red, 8 green, 9 blue, 0xFF unknown
    std::uint32_t feature_mask = 0;  // 24 bits
    std::uint16_t expression = 0;  // 0 unspecified, 1 neutral, 2 smile closed, 3 smile open, ...
    std::array<std::uint8_t, 3> pose_angles{};       // yaw, pitch, roll
    std::array<std::uint8_t, 3> pose_uncertainty{};  // yaw, pitch, roll
    std::vector<FeaturePoint> feature_points;
    // Image information
    std::uint8_t face_image_type = 1;  // 0 basic, 1 full frontal, 2 token frontal
    std::uint8_t image_data_type = 0;  // 0 JPEG, 1 JPEG 2000
    std::uint16_t width = 0;
    std::uint16_t height = 0;
    std::uint8_t colour_space = 1;     // 0 unspecified, 1 24-bit RGB, 2 YUV422, 3 8-bit grey, 4 other
    std::uint8_t source_type = 2;      // 2 static photo from a digital still camera, ...
    std::uint16_t device_type = 0;
    std::uint16_t quality = 0;
    Bytes image;  // the JPEG or JPEG 2000 bytes
    friend bool operator==(const FaceImage&, const FaceImage&) = default;
};

struct FaceRecord {
    std::vector<FaceImage> faces;  // at least one
    friend bool operator==(const FaceRecord&, const FaceRecord&) = default;
};

// "FAC\0" "010\0", record length, face count, then each face block; every length must agree with the data.
Bytes encode(const FaceRecord& record);
FaceRecord decode_face_record(ByteView bytes);

// A DG2 with one template holding `record` and the usual ICAO header (version 0101, type 02, owner 0101, format 0008).
Dg2 make_dg2(const FaceRecord& record);

// The face record of the first plain (5F2E) template; ParseError when there is none or it is malformed.
FaceRecord first_face_record(const Dg2& dg2);

// Readable names of coded values ("male", "JPEG", "full frontal"...); "unknown (n)" style text for others.
std::string gender_name(std::uint8_t code);
std::string eye_colour_name(std::uint8_t code);
std::string hair_colour_name(std::uint8_t code);
std::string face_image_type_name(std::uint8_t code);
std::string image_data_type_name(std::uint8_t code);
std::string colour_space_name(std::uint8_t code);
std::string source_type_name(std::uint8_t code);
std::string expression_name(std::uint16_t code);

}  // namespace cccd::lds
