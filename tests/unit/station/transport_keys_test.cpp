// The blank cards' transport keys at the station: a batch manifest imported once, all or nothing, into
// the queue's encrypted file; a key found by chip serial, forgotten once its card is issued.
#include "station/core/transport_keys.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "base/error.hpp"
#include "crypto/random.hpp"
#include "station/core/enrollment_queue.hpp"
#include "station/core/outcome.hpp"
#include "station/words/outcome_words.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::station {
namespace {

perso::TransportManifest batch(const std::string& name, std::initializer_list<std::pair<const char*, const char*>> cards) {
    perso::TransportManifest m;
    m.batch = name;
    for (const auto& [serial, key] : cards) m.cards.push_back({from_hex(serial), SecretBytes(from_hex(key))});
    return m;
}

constexpr const char* kSerialA = "0011223344556677";
constexpr const char* kSerialB = "8899AABBCCDDEEFF";
constexpr const char* kKeyA = "000102030405060708090A0B0C0D0E0F";
constexpr const char* kKeyB = "F0E0D0C0B0A090807060504030201000";

class TransportKeys : public ::testing::Test {
protected:
    cccd::testing::TempDir dir_;
    std::string path_ = dir_.file("queue.db");
    SecretBytes key_{crypto::random_bytes(32)};
};

TEST_F(TransportKeys, ABatchIsImportedOnceAndEachKeyFoundByItsChipSerial) {
    TransportKeyStore store(path_, key_);
    const TransportImport first = store.import(batch("LOT-1", {{kSerialA, kKeyA}, {kSerialB, kKeyB}}));
    EXPECT_EQ(first.batch, "LOT-1");
    EXPECT_EQ(first.added, 2u);
    EXPECT_EQ(first.already, 0u);
    EXPECT_EQ(store.count(), 2u);
    EXPECT_TRUE(store.key_for(from_hex(kSerialB)) == SecretBytes(from_hex(kKeyB)));
    EXPECT_TRUE(store.lookup()(from_hex(kSerialA)) == SecretBytes(from_hex(kKeyA)));

    // The same batch again (a second station officer, the file clicked twice): nothing new.
    const TransportImport again = store.import(batch("LOT-1", {{kSerialA, kKeyA}, {kSerialB, kKeyB}}));
    EXPECT_EQ(again.added, 0u);
    EXPECT_EQ(again.already, 2u);
    EXPECT_EQ(store.count(), 2u);
}

TEST_F(TransportKeys, AnotherKeyForAHeldSerialRefusesTheWholeBatch) {
    TransportKeyStore store(path_, key_);
    store.import(batch("LOT-1", {{kSerialA, kKeyA}}));
    constexpr const char* kSerialC = "0102030405060708";
    EXPECT_THROW(store.import(batch("LOT-2", {{kSerialC, kKeyB}, {kSerialA, kKeyB}})), InvalidArgument);
    EXPECT_EQ(store.count(), 1u);  // nothing of LOT-2, not even the serial before the conflict
    EXPECT_THROW(store.key_for(from_hex(kSerialC)), perso::UnknownBlankCardError);
    EXPECT_TRUE(store.key_for(from_hex(kSerialA)) == SecretBytes(from_hex(kKeyA)));
}

TEST_F(TransportKeys, AnUnknownCardIsSaidInTheOfficersWordsAndAnIssuedCardsKeyIsForgotten) {
    TransportKeyStore store(path_, key_);
    store.import(batch("LOT-1", {{kSerialA, kKeyA}, {kSerialB, kKeyB}}));
    try {
        (void)store.key_for(from_hex("0000000000000001"));
        ADD_FAILURE() << "an unknown card got a key";
    } catch (const perso::UnknownBlankCardError&) {
        const OperationFailure failure = failure_of(Operation::Issue, std::current_exception());
        EXPECT_EQ(failure.code, Failure::UnknownBlankCard);
        EXPECT_FALSE(failure.retriable());
        EXPECT_NE(utf8(OutcomeWords::failure(failure)).find("Thẻ trắng này không thuộc lô nào"), std::string::npos);
    }
    store.forget(from_hex(kSerialA));
    EXPECT_EQ(store.count(), 1u);
    EXPECT_THROW(store.key_for(from_hex(kSerialA)), perso::UnknownBlankCardError);
}

TEST_F(TransportKeys, TheKeysLiveInTheQueuesEncryptedFileBesideTheQueue) {
    {
        EnrollmentQueue queue(path_, key_);
        TransportKeyStore store(path_, key_);
        store.import(batch("LOT-1", {{kSerialA, kKeyA}}));
    }
    TransportKeyStore reopened(path_, key_);
    EXPECT_EQ(reopened.count(), 1u);
    EXPECT_THROW(TransportKeyStore(path_, SecretBytes(crypto::random_bytes(32))), Error);
    // No key in the clear on disk.
    std::ifstream file(path_, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    const Bytes key = from_hex(kKeyA);
    EXPECT_EQ(bytes.find(std::string(key.begin(), key.end())), std::string::npos);
    EXPECT_EQ(bytes.find("LOT-1"), std::string::npos);
}

TEST_F(TransportKeys, AManifestFileIsImportedAndAFileThatIsNotOneIsTheOfficersInput) {
    TransportKeyStore store(path_, key_);
    const std::string manifest = dir_.file("lot.keys");
    std::ofstream(manifest) << perso::write_transport_manifest(batch("LOT-9", {{kSerialA, kKeyA}}));
    EXPECT_EQ(import_transport_manifest_file(store, manifest).added, 1u);

    const std::string wrong = dir_.file("photo.jpg");
    std::ofstream(wrong) << "\xFF\xD8 not a manifest";
    try {
        import_transport_manifest_file(store, wrong);
        ADD_FAILURE() << "a photo was imported as a manifest";
    } catch (const ParseError&) {
        const OperationFailure failure = failure_of(Operation::ImportTransportKeys, std::current_exception());
        EXPECT_EQ(failure.code, Failure::InvalidInput);
        EXPECT_NE(utf8(OutcomeWords::failure(failure)).find("Không nhập được bảng kê khoá của lô thẻ trắng"), std::string::npos);
    }
    EXPECT_THROW(import_transport_manifest_file(store, dir_.file("missing.keys")), InvalidArgument);
}

}  // namespace
}  // namespace cccd::station
