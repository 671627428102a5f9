#include "identity/text_rules.hpp"

#include <algorithm>
#include <array>

namespace cccd::identity {

namespace {

constexpr std::size_t kMaxNameCharacters = 100;

// The precomposed letters of Vietnamese outside the Latin Extended Additional block.
constexpr std::array<char32_t, 40> kPrecomposed = {
    0xC0, 0xC1, 0xC2, 0xC3, 0xC8, 0xC9, 0xCA, 0xCC, 0xCD, 0xD2, 0xD3, 0xD4, 0xD5, 0xD9, 0xDA, 0xDD,  // À..Ý
    0xE0, 0xE1, 0xE2, 0xE3, 0xE8, 0xE9, 0xEA, 0xEC, 0xED, 0xF2, 0xF3, 0xF4, 0xF5, 0xF9, 0xFA, 0xFD,  // à..ý
    0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169,                                            // Ă ă Đ đ Ĩ ĩ Ũ ũ
};

bool is_combining_mark(char32_t c) { return c >= 0x300 && c <= 0x36F; }

// Characters that change how text is shown without being seen, or that no text should hold.
bool is_forbidden_in_text(char32_t c) {
    if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true;                // C0, DEL, C1
    if (c == 0x61C || c == 0x200E || c == 0x200F) return true;                          // bidi marks
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) return true;      // bidi overrides, isolates
    if ((c >= 0x200B && c <= 0x200D) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF) return true;  // invisible
    if (c == 0xAD || c == 0x180E || (c >= 0xFFF9 && c <= 0xFFFB)) return true;         // soft hyphen, other format
    if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) return true;            // non-characters
    return false;
}

std::string said(std::string_view field, std::string_view rule) { return std::string(field) + " " + std::string(rule); }

}  // namespace

std::optional<std::u32string> decode_utf8(std::string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        char32_t c = 0;
        if (lead < 0x80) {
            length = 1;
            c = lead;
        } else if (lead >= 0xC2 && lead <= 0xDF) {
            length = 2;
            c = lead & 0x1F;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            length = 3;
            c = lead & 0x0F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            length = 4;
            c = lead & 0x07;
        } else {
            return std::nullopt;
        }
        if (i + length > text.size()) return std::nullopt;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return std::nullopt;
            c = (c << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        if ((length == 3 && c < 0x800) || (length == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
            (c >= 0xD800 && c <= 0xDFFF))
            return std::nullopt;
        out.push_back(c);
        i += length;
    }
    return out;
}

bool is_vietnamese_letter(char32_t c) noexcept {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    if (c == 0x1A0 || c == 0x1A1 || c == 0x1AF || c == 0x1B0) return true;  // Ơ ơ Ư ư
    if (c >= 0x1EA0 && c <= 0x1EF9) return true;                            // Ạ ạ .. Ỹ ỹ
    return std::find(kPrecomposed.begin(), kPrecomposed.end(), c) != kPrecomposed.end();
}

std::optional<std::string> text_field_problem(std::string_view text, std::string_view field) {
    const auto points = decode_utf8(text);
    if (!points) return said(field, "is not valid UTF-8 text");
    for (char32_t c : *points) {
        if (is_forbidden_in_text(c))
            return said(field, "holds a control, direction-changing or invisible character: type it again as plain text");
        if (is_combining_mark(c))
            return said(field, "holds a separate accent mark: write it with precomposed letters (Unicode NFC)");
    }
    return std::nullopt;
}

std::optional<std::string> person_name_problem(std::string_view name, std::string_view field) {
    if (auto problem = text_field_problem(name, field)) return problem;
    const std::u32string points = *decode_utf8(name);
    if (points.empty()) return said(field, "is empty");
    if (points.size() > kMaxNameCharacters)
        return said(field, "is longer than " + std::to_string(kMaxNameCharacters) + " characters");
    for (std::size_t i = 0; i < points.size(); ++i) {
        const char32_t c = points[i];
        if (is_vietnamese_letter(c)) continue;
        const bool between_letters = i > 0 && i + 1 < points.size() && is_vietnamese_letter(points[i - 1]) &&
                                     is_vietnamese_letter(points[i + 1]);
        if (c == '-' || c == '\'') {
            if (!between_letters) return said(field, "has a hyphen or an apostrophe that is not between two letters");
            continue;
        }
        if (c == ' ') {
            if (i == 0 || i + 1 == points.size()) return said(field, "starts or ends with a space");
            if (points[i + 1] == ' ') return said(field, "has two spaces in a row");
            continue;
        }
        return said(field, "may hold only letters (with their accents), spaces, hyphens and apostrophes");
    }
    return std::nullopt;
}

}  // namespace cccd::identity
