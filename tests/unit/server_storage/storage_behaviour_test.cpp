// One behavioural suite, run against every backend: SQLCipher, plain SQLite and PostgreSQL (a private
// server started by the fixture).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <set>
#include <thread>

#include "server/storage/sql_storage.hpp"
#include "tests/unit/server_storage/storage_backends.hpp"

namespace cccd::server::test {
namespace {

template <typename Backend>
class StorageBehaviour : public ::testing::Test {
protected:
    std::unique_ptr<Storage> open() { return open_storage(backend_.config()); }
    void SetUp() override { storage_ = open(); }

    Backend backend_;
    std::unique_ptr<Storage> storage_;
};

struct BackendNames {
    template <typename T>
    static std::string GetName(int) { return T::kName; }
};
using Backends = ::testing::Types<SqlCipherBackend, PlainSqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(StorageBehaviour, Backends, BackendNames);

TYPED_TEST(StorageBehaviour, MigrationsAreAppliedOnceAndReopeningIsIdempotent) {
    EXPECT_EQ(this->storage_->schema_version(), Storage::latest_schema_version());
    this->storage_->transaction([](Transaction& t) { t.put_citizen(make_citizen(1)); });
    this->storage_.reset();
    for (int i = 0; i < 2; ++i) {
        auto again = this->open();
        EXPECT_EQ(again->schema_version(), Storage::latest_schema_version());
        EXPECT_EQ(again->count_citizens(), 1u);
    }
    // One row per migration, none twice.
    EXPECT_THROW(this->backend_.raw("INSERT INTO schema_migrations (version, name) VALUES (1, 'again')"),
                 std::exception);
}

TYPED_TEST(StorageBehaviour, CitizenPutGetUpdateCount) {
    auto& storage = *this->storage_;
    Citizen first = make_citizen(6);  // spouse and old ID set
    first.person.cancelled_ids = {"079090000001", "001090000002"};
    const Citizen second = make_citizen(7);  // none of them
    storage.transaction([&](Transaction& t) {
        t.put_citizen(first);
        t.put_citizen(second);
    });
    EXPECT_EQ(storage.get_citizen(first.person.personal_id), first);
    EXPECT_EQ(storage.get_citizen(second.person.personal_id), second);
    EXPECT_FALSE(storage.get_citizen("079999999999").has_value());
    EXPECT_EQ(storage.count_citizens(), 2u);

    Citizen changed = first;
    changed.person.full_name = "Nguyễn Văn Bảo";
    changed.person.spouse_name.reset();
    changed.person.cancelled_ids = {"079090000001"};
    changed.status = CitizenStatus::Deceased;
    changed.photo_jpeg.clear();
    storage.transaction([&](Transaction& t) { t.put_citizen(changed); });
    EXPECT_EQ(storage.get_citizen(first.person.personal_id), changed);
    EXPECT_EQ(storage.count_citizens(), 2u);
}

TYPED_TEST(StorageBehaviour, SearchByNameIgnoresCaseAndDiacritics) {
    auto& storage = *this->storage_;
    storage.transaction([](Transaction& t) {
        t.put_citizen(make_citizen(1, "Nguyễn Văn An"));
        t.put_citizen(make_citizen(2, "Nguyễn Thị Bích"));
        t.put_citizen(make_citizen(3, "Trần Văn Đức"));
        t.put_citizen(make_citizen(4, "Nguyen Van Anh"));
    });
    const auto names = [&](std::string_view query, std::size_t limit = 10) {
        std::vector<std::string> out;
        for (const auto& c : storage.read([&](Transaction& t) { return t.search_citizens_by_name(query, limit); })) {
            out.push_back(c.person.full_name);
        }
        return out;
    };
    EXPECT_EQ(names("nguyen"), (std::vector<std::string>{"Nguyễn Thị Bích", "Nguyễn Văn An", "Nguyen Van Anh"}));
    EXPECT_EQ(names("NGUYỄN VĂN AN"), (std::vector<std::string>{"Nguyễn Văn An", "Nguyen Van Anh"}));
    EXPECT_EQ(names("tran van duc"), (std::vector<std::string>{"Trần Văn Đức"}));
    EXPECT_EQ(names("nguyen", 1).size(), 1u);
    EXPECT_TRUE(names("Lê").empty());
    EXPECT_TRUE(names("  ").empty());
}

TYPED_TEST(StorageBehaviour, BulkImportInsertsAndReplaces) {
    auto& storage = *this->storage_;
    std::vector<Citizen> citizens;
    for (int i = 0; i < 2500; ++i) citizens.push_back(make_citizen(i, "Công Dân " + std::to_string(i)));
    storage.import_citizens(citizens, 1000);
    EXPECT_EQ(storage.count_citizens(), 2500u);
    EXPECT_EQ(storage.get_citizen(citizens[1234].person.personal_id), citizens[1234]);
    EXPECT_EQ(storage.get_citizen(citizens[2499].person.personal_id), citizens[2499]);

    // Re-importing replaces; the same ID twice in one batch: the later one wins.
    std::vector<Citizen> again{citizens[10], citizens[20], citizens[10]};
    again[0].person.full_name = "Bị Thay Thế";
    again[2].person.full_name = "Tên Mới";
    again[1].status = CitizenStatus::Deceased;
    storage.import_citizens(again, 10);
    EXPECT_EQ(storage.count_citizens(), 2500u);
    EXPECT_EQ(storage.get_citizen(citizens[10].person.personal_id)->person.full_name, "Tên Mới");
    EXPECT_EQ(storage.get_citizen(citizens[20].person.personal_id), again[1]);
}

TYPED_TEST(StorageBehaviour, CardsAndCompareAndSetStatus) {
    auto& storage = *this->storage_;
    const Citizen citizen = make_citizen(1);
    // Plain variables, not a structured binding: clang 14 cannot capture bindings in lambdas.
    const auto numbers = storage.transaction([&](Transaction& t) {
        t.put_citizen(citizen);
        return std::pair{t.allocate_card_number(), t.allocate_card_number()};
    });
    const std::string first = numbers.first;
    const std::string second = numbers.second;
    EXPECT_TRUE(std::regex_match(first, std::regex("[0-9]{16}"))) << first;
    EXPECT_LT(first, second);

    const Card card = make_card(first, citizen.person.personal_id);
    storage.transaction([&](Transaction& t) {
        t.put_card(card);
        t.put_card(make_card(second, citizen.person.personal_id));
    });
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.get_card(first); }), card);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_card("9999999999999999"); }).has_value());
    const auto cards = storage.read([&](Transaction& t) { return t.cards_of(citizen.person.personal_id); });
    ASSERT_EQ(cards.size(), 2u);
    EXPECT_EQ(cards[0].card_number, first);
    EXPECT_EQ(cards[1].card_number, second);
    // Both cards carry the same MRZ document number (a renewal): the index finds both.
    const auto renewals = storage.read([&](Transaction& t) { return t.cards_by_document_number(card.document_number); });
    EXPECT_EQ(renewals.size(), 2u);

    // A card for a citizen the register does not know.
    EXPECT_THROW(storage.transaction([&](Transaction& t) { t.put_card(make_card("0000000000009999", "001000000000")); }),
                 ConstraintError);

    storage.transaction([&](Transaction& t) {
        t.update_card_status(first, CardStatus::Personalizing, CardStatus::Issued, "2024-01-03T00:00:00Z");
    });
    // A second caller who still believes the card is personalizing loses.
    EXPECT_THROW(storage.transaction([&](Transaction& t) {
        t.update_card_status(first, CardStatus::Personalizing, CardStatus::Revoked, "2024-01-04T00:00:00Z");
    }),
                 StaleStateError);
    const auto stored = storage.read([&](Transaction& t) { return t.get_card(first); });
    EXPECT_EQ(stored->status, CardStatus::Issued);
    EXPECT_EQ(stored->updated_at, "2024-01-03T00:00:00Z");
    EXPECT_THROW(storage.transaction([&](Transaction& t) {
        t.update_card_status("0000000000008888", CardStatus::Issued, CardStatus::Lost, "2024-01-04T00:00:00Z");
    }),
                 NotFoundError);
    // Renewal: the old card becomes replaced; the profile of each card is kept as written.
    Card renewed = make_card(second, citizen.person.personal_id);
    renewed.card_profile = "cc-2024-u6";
    storage.transaction([&](Transaction& t) {
        t.put_card(renewed);
        t.update_card_status(first, CardStatus::Issued, CardStatus::Replaced, "2024-01-05T00:00:00Z");
    });
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.get_card(first); })->status, CardStatus::Replaced);
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.get_card(second); })->card_profile, "cc-2024-u6");
    EXPECT_EQ(to_string(CardStatus::Replaced), "replaced");
    EXPECT_EQ(card_status_from("replaced"), CardStatus::Replaced);
}

// A database left at version 4 (before card profiles) is migrated on open: each card gets the profile
// its date of issue gives (the 2021 CCCD before 1 July 2024, else cc-2024), each citizen no cancelled
// ID numbers; the rows are otherwise as they were.
TYPED_TEST(StorageBehaviour, AVersion4DatabaseIsMigratedToCardProfiles) {
    TypeParam old;  // a database of its own, not yet opened by the storage
    const bool postgres = std::string(TypeParam::kName) == "postgres";
    old.raw("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, "
            "applied_at TEXT NOT NULL DEFAULT '')");
    for (const auto& m : sql::migrations()) {
        if (m.version > 4) continue;
        old.raw(postgres ? m.postgres_script : m.sqlite_script);
        old.raw("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) + ", '" + m.name + "')");
    }
    const std::string empty_blob = postgres ? "'\\x'::bytea" : "X''";
    old.raw("INSERT INTO citizens (personal_id, full_name, name_key, dg13_date_of_birth, dg13_sex, nationality, ethnicity, "
            "religion, place_of_origin, place_of_residence, identifying_features, dg13_date_of_issue, dg13_date_of_expiry, "
            "father_name, mother_name, spouse_name, old_id, card_serial, sex, date_of_birth, province_code, photo_jpeg, "
            "status, updated_at) VALUES ('079090000009', 'Lê Văn Tám', 'le van tam', '01/02/1990', 'Nam', 'Việt Nam', "
            "'Kinh', 'Không', 'Bến Tre', 'TP. Hồ Chí Minh', '', '10/05/2021', '01/02/2030', 'Lê Văn Một', 'Trần Thị Hai', "
            "NULL, '025123456', NULL, 'M', '1990-02-01', '079', " + empty_blob + ", 'active', '2024-01-02T03:04:05Z')");
    for (const auto& [number, issued] : {std::pair{"0000000000000001", "2021-05-10"}, {"0000000000000002", "2024-06-30"},
                                         {"0000000000000003", "2024-07-01"}}) {
        old.raw(std::string("INSERT INTO cards (card_number, document_number, personal_id, chip_serial, status, sod_digest, "
                            "active_auth_public_key, chip_auth_public_key, ds_certificate, date_of_issue, date_of_expiry, "
                            "station_id, officer_id, updated_at) VALUES ('") + number + "', '090000009', '079090000009', " +
                empty_blob + ", 'issued', " + empty_blob + ", " + empty_blob + ", " + empty_blob + ", " + empty_blob +
                ", '" + issued + "', '2030-02-01', 'HCM-Q1-01', 'nguyenvana', '2024-01-02T03:04:05Z')");
    }

    const auto storage = open_storage(old.config());
    EXPECT_EQ(storage->schema_version(), 5u);
    EXPECT_EQ(storage->schema_version(), Storage::latest_schema_version());
    const auto profile = [&](const char* number) { return storage->read([&](Transaction& t) { return t.get_card(number); })->card_profile; };
    EXPECT_EQ(profile("0000000000000001"), "cccd-2021");
    EXPECT_EQ(profile("0000000000000002"), "cccd-2021");
    EXPECT_EQ(profile("0000000000000003"), "cc-2024");
    const auto citizen = storage->get_citizen("079090000009");
    ASSERT_TRUE(citizen.has_value());
    EXPECT_TRUE(citizen->person.cancelled_ids.empty());
    EXPECT_EQ(citizen->person.old_id, "025123456");
    EXPECT_EQ(citizen->person.full_name, "Lê Văn Tám");

    // Written and read the new way.
    Citizen renamed = *citizen;
    renamed.person.cancelled_ids = {"079090000001"};
    storage->transaction([&](Transaction& t) {
        t.put_citizen(renamed);
        t.update_card_status("0000000000000001", CardStatus::Issued, CardStatus::Replaced, "2026-01-02T03:04:05Z");
    });
    EXPECT_EQ(storage->get_citizen("079090000009"), renamed);
    EXPECT_EQ(storage->read([&](Transaction& t) { return t.get_card("0000000000000001"); })->status, CardStatus::Replaced);
}

TYPED_TEST(StorageBehaviour, CardNumbersAreUniqueUnderConcurrency) {
    constexpr int kThreads = 6, kEach = 40;
    std::vector<std::vector<std::string>> numbers(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            for (int n = 0; n < kEach; ++n) numbers[static_cast<std::size_t>(i)].push_back(this->storage_->allocate_card_number());
        });
    }
    for (auto& t : threads) t.join();
    std::set<std::string> unique;
    for (const auto& list : numbers) unique.insert(list.begin(), list.end());
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kEach));
    // A reopened store continues after the last number handed out.
    const std::string last = *unique.rbegin();
    this->storage_.reset();
    EXPECT_GT(this->open()->allocate_card_number(), last);
}

TYPED_TEST(StorageBehaviour, EnrollmentsPutGetListAndStatus) {
    auto& storage = *this->storage_;
    Enrollment e;
    e.id = "ENR-0001";
    e.personal_id = "079000000001";
    e.station_id = "HCM-Q1-01";
    e.officer_id = "nguyenvana";
    e.record_json = R"({"full_name":"Nguyễn Văn An"})";
    e.photo_jpeg = {0xFF, 0xD8, 0xFF};
    e.created_at = "2024-01-02T03:04:05Z";
    Enrollment later = e;
    later.id = "ENR-0002";
    later.created_at = "2024-01-03T03:04:05Z";
    later.status = EnrollmentStatus::Completed;
    later.card_number = "0000000000000001";
    storage.transaction([&](Transaction& t) {
        t.put_enrollment(later);
        t.put_enrollment(e);
    });
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.get_enrollment("ENR-0001"); }), e);
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.enrollments_of("079000000001"); }),
              (std::vector<Enrollment>{e, later}));
    EXPECT_EQ(storage.read([&](Transaction& t) { return t.enrollments_with_status(EnrollmentStatus::Submitted, 10); }),
              (std::vector<Enrollment>{e}));
    storage.transaction([](Transaction& t) {
        t.update_enrollment_status("ENR-0001", EnrollmentStatus::Submitted, EnrollmentStatus::Personalizing);
    });
    EXPECT_THROW(storage.transaction([](Transaction& t) {
        t.update_enrollment_status("ENR-0001", EnrollmentStatus::Submitted, EnrollmentStatus::Rejected);
    }),
                 StaleStateError);
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_enrollment("ENR-0001"); })->status,
              EnrollmentStatus::Personalizing);
}

TYPED_TEST(StorageBehaviour, OfficersAndStations) {
    auto& storage = *this->storage_;
    const Officer officer{"nguyenvana", "Nguyễn Văn A", Role::Supervisor, "$argon2id$v=19$m=65536,t=2,p=1$abc$def", true};
    const Officer other{"levanb", "Lê Văn B", Role::EnrollmentOfficer, "$argon2id$v=19$x", false};
    const Station station{"HCM-Q1-01", "Quận 1, TP. Hồ Chí Minh", std::string(64, 'A'), true};
    const Station second{"HN-HK-02", "Hoàn Kiếm, Hà Nội", std::string(63, 'b') + "c", false};
    storage.transaction([&](Transaction& t) {
        t.put_officer(officer);
        t.put_officer(other);
        t.put_station(station);
        t.put_station(second);
    });
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_officer("nguyenvana"); }), officer);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_officer("nobody"); }).has_value());
    EXPECT_EQ(storage.read([](Transaction& t) { return t.list_officers(); }), (std::vector<Officer>{other, officer}));
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_station("HN-HK-02"); }), second);
    // Found by fingerprint in either hex case.
    EXPECT_EQ(storage.read([](Transaction& t) { return t.station_by_certificate(std::string(64, 'a')); }), station);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.station_by_certificate(std::string(64, 'f')); }).has_value());
    EXPECT_EQ(storage.read([](Transaction& t) { return t.list_stations(); }), (std::vector<Station>{station, second}));

    Officer deactivated = officer;
    deactivated.active = false;
    storage.transaction([&](Transaction& t) { t.put_officer(deactivated); });
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_officer("nguyenvana"); }), deactivated);
    // One certificate, one station.
    const Station impostor{"DN-01", "Đà Nẵng", std::string(64, 'a'), true};
    EXPECT_THROW(storage.transaction([&](Transaction& t) { t.put_station(impostor); }), ConflictError);
}

TYPED_TEST(StorageBehaviour, RelyingParties) {
    auto& storage = *this->storage_;
    const RelyingPartyRecord bank{"bank-01", "Ngân hàng Một", "name age_over_18", std::string(64, 'a'), 120, true};
    const RelyingPartyRecord service{"dvc.gov", "Dịch vụ công", "personal_id", std::string(63, 'b') + "c", 30, false};
    storage.transaction([&](Transaction& t) {
        t.put_relying_party(service);
        t.put_relying_party(bank);
    });
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_relying_party("bank-01"); }), bank);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_relying_party("nobody"); }).has_value());
    // Found by fingerprint in either hex case.
    EXPECT_EQ(storage.read([](Transaction& t) { return t.relying_party_by_certificate(std::string(64, 'A')); }), bank);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.relying_party_by_certificate(std::string(64, 'f')); }));
    EXPECT_EQ(storage.read([](Transaction& t) { return t.list_relying_parties(); }),
              (std::vector<RelyingPartyRecord>{bank, service}));

    // Upper-case hex is stored lower-case; put replaces every field.
    RelyingPartyRecord changed = service;
    changed.certificate_sha256 = std::string(64, 'D');
    changed.active = true;
    changed.scopes = "name";
    storage.transaction([&](Transaction& t) { t.put_relying_party(changed); });
    changed.certificate_sha256 = std::string(64, 'd');
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_relying_party("dvc.gov"); }), changed);

    // One certificate, one relying party; a fingerprint must be 64 hex digits.
    const RelyingPartyRecord impostor{"evil", "Evil", "name", std::string(64, 'a'), 60, true};
    EXPECT_THROW(storage.transaction([&](Transaction& t) { t.put_relying_party(impostor); }), ConflictError);
    RelyingPartyRecord malformed = impostor;
    malformed.certificate_sha256 = "abc";
    EXPECT_THROW(storage.transaction([&](Transaction& t) { t.put_relying_party(malformed); }), InvalidArgument);
    EXPECT_EQ(storage.read([](Transaction& t) { return t.list_relying_parties(); }).size(), 2u);
}

TYPED_TEST(StorageBehaviour, AuditLogAppendsWithoutGaps) {
    auto& storage = *this->storage_;
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.last_audit(); }).has_value());
    EXPECT_THROW(storage.transaction([](Transaction& t) { t.append_audit(make_audit(2)); }), AuditSequenceError);
    storage.transaction([](Transaction& t) {
        for (std::uint64_t s = 1; s <= 5; ++s) t.append_audit(make_audit(s));
    });
    EXPECT_EQ(storage.read([](Transaction& t) { return t.last_audit(); }), make_audit(5));
    EXPECT_EQ(storage.read([](Transaction& t) { return t.audit_range(2, 4); }),
              (std::vector<AuditEntry>{make_audit(2), make_audit(3), make_audit(4)}));
    EXPECT_THROW(storage.transaction([](Transaction& t) { t.append_audit(make_audit(7)); }), AuditSequenceError);
    EXPECT_THROW(storage.transaction([](Transaction& t) { t.append_audit(make_audit(5)); }), AuditSequenceError);

    // A v1 checkpoint (no previous checkpoint hash: NULL in the table) and a v2 one.
    const AuditCheckpoint at3{3, Bytes(32, 3), "2024-01-02T04:00:00Z", "audit-2024", Bytes(64, 0x33), {}};
    const AuditCheckpoint at5{5, Bytes(32, 5), "2024-01-02T05:00:00Z", "audit-2024", Bytes(64, 0x55), Bytes(32, 0xA5)};
    storage.transaction([&](Transaction& t) {
        t.append_checkpoint(at3);
        t.append_checkpoint(at5);
    });
    EXPECT_THROW(storage.transaction([](Transaction& t) {
        t.append_checkpoint({4, Bytes(32, 4), "2024-01-02T06:00:00Z", "audit-2024", Bytes(64, 0x44), {}});
    }),
                 AuditSequenceError);
    EXPECT_THROW(storage.transaction([](Transaction& t) {
        t.append_checkpoint({9, Bytes(32, 9), "2024-01-02T06:00:00Z", "audit-2024", Bytes(64, 0x99), {}});
    }),
                 AuditSequenceError);
    EXPECT_EQ(storage.read([](Transaction& t) { return t.last_checkpoint(); }), at5);
    EXPECT_EQ(storage.read([](Transaction& t) { return t.checkpoints_from(4); }), (std::vector<AuditCheckpoint>{at5}));
    EXPECT_EQ(storage.read([](Transaction& t) { return t.checkpoints_from(0); }).size(), 2u);
}

TYPED_TEST(StorageBehaviour, DatabaseRefusesAuditUpdatesDeletesAndGapsPastTheApi) {
    this->storage_->transaction([](Transaction& t) {
        for (std::uint64_t s = 1; s <= 3; ++s) t.append_audit(make_audit(s));
        t.append_checkpoint({3, Bytes(32, 3), "2024-01-02T04:00:00Z", "k1", Bytes(64, 1), {}});
    });
    const auto& raw = this->backend_;
    EXPECT_THROW(raw.raw("UPDATE audit_log SET outcome = 'forged' WHERE sequence = 2"), std::exception);
    EXPECT_THROW(raw.raw("DELETE FROM audit_log WHERE sequence = 3"), std::exception);
    EXPECT_THROW(raw.raw("DELETE FROM audit_checkpoints"), std::exception);
    EXPECT_THROW(raw.raw("UPDATE audit_checkpoints SET key_id = 'forged'"), std::exception);
    EXPECT_THROW(raw.raw("INSERT INTO audit_log (sequence, time, actor, action, subject, outcome, detail, "
                         "previous_hash, hash) SELECT 9, time, actor, action, subject, outcome, detail, "
                         "previous_hash, hash FROM audit_log WHERE sequence = 1"),
                 std::exception);
    const auto entries = this->storage_->read([](Transaction& t) { return t.audit_range(1, 100); });
    EXPECT_EQ(entries, (std::vector<AuditEntry>{make_audit(1), make_audit(2), make_audit(3)}));
    EXPECT_EQ(this->storage_->read([](Transaction& t) { return t.checkpoints_from(0); }).size(), 1u);
}

TYPED_TEST(StorageBehaviour, ConcurrentAppendersKeepTheLogGapFree) {
    constexpr int kThreads = 4, kEach = 15;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            for (int n = 0; n < kEach; ++n) {
                this->storage_->transaction([](Transaction& t) {
                    const auto last = t.last_audit();
                    t.append_audit(make_audit(last ? last->sequence + 1 : 1));
                });
            }
        });
    }
    for (auto& t : threads) t.join();
    const auto entries = this->storage_->read([](Transaction& t) { return t.audit_range(1, 1000); });
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(kThreads * kEach));
    for (std::size_t i = 0; i < entries.size(); ++i) EXPECT_EQ(entries[i].sequence, i + 1);
}

TYPED_TEST(StorageBehaviour, IdempotencyRecords) {
    auto& storage = *this->storage_;
    const IdempotencyRecord record{"officer:nguyenvana", "key-1", Bytes(32, 7), 201, R"({"ok":true})",
                                   "2024-01-02T03:04:05Z"};
    const IdempotencyRecord old{"officer:nguyenvana", "key-0", Bytes(32, 6), 200, "{}", "2023-12-01T00:00:00Z"};
    storage.transaction([&](Transaction& t) {
        t.put_idempotency(record);
        t.put_idempotency(old);
    });
    EXPECT_EQ(storage.read([](Transaction& t) { return t.get_idempotency("officer:nguyenvana", "key-1"); }), record);
    // Keys are per actor.
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_idempotency("officer:other", "key-1"); }).has_value());
    EXPECT_THROW(storage.transaction([&](Transaction& t) { t.put_idempotency(record); }), ConflictError);
    EXPECT_EQ(storage.transaction([](Transaction& t) { return t.purge_idempotency_before("2024-01-01T00:00:00Z"); }), 1u);
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_idempotency("officer:nguyenvana", "key-0"); }).has_value());
}

TYPED_TEST(StorageBehaviour, AWriteItsIdempotencyRecordAndAuditEntryCommitTogetherOrNotAtAll) {
    auto& storage = *this->storage_;
    const Citizen citizen = make_citizen(42);
    const IdempotencyRecord record{"admin", "k", Bytes(32, 1), 201, "{}", "2024-01-02T03:04:05Z"};
    EXPECT_THROW(storage.transaction([&](Transaction& t) {
        t.put_citizen(citizen);
        t.put_idempotency(record);
        t.append_audit(make_audit(1));
        throw std::runtime_error("the handler failed after writing");
    }),
                 std::runtime_error);
    EXPECT_FALSE(storage.get_citizen(citizen.person.personal_id).has_value());
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.get_idempotency("admin", "k"); }).has_value());
    EXPECT_FALSE(storage.read([](Transaction& t) { return t.last_audit(); }).has_value());

    storage.transaction([&](Transaction& t) {
        t.put_citizen(citizen);
        t.put_idempotency(record);
        t.append_audit(make_audit(1));
    });
    EXPECT_TRUE(storage.get_citizen(citizen.person.personal_id).has_value());
    EXPECT_TRUE(storage.read([](Transaction& t) { return t.get_idempotency("admin", "k"); }).has_value());
    EXPECT_EQ(storage.read([](Transaction& t) { return t.last_audit(); }), make_audit(1));
}

// A child process writes citizens one transaction each and acknowledges each commit on a pipe; it is
// SIGKILLed mid-way. Every acknowledged citizen must be there when the store is opened again.
TYPED_TEST(StorageBehaviour, AcknowledgedCommitsSurviveSigkill) {
    this->storage_.reset();  // the child opens its own; nothing shared across fork
    const StorageConfig config = this->backend_.config();
    int ack[2];
    ASSERT_EQ(pipe(ack), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        close(ack[0]);
        try {
            auto storage = open_storage(config);
            for (std::int32_t i = 0; i < 100000; ++i) {
                storage->transaction([&](Transaction& t) { t.put_citizen(make_citizen(i)); });
                if (write(ack[1], &i, sizeof i) != sizeof i) _exit(2);
            }
        } catch (...) {
            _exit(3);
        }
        _exit(0);  // never return into the test runner
    }
    close(ack[1]);
    std::vector<std::int32_t> acknowledged;
    std::int32_t i = 0;
    while (acknowledged.size() < 40 && read(ack[0], &i, sizeof i) == sizeof i) acknowledged.push_back(i);
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    while (read(ack[0], &i, sizeof i) == sizeof i) acknowledged.push_back(i);  // sent before the kill
    close(ack[0]);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended before the kill";
    ASSERT_GE(acknowledged.size(), 40u);

    auto reopened = open_storage(config);
    for (std::int32_t n : acknowledged) {
        EXPECT_TRUE(reopened->get_citizen(make_citizen(n).person.personal_id).has_value()) << "citizen " << n;
    }
    EXPECT_GE(reopened->count_citizens(), acknowledged.size());
}

}  // namespace
}  // namespace cccd::server::test
