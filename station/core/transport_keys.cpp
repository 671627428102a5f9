#include "station/core/transport_keys.hpp"

#include <array>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "db/sqlcipher.hpp"

namespace cccd::station {

namespace {

using db::Statement;
using db::Value;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS transport_keys (
    chip_serial BLOB PRIMARY KEY,
    key         BLOB NOT NULL,
    batch       TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
)sql";

const Statement kKeyOf{"transport key of serial", "SELECT key FROM transport_keys WHERE chip_serial = ?1"};
const Statement kInsert{"transport key insert",
                        "INSERT INTO transport_keys (chip_serial, key, batch, imported_at) VALUES (?1, ?2, ?3, ?4)"};
const Statement kForget{"transport key forget", "DELETE FROM transport_keys WHERE chip_serial = ?1"};
const Statement kCount{"transport key count", "SELECT count(*) FROM transport_keys"};

// A key read from the file: moved into protected storage at once.
SecretBytes key_of(const db::Row& row) { return SecretBytes(row.bytes(0)); }

}  // namespace

TransportKeyStore::TransportKeyStore(const std::string& path, const SecretBytes& key) : db_(db::open_sqlcipher(path, key)) {
    db_->execute_script(kSchema);
}

TransportKeyStore::~TransportKeyStore() = default;

TransportImport TransportKeyStore::import(const perso::TransportManifest& manifest) {
    TransportImport report;
    report.batch = manifest.batch;
    const std::string now = cccd::utc_now();
    db_->begin(false);
    try {
        for (const auto& card : manifest.cards) {
            const std::array<Value, 1> serial{card.chip_serial};
            const auto rows = db_->query(kKeyOf, serial);
            if (!rows.empty()) {
                if (!(key_of(rows.front()) == card.key))
                    throw InvalidArgument("chip serial " + to_hex(card.chip_serial) +
                                          " is already held with another transport key: batch " + manifest.batch +
                                          " not imported");
                ++report.already;
                continue;
            }
            std::array<Value, 4> values{card.chip_serial, card.key.copy(), manifest.batch, now};
            db_->execute(kInsert, values);
            secure_wipe(std::get<Bytes>(values[1]));
            ++report.added;
        }
        db_->commit();
    } catch (...) {
        db_->rollback();
        throw;
    }
    return report;
}

SecretBytes TransportKeyStore::key_for(ByteView chip_serial) {
    const std::array<Value, 1> serial{Bytes(chip_serial.begin(), chip_serial.end())};
    const auto rows = db_->query(kKeyOf, serial);
    if (rows.empty()) throw perso::UnknownBlankCardError(chip_serial);
    return key_of(rows.front());
}

void TransportKeyStore::forget(ByteView chip_serial) {
    const std::array<Value, 1> serial{Bytes(chip_serial.begin(), chip_serial.end())};
    db_->execute(kForget, serial);
}

std::size_t TransportKeyStore::count() {
    return static_cast<std::size_t>(db_->query(kCount, {}).at(0).integer(0));
}

perso::TransportKeyLookup TransportKeyStore::lookup() {
    return [this](ByteView chip_serial) { return key_for(chip_serial); };
}

TransportImport import_transport_manifest_file(TransportKeyStore& store, const std::filesystem::path& manifest) {
    std::error_code size_error;
    const auto size = std::filesystem::file_size(manifest, size_error);
    if (size_error) throw InvalidArgument("cannot open the transport key manifest " + manifest.string());
    if (size > perso::kMaxManifestBytes) throw ParseError("transport key manifest: larger than the parser takes; split the batch");
    Bytes text;
    try {
        text = read_file(manifest.string());
    } catch (const Error&) {
        throw InvalidArgument("cannot open the transport key manifest " + manifest.string());
    }
    try {
        const perso::TransportManifest parsed =
            perso::parse_transport_manifest(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()));
        secure_wipe(text);
        return store.import(parsed);
    } catch (...) {
        secure_wipe(text);
        throw;
    }
}

}  // namespace cccd::station
