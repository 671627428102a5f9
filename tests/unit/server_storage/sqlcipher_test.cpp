// What only the embedded backend promises: the key, no plaintext on disk; and the name folding.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "tests/unit/server_storage/storage_backends.hpp"

namespace cccd::server::test {
namespace {

constexpr const char* kWrongKeyMessage = "the database key is wrong or the file is not a CCCD database";

Bytes file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool contains(const Bytes& haystack, std::string_view needle) {
    const ByteView bytes = view(needle);  // as unsigned bytes: UTF-8 above 0x7F must compare equal
    return std::search(haystack.begin(), haystack.end(), bytes.begin(), bytes.end()) != haystack.end();
}

TEST(SqlCipherStorage, AWrongKeyIsRefusedAtOpenWithAClearMessage) {
    TempDir dir;
    const std::string path = dir.path() + "/population.db";
    open_storage({StorageKind::SqlCipher, path, test_key(0x11), 2})->transaction([](Transaction& t) {
        t.put_citizen(make_citizen(1));
    });
    try {
        open_storage({StorageKind::SqlCipher, path, test_key(0x12), 2});
        FAIL() << "a wrong key opened the database";
    } catch (const WrongKeyError& e) {
        EXPECT_NE(std::string(e.what()).find(kWrongKeyMessage), std::string::npos) << e.what();
        EXPECT_EQ(std::string(e.what()).find(to_hex(test_key(0x12).view())), std::string::npos) << "key in message";
    }
    // Without a key (plain mode) the encrypted file is not a database either.
    EXPECT_THROW(open_storage({StorageKind::PlainSqlite, path, {}, 2}), WrongKeyError);
    // The right key still opens it, and the data is intact.
    EXPECT_EQ(open_storage({StorageKind::SqlCipher, path, test_key(0x11), 2})->count_citizens(), 1u);
}

TEST(SqlCipherStorage, APlainFileIsNotOpenedWithAKey) {
    TempDir dir;
    const std::string path = dir.path() + "/plain.db";
    open_storage({StorageKind::PlainSqlite, path, {}, 1});
    EXPECT_THROW(open_storage({StorageKind::SqlCipher, path, test_key(), 1}), WrongKeyError);
}

TEST(SqlCipherStorage, TheKeyMustBe32Bytes) {
    TempDir dir;
    EXPECT_THROW(open_storage({StorageKind::SqlCipher, dir.path() + "/a.db", SecretBytes(Bytes(31, 1)), 1}),
                 InvalidArgument);
    EXPECT_THROW(open_storage({StorageKind::SqlCipher, dir.path() + "/a.db", SecretBytes(), 1}), InvalidArgument);
    EXPECT_THROW(open_storage({StorageKind::SqlCipher, "", test_key(), 1}), InvalidArgument);
}

// The file and its write-ahead log hold no name, folded key or ID in clear. The same check on a
// plain SQLite file finds them, which shows the search would see them if they were there.
TEST(SqlCipherStorage, NoPlaintextInTheFileOrItsWal) {
    const std::string name = "Lê Thị Quỳnh Hương";
    const std::string folded = "le thi quynh huong";
    ASSERT_EQ(fold_name(name), folded);
    for (const StorageKind kind : {StorageKind::SqlCipher, StorageKind::PlainSqlite}) {
        TempDir dir;
        const std::string path = dir.path() + "/population.db";
        const Citizen citizen = make_citizen(777, name);
        auto storage = open_storage({kind, path, kind == StorageKind::SqlCipher ? test_key() : SecretBytes(), 1});
        storage->transaction([&](Transaction& t) { t.put_citizen(citizen); });
        // While open, the commit is in the WAL (not yet checkpointed into the main file).
        const Bytes wal = file_bytes(path + "-wal");
        const Bytes main = file_bytes(path);
        ASSERT_FALSE(wal.empty());
        Bytes both = main;
        append(both, wal);
        const bool encrypted = kind == StorageKind::SqlCipher;
        for (const std::string& secret : {name, folded, citizen.person.personal_id}) {
            EXPECT_EQ(contains(both, secret), !encrypted) << to_string(kind) << ": " << secret;
        }
        storage.reset();  // the last close checkpoints the WAL into the main file
        const Bytes closed = file_bytes(path);
        EXPECT_EQ(contains(closed, name), !encrypted) << to_string(kind);
        EXPECT_EQ(contains(closed, folded), !encrypted) << to_string(kind);
    }
}

TEST(SqlCipherStorage, TheFileUsesWriteAheadLoggingFullSyncAndForeignKeys) {
    TempDir dir;
    const std::string path = dir.path() + "/population.db";
    auto storage = open_storage({StorageKind::SqlCipher, path, test_key(), 1});
    // journal_mode=WAL is persistent in the file header: a raw connection sees it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const std::string pragma = "PRAGMA key = \"x'" + to_hex(test_key().view()) + "'\"";
    sqlite3_exec(db, pragma.c_str(), nullptr, nullptr, nullptr);
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &statement, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(statement), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)), "wal");
    sqlite3_finalize(statement);
    sqlite3_close(db);
    // Foreign keys are enforced on the store's own connections.
    EXPECT_THROW(storage->transaction([](Transaction& t) { t.put_card(make_card("0000000000000001", "001000000000")); }),
                 ConstraintError);
}

TEST(StorageConfig, KindNames) {
    EXPECT_EQ(storage_kind_from("sqlcipher"), StorageKind::SqlCipher);
    EXPECT_EQ(storage_kind_from("sqlite"), StorageKind::PlainSqlite);
    EXPECT_EQ(storage_kind_from("postgres"), StorageKind::Postgres);
    EXPECT_FALSE(storage_kind_from("mysql").has_value());
    EXPECT_EQ(to_string(StorageKind::Postgres), "postgres");
}

TEST(FoldName, RemovesVietnameseDiacriticsInEitherNormalForm) {
    EXPECT_EQ(fold_name("Nguyễn Văn Đức"), "nguyen van duc");
    // NFD: base letters followed by combining marks (U+0303, U+0302, U+0306).
    EXPECT_EQ(fold_name("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n"), "nguyen van");
    EXPECT_EQ(fold_name("  ĐẶNG   thị-Ánh, Ngọc  "), "dang thi anh ngoc");
    EXPECT_EQ(fold_name("Ưng Ơn Ỷ Ỹ Ỵ Ĩ Ũ"), "ung on y y y i u");
    EXPECT_EQ(fold_name("Bùi Thị Ý Nhi"), "bui thi y nhi");
    EXPECT_EQ(fold_name(""), "");
    EXPECT_EQ(fold_name("\xFF\xFE"), "");  // not UTF-8: dropped, never thrown
}

}  // namespace
}  // namespace cccd::server::test
