// db/: what each driver makes of values and of the database's refusals, below the server's storage.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>

#include "db/postgres/postgres.hpp"
#include "db/sqlcipher.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace cccd::db {
namespace {

SecretBytes key_of(std::uint8_t fill) { return SecretBytes(Bytes(32, fill)); }

constexpr Statement kCreate{"create t", "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB)"};
constexpr Statement kInsert{"insert t", "INSERT INTO t (id, name, data) VALUES (?1, ?2, ?3)"};
constexpr Statement kSelect{"select t", "SELECT id, name, data FROM t ORDER BY id"};
constexpr Statement kUpdate{"update t", "UPDATE t SET name = ?2 WHERE id = ?1"};

class SqlCipherDriver : public ::testing::Test {
protected:
    cccd::testing::TempDir dir_;
    std::string path_ = dir_.file("db.sqlite");
};

TEST_F(SqlCipherDriver, ValuesComeBackAsTheyWentInAndAnEmptyBlobStaysApartFromNull) {
    auto db = open_sqlcipher(path_, key_of(1));
    db->begin(false);
    db->execute(kCreate, {});
    const std::array<Value, 3> first{std::int64_t{1}, std::string("Nguyễn\tVăn A"), Bytes{0x00, 0xFF}};
    const std::array<Value, 3> second{std::int64_t{2}, Null{}, Bytes{}};
    EXPECT_EQ(db->execute(kInsert, first), 1u);
    EXPECT_EQ(db->execute(kInsert, second), 1u);
    db->commit();
    db->begin(true);
    const auto rows = db->query(kSelect, {});
    db->commit();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].integer(0), 1);
    EXPECT_EQ(rows[0].text(1), "Nguyễn\tVăn A");
    EXPECT_EQ(rows[0].bytes(2), (Bytes{0x00, 0xFF}));
    EXPECT_TRUE(rows[1].is_null(1));
    EXPECT_EQ(rows[1].optional_text(1), std::nullopt);
    EXPECT_FALSE(rows[1].is_null(2));
    EXPECT_TRUE(rows[1].bytes(2).empty());
    EXPECT_THROW((void)rows[0].integer(1), StorageError);  // text is not an integer
}

// The register and the station's queue hold personal data: a new database, its -wal and its -shm are
// their owner's alone whatever the umask (SQLite's own default would make them 0644 less the umask).
TEST_F(SqlCipherDriver, ANewDatabaseAndItsWalAndShmFilesAreReadableByTheirOwnerOnly) {
    const mode_t previous = ::umask(022);
    {
        auto db = open_sqlcipher(path_, key_of(1));
        db->begin(false);
        db->execute(kCreate, {});
        db->commit();
        for (const std::string& file : {path_, path_ + "-wal", path_ + "-shm"}) {
            struct stat info {};
            ASSERT_EQ(::stat(file.c_str(), &info), 0) << file;
            EXPECT_EQ(info.st_mode & 0777, 0600u) << file;
        }
    }
    ::umask(previous);
}

// An existing file keeps the mode its operator gave it.
TEST_F(SqlCipherDriver, AnExistingDatabaseKeepsItsMode) {
    { auto db = open_sqlcipher(path_, key_of(1)); }
    ASSERT_EQ(::chmod(path_.c_str(), 0640), 0);
    { auto db = open_sqlcipher(path_, key_of(1)); }
    struct stat info {};
    ASSERT_EQ(::stat(path_.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640u);
}

TEST_F(SqlCipherDriver, TheWrongKeyAndAKeyOfTheWrongSizeAreRefusedBeforeAnythingIsWritten) {
    {
        auto db = open_sqlcipher(path_, key_of(1));
        db->execute_script("CREATE TABLE t (id INTEGER)");
    }
    EXPECT_THROW(open_sqlcipher(path_, key_of(2)), WrongKeyError);
    EXPECT_THROW(open_sqlcipher(path_, std::nullopt), WrongKeyError);
    EXPECT_THROW(open_sqlcipher(path_, SecretBytes(Bytes(31, 1))), InvalidArgument);
}

TEST_F(SqlCipherDriver, ConstraintsAndTriggerRulesBecomeTypedErrorsThatQuoteNoValue) {
    auto db = open_sqlcipher(path_, key_of(1));
    db->execute_script(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB);"
        "CREATE TRIGGER t_frozen BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'cccd: rows of t are frozen'); END;");
    const std::array<Value, 3> row{std::int64_t{7}, std::string("079303012345"), Bytes{}};
    db->execute(kInsert, row);
    try {
        db->execute(kInsert, row);
        FAIL() << "a second row with the same key was accepted";
    } catch (const ConflictError& e) {
        EXPECT_EQ(std::string(e.what()).find("079303012345"), std::string::npos);
    }
    const std::array<Value, 2> update{std::int64_t{7}, std::string("001099012345")};
    try {
        db->execute(kUpdate, update);
        FAIL() << "the trigger did not refuse the update";
    } catch (const SchemaRuleError& e) {
        EXPECT_EQ(e.rule(), "rows of t are frozen");
        EXPECT_EQ(std::string(e.what()), "storage: update t: rows of t are frozen");
    }
}

TEST(DbErrors, OnlyABusyDatabaseIsTransientNeverAnUnknownCommitOutcome) {
    EXPECT_TRUE(is_transient(BusyError("busy")));
    EXPECT_FALSE(is_transient(CommitOutcomeUnknownError("in doubt")));  // running it again could do it twice
    EXPECT_FALSE(is_transient(ConflictError("taken")));
    EXPECT_FALSE(is_transient(WrongKeyError("wrong key")));
    EXPECT_FALSE(is_transient(SchemaRuleError("refused", "rule")));
}

// PostgreSQL: a throwaway server on loopback, started on first use (tests/support/postgres_fixture.hpp).
class PostgresDriver : public ::testing::Test {
protected:
    std::string conninfo_ = cccd::test::PostgresServer::shared().create_database();
};

TEST_F(PostgresDriver, CopyCarriesEveryValueThroughTheTextFormatUnchanged) {
    auto db = open_postgres(conninfo_);
    db->begin(false);
    db->execute_script("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, data BYTEA)");
    const std::vector<std::vector<Value>> rows{
        {std::int64_t{1}, std::string("tab\there, newline\nthere, back\\slash, \\N, cr\r"), Bytes{0x00, 0x09, 0x5C}},
        {std::int64_t{2}, Null{}, Null{}},
        {std::int64_t{3}, std::string(), Bytes{}},
    };
    const std::array<std::string, 3> columns{"id", "name", "data"};
    std::size_t next = 0;
    db->copy_into("t", columns, [&](std::vector<Value>& row) {
        if (next == rows.size()) return false;
        row = rows[next++];
        return true;
    });
    db->commit();
    db->begin(true);
    const auto back = db->query(kSelect, {});
    db->commit();
    ASSERT_EQ(back.size(), 3u);
    EXPECT_EQ(back[0].text(1), "tab\there, newline\nthere, back\\slash, \\N, cr\r");
    EXPECT_EQ(back[0].bytes(2), (Bytes{0x00, 0x09, 0x5C}));
    EXPECT_TRUE(back[1].is_null(1));
    EXPECT_TRUE(back[1].is_null(2));
    EXPECT_FALSE(back[2].is_null(1));
    EXPECT_FALSE(back[2].is_null(2));
    EXPECT_TRUE(back[2].bytes(2).empty());
}

TEST_F(PostgresDriver, ARowOfTheWrongWidthIsRefusedAndNothingLands) {
    auto db = open_postgres(conninfo_);
    db->begin(false);
    db->execute_script("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, data BYTEA)");
    db->commit();
    const std::array<std::string, 3> columns{"id", "name", "data"};
    db->begin(false);
    EXPECT_THROW(db->copy_into("t", columns,
                               [](std::vector<Value>& row) {
                                   row = {std::int64_t{1}, std::string("x")};
                                   return true;
                               }),
                 InvalidArgument);
    db->rollback();
    db->begin(true);
    EXPECT_TRUE(db->query(kSelect, {}).empty());
    db->commit();
}

TEST_F(PostgresDriver, ARuleRaisedWithTheProjectsSqlstateClassIsASchemaRuleError) {
    auto db = open_postgres(conninfo_);
    db->begin(false);
    db->execute_script(R"sql(
CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, data BYTEA);
CREATE FUNCTION t_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rows of t are frozen' USING ERRCODE = 'CCX01';
END $$;
CREATE TRIGGER t_frozen BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION t_frozen();)sql");
    const std::array<Value, 3> row{std::int64_t{7}, std::string("a"), Bytes{}};
    db->execute(kInsert, row);
    db->commit();
    db->begin(false);
    const std::array<Value, 2> update{std::int64_t{7}, std::string("b")};
    try {
        db->execute(kUpdate, update);
        FAIL() << "the trigger did not refuse the update";
    } catch (const SchemaRuleError& e) {
        EXPECT_EQ(e.rule(), "CCX01");
        EXPECT_EQ(std::string(e.what()), "storage: update t: rows of t are frozen");
    }
    db->rollback();
    db->begin(false);
    EXPECT_THROW(db->execute(kInsert, row), ConflictError);
    db->rollback();
}

}  // namespace
}  // namespace cccd::db
