#include "card/lds/dg2.hpp"

#include <algorithm>
#include <string>

#include "base/error.hpp"
#include "card/lds/reading.hpp"

namespace cccd::lds {

namespace {

constexpr std::string_view kWhat = "DG2";
constexpr std::string_view kFaceWhat = "face record";
constexpr tlv::Tag kDg2Tag = 0x75;
constexpr tlv::Tag kGroupTemplateTag = 0x7F61;
constexpr tlv::Tag kTemplateTag = 0x7F60;
constexpr tlv::Tag kHeaderTag = 0xA1;
constexpr tlv::Tag kHeaderVersionTag = 0x80;
constexpr tlv::Tag kTypeTag = 0x81;
constexpr tlv::Tag kSubtypeTag = 0x82;
constexpr tlv::Tag kFormatOwnerTag = 0x87;
constexpr tlv::Tag kFormatTypeTag = 0x88;
constexpr std::uint64_t kMaxTemplates = 255;

constexpr std::size_t kRecordHeaderSize = 14;  // "FAC\0" "010\0" length(4) count(2)
constexpr std::size_t kFacialInfoSize = 20;
constexpr std::size_t kFeaturePointSize = 8;
constexpr std::size_t kImageInfoSize = 12;

// Header elements are context-specific primitive tags with one tag byte (80..9E).
bool is_header_element_tag(tlv::Tag tag) { return tag >= 0x80 && tag <= 0x9E; }

bool is_typed_header_tag(tlv::Tag tag) {
    return tag == kHeaderVersionTag || tag == kTypeTag || tag == kSubtypeTag || tag == kFormatOwnerTag ||
           tag == kFormatTypeTag;
}

BiometricHeader read_header(ByteView value) {
    BiometricHeader h;
    bool have_owner = false;
    bool have_type = false;
    tlv::Tag previous = 0;
    tlv::Reader r(value);
    while (!r.at_end()) {
        auto e = detail::next_element(r, kWhat);
        if (!is_header_element_tag(e.tag)) {
            detail::fail(kWhat, "unexpected tag " + detail::tag_hex(e.tag) + " in the biometric header template");
        }
        if (e.tag <= previous) detail::fail(kWhat, "the biometric header template is out of order or repeats a tag");
        previous = e.tag;
        Bytes v(e.value.begin(), e.value.end());
        switch (e.tag) {
            case kHeaderVersionTag: h.icao_header_version = std::move(v); break;
            case kTypeTag: h.biometric_type = std::move(v); break;
            case kSubtypeTag: h.biometric_subtype = std::move(v); break;
            case kFormatOwnerTag: h.format_owner = std::move(v); have_owner = true; break;
            case kFormatTypeTag: h.format_type = std::move(v); have_type = true; break;
            default: h.other.emplace_back(e.tag, std::move(v)); break;
        }
    }
    if (!have_owner || !have_type) detail::fail(kWhat, "the biometric header lacks the format owner (87) or format type (88)");
    return h;
}

Bytes encode_header(const BiometricHeader& h) {
    std::vector<std::pair<tlv::Tag, const Bytes*>> elements;
    if (h.icao_header_version) elements.emplace_back(kHeaderVersionTag, &*h.icao_header_version);
    if (h.biometric_type) elements.emplace_back(kTypeTag, &*h.biometric_type);
    if (h.biometric_subtype) elements.emplace_back(kSubtypeTag, &*h.biometric_subtype);
    elements.emplace_back(kFormatOwnerTag, &h.format_owner);
    elements.emplace_back(kFormatTypeTag, &h.format_type);
    for (const auto& [tag, value] : h.other) {
        if (!is_header_element_tag(tag) || is_typed_header_tag(tag)) {
            throw InvalidArgument("DG2: tag " + detail::tag_hex(tag) + " cannot be an extra biometric header element");
        }
        elements.emplace_back(tag, &value);
    }
    std::sort(elements.begin(), elements.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Bytes out;
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i > 0 && elements[i].first == elements[i - 1].first) throw InvalidArgument("DG2: a biometric header element appears twice");
        append(out, tlv::encode(elements[i].first, *elements[i].second));
    }
    return tlv::encode(kHeaderTag, out);
}

BiometricTemplate read_template(const tlv::Element& element) {
    detail::require_tag(element, kTemplateTag, kWhat);
    tlv::Reader r(element.value);
    BiometricTemplate t;
    t.header = read_header(detail::expect_tag(r, kHeaderTag, kWhat).value);
    auto data = detail::next_element(r, kWhat);
    if (data.tag != kBiometricDataTag && data.tag != kEncipheredBiometricDataTag) {
        detail::fail(kWhat, "expected the biometric data block (5F2E or 7F2E) but found tag " + detail::tag_hex(data.tag));
    }
    if (!r.at_end()) detail::fail(kWhat, "unexpected data after the biometric data block");
    t.data_tag = data.tag;
    t.data.assign(data.value.begin(), data.value.end());
    return t;
}

// Bounds-checked big-endian reading of the face record.
class Cursor {
public:
    explicit Cursor(ByteView data) : data_(data) {}
    std::size_t remaining() const { return data_.size() - pos_; }
    ByteView take(std::size_t n, const char* what) {
        if (n > remaining()) detail::fail(kFaceWhat, std::string(what) + " runs past the end of the data");
        ByteView out = data_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    std::uint32_t number(std::size_t width, const char* what) {
        std::uint32_t v = 0;
        for (std::uint8_t b : take(width, what)) v = (v << 8) | b;
        return v;
    }
    std::uint8_t u8(const char* what) { return static_cast<std::uint8_t>(number(1, what)); }
    std::uint16_t u16(const char* what) { return static_cast<std::uint16_t>(number(2, what)); }

private:
    ByteView data_;
    std::size_t pos_ = 0;
};

void put(Bytes& out, std::uint64_t value, std::size_t width) { append(out, be_bytes(value, width)); }

std::string coded(std::string_view name, unsigned code) {
    if (!name.empty()) return std::string(name);
    return "unknown (" + std::to_string(code) + ")";
}

template <std::size_t N>
std::string lookup(const std::string_view (&names)[N], unsigned code, std::string_view ff_name = {}) {
    if (code < N) return coded(names[code], code);
    if (code == 0xFF && !ff_name.empty()) return std::string(ff_name);
    return coded({}, code);
}

}  // namespace

Bytes encode(const Dg2& dg2) {
    if (dg2.templates.empty()) throw InvalidArgument("DG2: at least one biometric template is needed");
    if (dg2.templates.size() > kMaxTemplates) throw InvalidArgument("DG2: too many biometric templates");
    Bytes group = tlv::asn1::encode_integer(dg2.templates.size());
    for (const auto& t : dg2.templates) {
        if (t.data_tag != kBiometricDataTag && t.data_tag != kEncipheredBiometricDataTag) {
            throw InvalidArgument("DG2: the biometric data tag must be 5F2E or 7F2E");
        }
        append(group, tlv::encode_constructed(kTemplateTag, {encode_header(t.header), tlv::encode(t.data_tag, t.data)}));
    }
    return tlv::encode(kDg2Tag, tlv::encode(kGroupTemplateTag, group));
}

Dg2 decode_dg2(ByteView bytes) {
    auto outer = detail::read_one(bytes, kDg2Tag, kWhat);
    auto group = detail::read_one(outer.value, kGroupTemplateTag, kWhat);
    tlv::Reader r(group.value);
    auto count = detail::read_integer(detail::expect_tag(r, tlv::asn1::kInteger, kWhat), kMaxTemplates, kWhat);
    Dg2 dg2;
    while (!r.at_end()) dg2.templates.push_back(read_template(r.next()));
    if (dg2.templates.empty()) detail::fail(kWhat, "there is no biometric template");
    if (count != dg2.templates.size()) {
        detail::fail(kWhat, "the template count says " + std::to_string(count) + " but " +
                                std::to_string(dg2.templates.size()) + " templates are present");
    }
    return dg2;
}

Bytes encode(const FaceRecord& record) {
    if (record.faces.empty()) throw InvalidArgument("face record: at least one face is needed");
    if (record.faces.size() > 0xFFFF) throw InvalidArgument("face record: too many faces");
    Bytes blocks;
    for (const auto& f : record.faces) {
        if (f.feature_points.size() > 0xFFFF) throw InvalidArgument("face record: too many feature points");
        if (f.feature_mask > 0xFFFFFF) throw InvalidArgument("face record: the feature mask has more than 24 bits");
        std::uint64_t block_length = kFacialInfoSize + kFeaturePointSize * f.feature_points.size() + kImageInfoSize + f.image.size();
        if (block_length > 0xFFFFFFFF) throw InvalidArgument("face record: the image is too large");
        Bytes b;
        put(b, block_length, 4);
        put(b, f.feature_points.size(), 2);
        b.push_back(f.gender);
        b.push_back(f.eye_colour);
        b.push_back(f.hair_colour);
        put(b, f.feature_mask, 3);
        put(b, f.expression, 2);
        append(b, f.pose_angles);
        append(b, f.pose_uncertainty);
        for (const auto& p : f.feature_points) {
            b.push_back(p.type);
            b.push_back(p.code);
            put(b, p.x, 2);
            put(b, p.y, 2);
            put(b, p.reserved, 2);
        }
        b.push_back(f.face_image_type);
        b.push_back(f.image_data_type);
        put(b, f.width, 2);
        put(b, f.height, 2);
        b.push_back(f.colour_space);
        b.push_back(f.source_type);
        put(b, f.device_type, 2);
        put(b, f.quality, 2);
        append(b, f.image);
        append(blocks, b);
    }
    std::uint64_t record_length = kRecordHeaderSize + blocks.size();
    if (record_length > 0xFFFFFFFF) throw InvalidArgument("face record: too large");
    Bytes out = {'F', 'A', 'C', 0, '0', '1', '0', 0};
    put(out, record_length, 4);
    put(out, record.faces.size(), 2);
    append(out, blocks);
    return out;
}

FaceRecord decode_face_record(ByteView bytes) {
    Cursor c(bytes);
    ByteView magic = c.take(4, "the format identifier");
    if (!std::equal(magic.begin(), magic.end(), "FAC")) detail::fail(kFaceWhat, "the format identifier is not \"FAC\"");
    ByteView version = c.take(4, "the version");
    if (!std::equal(version.begin(), version.end(), "010")) {
        detail::fail(kFaceWhat, "only version 010 (ISO/IEC 19794-5:2005) is supported");
    }
    std::uint32_t record_length = c.number(4, "the record length");
    if (record_length != bytes.size()) {
        detail::fail(kFaceWhat, "the record length says " + std::to_string(record_length) + " bytes but " +
                                    std::to_string(bytes.size()) + " are present");
    }
    std::uint16_t face_count = c.u16("the number of faces");
    if (face_count == 0) detail::fail(kFaceWhat, "it holds no face");
    FaceRecord record;
    for (std::uint16_t i = 0; i < face_count; ++i) {
        std::uint32_t block_length = c.number(4, "a face block length");
        if (block_length < 4 || block_length - 4 > c.remaining()) detail::fail(kFaceWhat, "a face block runs past the end of the record");
        Cursor block(c.take(block_length - 4, "a face block"));
        FaceImage f;
        std::uint16_t point_count = block.u16("the number of feature points");
        f.gender = block.u8("the gender");
        f.eye_colour = block.u8("the eye colour");
        f.hair_colour = block.u8("the hair colour");
        f.feature_mask = block.number(3, "the feature mask");
        f.expression = block.u16("the expression");
        ByteView angles = block.take(3, "the pose angles");
        std::copy(angles.begin(), angles.end(), f.pose_angles.begin());
        ByteView uncertainty = block.take(3, "the pose uncertainty");
        std::copy(uncertainty.begin(), uncertainty.end(), f.pose_uncertainty.begin());
        if (static_cast<std::size_t>(point_count) * kFeaturePointSize > block.remaining()) {
            detail::fail(kFaceWhat, "the feature points run past the end of the face block");
        }
        for (std::uint16_t k = 0; k < point_count; ++k) {
            FeaturePoint p;
            p.type = block.u8("a feature point");
            p.code = block.u8("a feature point");
            p.x = block.u16("a feature point");
            p.y = block.u16("a feature point");
            p.reserved = block.u16("a feature point");
            f.feature_points.push_back(p);
        }
        f.face_image_type = block.u8("the image information");
        f.image_data_type = block.u8("the image information");
        f.width = block.u16("the image information");
        f.height = block.u16("the image information");
        f.colour_space = block.u8("the image information");
        f.source_type = block.u8("the image information");
        f.device_type = block.u16("the image information");
        f.quality = block.u16("the image information");
        ByteView image = block.take(block.remaining(), "the image");
        f.image.assign(image.begin(), image.end());
        record.faces.push_back(std::move(f));
    }
    if (c.remaining() != 0) detail::fail(kFaceWhat, "unexpected bytes after the last face block");
    return record;
}

Dg2 make_dg2(const FaceRecord& record) {
    BiometricTemplate t;
    t.header.icao_header_version = Bytes{0x01, 0x01};
    t.header.biometric_type = Bytes{0x02};
    t.header.format_owner = Bytes{0x01, 0x01};
    t.header.format_type = Bytes{0x00, 0x08};
    t.data_tag = kBiometricDataTag;
    t.data = encode(record);
    return Dg2{{std::move(t)}};
}

FaceRecord first_face_record(const Dg2& dg2) {
    for (const auto& t : dg2.templates) {
        if (t.data_tag == kBiometricDataTag) return decode_face_record(t.data);
    }
    throw ParseError("DG2: no plain (5F2E) biometric data block holds a face record");
}

std::string gender_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"unspecified", "male", "female"};
    return lookup(names, code, "unknown");
}

std::string eye_colour_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"unspecified", "black", "blue", "brown", "grey", "green", "multi-coloured", "pink"};
    return lookup(names, code, "other or unknown");
}

std::string hair_colour_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"unspecified", "bald", "black", "blonde", "brown", "grey", "white", "red", "green", "blue"};
    return lookup(names, code, "other or unknown");
}

std::string face_image_type_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"basic", "full frontal", "token frontal"};
    return lookup(names, code);
}

std::string image_data_type_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"JPEG", "JPEG 2000"};
    return lookup(names, code);
}

std::string colour_space_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"unspecified", "24-bit RGB", "YUV422", "8-bit greyscale", "other"};
    return lookup(names, code);
}

std::string source_type_name(std::uint8_t code) {
    static constexpr std::string_view names[] = {"unspecified",
                                                 "static photo, unknown source",
                                                 "static photo, digital still camera",
                                                 "static photo, scanner",
                                                 "video frame, unknown source",
                                                 "video frame, analogue camera",
                                                 "video frame, digital camera",
                                                 "unknown"};
    return lookup(names, code);
}

std::string expression_name(std::uint16_t code) {
    static constexpr std::string_view names[] = {"unspecified", "neutral", "smile, closed jaw", "smile, open jaw",
                                                 "raised eyebrows", "eyes looking away", "squinting", "frowning"};
    return lookup(names, code);
}

}  // namespace cccd::lds
