#pragma once
// What the register and the card accept as text about a person. Everything here ends up in DG13 (signed,
// on the chip for ten years or more), on the printed card and in what relying parties are told, so it
// is refused at the door rather than cleaned up later:
//   - a person's name (full name, father, mother, spouse): the letters of Vietnamese (and of the
//     minority languages written with the same alphabet, so also F, J, W, Z), precomposed (NFC), words
//     separated by single spaces, hyphens and apostrophes inside words;
//   - any other text field (place of residence, ethnicity, ...): valid UTF-8 without control
//     characters (C0, DEL, C1), bidirectional overrides and isolates, zero-width or other invisible
//     format characters, or non-characters.
// The messages are the officer's: they name the field and the rule, never the value (personal data).
#include <optional>
#include <string>
#include <string_view>

namespace cccd::identity {

// Why `name` is not a person's name as the register writes it, or nothing when it is. `field` names
// the field in the message ("the full name").
std::optional<std::string> person_name_problem(std::string_view name, std::string_view field);

// Why `text` cannot be stored in a text field, or nothing when it can.
std::optional<std::string> text_field_problem(std::string_view text, std::string_view field);

// The code points of valid UTF-8 (shortest form, no surrogates, at most U+10FFFF), or nothing.
std::optional<std::u32string> decode_utf8(std::string_view text);

// A Vietnamese letter as the register writes it: a-z, A-Z, and the precomposed letters with their
// diacritics (à á â ã è é ê ì í ò ó ô õ ù ú ý ă đ ĩ ũ ơ ư, U+1EA0..U+1EF9, and their capitals).
bool is_vietnamese_letter(char32_t c) noexcept;

}  // namespace cccd::identity
