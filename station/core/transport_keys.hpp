#pragma once
// The blank cards' issuer transport keys at the station, imported once per batch from the card maker's
// manifest (card/perso/transport_manifest.hpp) into the station's encrypted SQLCipher file (the queue's
// file and key), looked up by the chip serial of the card in the reader when it is personalized, and
// forgotten once that card is issued (locked, its key opens nothing). The officer places the card and
// presses one button: no key file per card, no path to type.
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "base/bytes.hpp"
#include "card/perso/personalizer.hpp"
#include "card/perso/transport_manifest.hpp"

namespace cccd::db {
class Connection;
}

namespace cccd::station {

struct TransportImport {
    std::string batch;
    std::size_t added = 0;    // new chip serials
    std::size_t already = 0;  // the same serial with the same key (the batch imported again)
};

class TransportKeyStore {
public:
    // Opens (or creates) the table in the SQLCipher file at `path` with its 32-byte key: the queue's.
    TransportKeyStore(const std::string& path, const SecretBytes& key);
    ~TransportKeyStore();
    TransportKeyStore(const TransportKeyStore&) = delete;
    TransportKeyStore& operator=(const TransportKeyStore&) = delete;

    // All of the batch or nothing, in one transaction. Importing the same batch again adds nothing;
    // a serial already held with another key refuses the whole batch (InvalidArgument naming the
    // serial): two makers' lists disagree, and guessing would lock out a card.
    TransportImport import(const perso::TransportManifest& manifest);

    // perso::UnknownBlankCardError when no imported batch holds the serial.
    SecretBytes key_for(ByteView chip_serial);
    // The card was issued and locked: its key is no longer kept.
    void forget(ByteView chip_serial);
    std::size_t count();

    // key_for as personalization asks for it; the store must outlive the lookup.
    perso::TransportKeyLookup lookup();

private:
    std::unique_ptr<db::Connection> db_;
};

// Reads, parses and imports a manifest file (the text is wiped after parsing). ParseError in words for
// a file that is not a manifest, with the line; InvalidArgument as import() says.
TransportImport import_transport_manifest_file(TransportKeyStore& store, const std::filesystem::path& manifest);

}  // namespace cccd::station
