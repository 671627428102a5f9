// PostgreSQL: the service runs as a role that may only append to and read the audit tables, while the
// owner of the tables (who ran the migrations) stays apart. The triggers do not bind an owner, so the
// service role must not be one.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <string>

#include <pqxx/pqxx>

#include "tests/unit/server_storage/storage_backends.hpp"

namespace cccd::server::test {
namespace {

std::string unique_role() {
    static std::atomic<int> counter{0};
    return "cccd_service_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

// The connection string with another user.
std::string as_user(std::string conninfo, const std::string& user) {
    const auto at = conninfo.find("user=");
    return conninfo.substr(0, at) + "user=" + user;
}

AuditEntry entry(std::uint64_t sequence) {
    AuditEntry e;
    e.sequence = sequence;
    e.time = "2026-11-23T10:00:00Z";
    e.actor = "rp:bank-01";
    e.action = "auth.verify";
    e.subject = "0000000000000042";
    e.outcome = "ok";
    e.previous_hash = Bytes(32, static_cast<std::uint8_t>(sequence - 1));
    e.hash = Bytes(32, static_cast<std::uint8_t>(sequence));
    return e;
}

class PostgresRoles : public ::testing::Test {
protected:
    void SetUp() override {
        open_storage({StorageKind::Postgres, owner, {}, 1});  // the owner runs the migrations
        grant_postgres_service_role(owner, role);
    }
    // One statement as the service role, in its own transaction; true when PostgreSQL ran it.
    bool service_may(const std::string& sql) {
        try {
            pqxx::connection connection(service);
            pqxx::work work(connection);
            work.exec(sql);
            work.commit();
            return true;
        } catch (const pqxx::sql_error&) {
            return false;
        }
    }

    std::string owner = cccd::test::PostgresServer::shared().create_database();
    std::string role = unique_role();
    std::string service = as_user(owner, role);
};

TEST_F(PostgresRoles, TheServiceRoleWorksNormallyButCannotChangeTheAuditTablesNorTheirTriggers) {
    auto storage = open_storage({StorageKind::Postgres, service, {}, 2});
    EXPECT_EQ(storage->schema_version(), Storage::latest_schema_version());
    storage->transaction([](Transaction& t) {
        t.put_citizen(make_citizen(1));
        t.allocate_card_number();
        for (std::uint64_t s = 1; s <= 3; ++s) t.append_audit(entry(s));
        t.append_checkpoint({3, Bytes(32, 3), "2026-11-23T10:00:00Z", "k1", Bytes(64, 1), Bytes(32, 0)});
        t.put_idempotency({"officer:a", "key-1", Bytes(32, 9), 201, "{}", "2026-11-23T10:00:00Z"});
        t.purge_idempotency_before("2027-01-01T00:00:00Z");
    });
    EXPECT_EQ(storage->read([](Transaction& t) { return t.audit_range(1, 10); }).size(), 3u);

    for (const char* table : {"audit_log", "audit_checkpoints"}) {
        const std::string t = table;
        EXPECT_FALSE(service_may("UPDATE " + t + " SET time = 'forged'")) << t;
        EXPECT_FALSE(service_may("DELETE FROM " + t)) << t;
        EXPECT_FALSE(service_may("TRUNCATE " + t + " CASCADE")) << t;
        EXPECT_FALSE(service_may("ALTER TABLE " + t + " DISABLE TRIGGER ALL")) << t;
        EXPECT_FALSE(service_may("ALTER TABLE " + t + " OWNER TO " + role)) << t;
    }
    EXPECT_FALSE(service_may("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"));
    EXPECT_FALSE(service_may("DROP TRIGGER audit_log_append_only ON audit_log"));
    EXPECT_FALSE(service_may("DROP TRIGGER audit_log_no_truncate ON audit_log"));
    EXPECT_FALSE(service_may("DROP TABLE audit_log CASCADE"));
    EXPECT_FALSE(service_may("CREATE TABLE audit_log_copy (x INT)"));
    EXPECT_FALSE(service_may("UPDATE schema_migrations SET version = 99"));
    EXPECT_EQ(storage->read([](Transaction& t) { return t.audit_range(1, 10); }).size(), 3u);
}

TEST_F(PostgresRoles, SettingUpTheServiceRoleAgainChangesNothingAndUnsafeRolesAreRefused) {
    EXPECT_NO_THROW(grant_postgres_service_role(owner, role));
    EXPECT_FALSE(service_may("DELETE FROM audit_log"));
    EXPECT_THROW(grant_postgres_service_role(owner, "postgres"), InvalidArgument);  // the owner, a superuser
    EXPECT_THROW(grant_postgres_service_role(owner, "Robert'); DROP TABLE citizens; --"), InvalidArgument);
    EXPECT_THROW(grant_postgres_service_role(owner, ""), InvalidArgument);
}

}  // namespace
}  // namespace cccd::server::test
