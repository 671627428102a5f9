// The factory, the configuration names, the shorthands and the name folding behind search.
#include "server/storage/storage.hpp"

#include <algorithm>
#include <array>

#include "server/storage/postgres_storage.hpp"
#include "server/storage/sqlcipher_storage.hpp"

namespace cccd::server {

std::string_view to_string(StorageKind kind) {
    switch (kind) {
        case StorageKind::SqlCipher: return "sqlcipher";
        case StorageKind::PlainSqlite: return "sqlite";
        case StorageKind::Postgres: return "postgres";
    }
    return "unknown";
}

std::optional<StorageKind> storage_kind_from(std::string_view text) {
    for (StorageKind kind : {StorageKind::SqlCipher, StorageKind::PlainSqlite, StorageKind::Postgres}) {
        if (to_string(kind) == text) return kind;
    }
    return std::nullopt;
}

std::unique_ptr<Storage> open_storage(const StorageConfig& config) {
    if (config.location.empty()) {
        throw InvalidArgument(config.kind == StorageKind::Postgres
                                  ? "storage: no PostgreSQL connection string configured"
                                  : "storage: no database file configured");
    }
    switch (config.kind) {
        case StorageKind::SqlCipher:
            if (config.key.size() != 32) {
                throw InvalidArgument("storage: the SQLCipher key must be 32 bytes, got " +
                                      std::to_string(config.key.size()));
            }
            return std::make_unique<SqlCipherStorage>(config.location, config.key, config.pool_size);
        case StorageKind::PlainSqlite:
            return std::make_unique<SqlCipherStorage>(config.location, std::nullopt, config.pool_size);
        case StorageKind::Postgres:
            return std::make_unique<PostgresStorage>(config.location, config.pool_size);
    }
    throw InvalidArgument("storage: unknown storage kind");
}

std::uint32_t Storage::latest_schema_version() noexcept {
    std::uint32_t latest = 0;
    for (const auto& migration : sql::migrations()) latest = std::max(latest, migration.version);
    return latest;
}

std::optional<Citizen> Storage::get_citizen(std::string_view personal_id) {
    return read([&](Transaction& t) { return t.get_citizen(personal_id); });
}

std::uint64_t Storage::count_citizens() {
    return read([](Transaction& t) { return t.count_citizens(); });
}

std::string Storage::allocate_card_number() {
    return transaction([](Transaction& t) { return t.allocate_card_number(); });
}

// ---- fold_name ----

namespace {

// U+1EA0..U+1EF9, the Vietnamese block of Latin Extended Additional, as base letters (pairs upper/lower).
constexpr std::string_view kVietnameseBlock =
    "AaAaAaAaAaAaAaAaAaAaAaAa"  // Ạ Ả Ấ Ầ Ẩ Ẫ Ậ Ắ Ằ Ẳ Ẵ Ặ
    "EeEeEeEeEeEeEeEe"          // Ẹ Ẻ Ẽ Ế Ề Ể Ễ Ệ
    "IiIi"                      // Ỉ Ị
    "OoOoOoOoOoOoOoOoOoOoOoOo"  // Ọ Ỏ Ố Ồ Ổ Ỗ Ộ Ớ Ờ Ở Ỡ Ợ
    "UuUuUuUuUuUuUu"            // Ụ Ủ Ứ Ừ Ử Ữ Ự
    "YyYyYyYy";                 // Ỳ Ỵ Ỷ Ỹ
static_assert(kVietnameseBlock.size() == 0x1EF9 - 0x1EA0 + 1);

// U+00C0..U+00FF (Latin-1): ' ' where there is no base letter (× ÷ Þ þ).
constexpr std::string_view kLatin1 =
    "AAAAAAACEEEEIIII"
    "DNOOOOO OUUUUY s"
    "aaaaaaaceeeeiiii"
    "dnooooo ouuuuy y";
static_assert(kLatin1.size() == 64);

// The ASCII letter (either case) a code point folds to; 0 to drop it (combining marks), ' ' for a separator.
char base_letter(char32_t cp) {
    if (cp < 0x80) {
        const auto c = static_cast<char>(cp);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return c;
        if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
        return ' ';
    }
    if (cp >= 0x0300 && cp <= 0x036F) return 0;  // combining diacritics (NFD input)
    if (cp >= 0x00C0 && cp <= 0x00FF) return kLatin1[cp - 0x00C0];
    if (cp >= 0x1EA0 && cp <= 0x1EF9) return kVietnameseBlock[cp - 0x1EA0];
    switch (cp) {
        case 0x0102: case 0x0103: return 'a';  // Ă ă
        case 0x0110: case 0x0111: return 'd';  // Đ đ
        case 0x0128: case 0x0129: return 'i';  // Ĩ ĩ
        case 0x0168: case 0x0169: return 'u';  // Ũ ũ
        case 0x01A0: case 0x01A1: return 'o';  // Ơ ơ
        case 0x01AF: case 0x01B0: return 'u';  // Ư ư
        default: return ' ';
    }
}

// Decodes one UTF-8 sequence at `i`; a malformed byte reads as U+FFFD and advances by one.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = length == 1 ? lead : static_cast<char32_t>(lead & (0x7F >> length));
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    i += length;
    return cp;
}

}  // namespace

std::string fold_name(std::string_view utf8_name) {
    std::string key;
    key.reserve(utf8_name.size());
    for (std::size_t i = 0; i < utf8_name.size();) {
        char letter = base_letter(next_code_point(utf8_name, i));
        if (letter >= 'A' && letter <= 'Z') letter = static_cast<char>(letter - 'A' + 'a');
        if (letter == 0) continue;
        if (letter == ' ') {
            if (!key.empty() && key.back() != ' ') key.push_back(' ');
        } else {
            key.push_back(letter);
        }
    }
    if (!key.empty() && key.back() == ' ') key.pop_back();
    return key;
}

}  // namespace cccd::server
