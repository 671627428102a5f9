// cccd_bench_storage: the population database at national scale. It measures and prints; it never
// passes or fails on a time.
//
//   import   N synthetic citizens (PopulationGenerator, fixed seed, streamed in chunks) into SQLCipher and,
//            in the same run, the same chunks one after the other, into the backend it is compared with:
//            plain SQLite (the cost of the encryption), or with --backend postgresql a PostgreSQL 15 the
//            benchmark starts itself (tests/support/postgres_fixture.hpp: initdb in a temporary
//            directory, 127.0.0.1 at a free port, stopped by PID; default settings, the schema's own
//            indexes; import through COPY); side by side with the ratio
//   lookup   get_citizen by random personal_id (each its own read transaction, as the API does it):
//            p50 / p99 / mean / max at each register size, on both backends
//
// Register sizes grow in stages on the same files (1M, then 9M more for 10M), kept in a temporary
// directory that is removed at the end. --compare-up-to N stops SQLCipher after the stage that reaches
// N citizens: the stages beyond grow the compared backend alone (PostgreSQL's growth to 10M without
// SQLCipher's 25 minutes to get there, which docs already give).
//
//   cccd_bench_storage [--citizens 1000000,10000000] [--lookups 20000] [--batch 10000] [--seed 2026] [--dir /tmp]
//                      [--backend sqlite|postgresql] [--compare-up-to N]
//   CCCD_BENCH_CITIZENS="1000000,10000000" cccd_bench_storage      (the flag wins over the variable)
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/random.hpp"
#include "server/population/generator.hpp"
#include "server/storage/storage.hpp"
#include "tests/support/postgres_fixture.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using namespace cccd;
using namespace cccd::server;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kChunk = 100'000;  // citizens generated and held in memory at once

struct Options {
    std::vector<std::uint64_t> citizens{1'000'000};
    std::size_t lookups = 20'000;
    std::size_t batch = 10'000;
    std::uint64_t seed = 2026;
    std::string dir = "/tmp";
    std::string compared_with = "sqlite";  // or "postgresql"
    std::uint64_t compare_up_to = 0;       // > 0: SQLCipher stops after the stage reaching this size
};

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::vector<std::uint64_t> parse_sizes(const std::string& text) {
    std::vector<std::uint64_t> sizes;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("register sizes are positive integers separated by commas, not \"" + text + "\"");
        sizes.push_back(std::stoull(item));
    }
    if (sizes.empty() || std::find(sizes.begin(), sizes.end(), 0u) != sizes.end())
        throw std::invalid_argument("give at least one register size above 0");
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    return sizes;
}

Options parse_options(int argc, char** argv) {
    Options o;
    if (const char* env = std::getenv("CCCD_BENCH_CITIZENS"); env != nullptr && *env != '\0') o.citizens = parse_sizes(env);
    for (int i = 1; i < argc; ++i) {
        const std::string_view flag = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
            return argv[++i];
        };
        if (flag == "--citizens") o.citizens = parse_sizes(value());
        else if (flag == "--lookups") o.lookups = std::stoull(value());
        else if (flag == "--batch") o.batch = std::stoull(value());
        else if (flag == "--seed") o.seed = std::stoull(value());
        else if (flag == "--dir") o.dir = value();
        else if (flag == "--backend") o.compared_with = value();
        else if (flag == "--compare-up-to") o.compare_up_to = std::stoull(value());
        else throw std::invalid_argument("unknown option " + std::string(flag) +
                                         " (--citizens N,M --lookups N --batch N --seed S --dir DIR --backend sqlite|postgresql"
                                         " --compare-up-to N)");
    }
    if (o.batch == 0) throw std::invalid_argument("--batch must be at least 1");
    if (o.compared_with != "sqlite" && o.compared_with != "postgresql")
        throw std::invalid_argument("--backend is sqlite or postgresql, not " + o.compared_with);
    return o;
}


struct Backend {
    std::string name;
    std::string path;  // a file, or for PostgreSQL the connection string
    std::unique_ptr<Storage> storage;
    double import_seconds = 0;  // of the current stage
};

std::string with_commas(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

std::string short_size(std::uint64_t n) {
    if (n % 1'000'000 == 0) return std::to_string(n / 1'000'000) + "M";
    if (n % 1'000 == 0) return std::to_string(n / 1'000) + "k";
    return std::to_string(n);
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

std::uint64_t bytes_on_disk(const Backend& backend) {
    if (backend.name == "postgresql") {
        pqxx::connection connection(backend.path);
        pqxx::nontransaction query(connection);
        return query.exec1("SELECT pg_database_size(current_database())")[0].as<std::uint64_t>();
    }
    std::uint64_t total = 0;
    for (const char* suffix : {"", "-wal"}) {
        std::error_code ignored;
        const auto size = std::filesystem::file_size(backend.path + suffix, ignored);
        if (!ignored) total += size;
    }
    return total;
}

std::string id_text(std::uint64_t id) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%012llu", static_cast<unsigned long long>(id));
    return buffer;
}

struct Latency {
    double p50_us = 0, p99_us = 0, mean_us = 0, max_us = 0;
    std::size_t misses = 0;
};

Latency measure_lookups(Storage& storage, const std::vector<std::uint64_t>& ids) {
    std::vector<double> micros;
    micros.reserve(ids.size());
    Latency result;
    for (const std::uint64_t id : ids) {
        const std::string text = id_text(id);
        const auto start = Clock::now();
        const bool found = storage.get_citizen(text).has_value();
        micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
        if (!found) ++result.misses;
    }
    if (micros.empty()) return result;
    std::sort(micros.begin(), micros.end());
    auto at = [&](double q) { return micros[std::min(micros.size() - 1, static_cast<std::size_t>(q * static_cast<double>(micros.size())))]; };
    result.p50_us = at(0.50);
    result.p99_us = at(0.99);
    result.max_us = micros.back();
    double sum = 0;
    for (double m : micros) sum += m;
    result.mean_us = sum / static_cast<double>(micros.size());
    return result;
}

int run(const Options& o) {
    const auto run_start = Clock::now();
    cccd::testing::TempDir dir("cccd-bench-storage", o.dir);
    std::vector<Backend> backends;
    backends.push_back({"sqlcipher", dir.path() + "/sqlcipher.db", nullptr, 0});
    backends[0].storage = open_storage({StorageKind::SqlCipher, backends[0].path, SecretBytes(crypto::random_bytes(32)), 4});
    std::unique_ptr<cccd::test::PostgresServer> postgres;
    if (o.compared_with == "postgresql") {
        postgres = std::make_unique<cccd::test::PostgresServer>();
        backends.push_back({"postgresql", postgres->create_database(), nullptr, 0});
        backends[1].storage = open_storage({StorageKind::Postgres, backends[1].path, {}, 4});
        std::cout << "PostgreSQL 15 on 127.0.0.1:" << postgres->port() << " (default settings, started by this benchmark)\n";
    } else {
        backends.push_back({"sqlite", dir.path() + "/sqlite.db", nullptr, 0});
        backends[1].storage = open_storage({StorageKind::PlainSqlite, backends[1].path, {}, 4});
    }
    const std::string other = backends[1].name;

    std::cout << "cccd_bench_storage: register sizes";
    for (auto n : o.citizens) std::cout << ' ' << with_commas(n);
    std::cout << ", " << o.lookups << " lookups per size, batches of " << o.batch << ", seed " << o.seed << ", files in "
              << dir.path() << "\n\n";

    PopulationGenerator generator(o.seed, "2026-11-23");
    std::vector<std::uint64_t> ids;  // every personal_id imported, as a number (12 digits fit)
    ids.reserve(o.citizens.back());
    std::mt19937_64 pick(o.seed ^ 0x5eedULL);

    std::ostringstream import_table, lookup_table;
    import_table << "stage   added        sqlcipher               " << other << std::string(24 - other.size(), ' ') << other
                 << "/sqlcipher" << std::string(other.size() < 8 ? 8 - other.size() : 1, ' ') << "size on disk (sqlcipher / " << other
                 << ")\n";
    lookup_table << "register  backend    p50 us   p99 us   mean us  max us    misses\n";

    for (const std::uint64_t target : o.citizens) {
        const std::uint64_t stage_start = ids.size();
        // SQLCipher follows while the stage starts at or below --compare-up-to.
        const bool compared = o.compare_up_to == 0 || stage_start < o.compare_up_to;
        auto follows = [&](const Backend& b) { return compared || &b != &backends[0]; };
        double generation_seconds = 0;
        for (auto& b : backends) b.import_seconds = 0;
        std::uint64_t next_report = stage_start + 1'000'000;
        std::vector<Citizen> chunk;
        while (ids.size() < target) {
            const auto generation_start = Clock::now();
            chunk.clear();
            const std::size_t count = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, target - ids.size()));
            for (std::size_t i = 0; i < count; ++i) chunk.push_back(generator.next());
            generation_seconds += seconds_since(generation_start);
            for (auto& b : backends) {
                if (!follows(b)) continue;
                const auto start = Clock::now();
                b.storage->import_citizens(chunk, o.batch);
                b.import_seconds += seconds_since(start);
            }
            for (const auto& c : chunk) ids.push_back(std::stoull(c.person.personal_id));
            if (ids.size() >= next_report || ids.size() == target) {
                next_report += 1'000'000;
                std::cout << "  [" << short_size(target) << "] " << with_commas(ids.size()) << " citizens: sqlcipher "
                          << fixed(backends[0].import_seconds, 1) << " s, " << other << " " << fixed(backends[1].import_seconds, 1)
                          << " s, generating " << fixed(generation_seconds, 1) << " s; " << fixed(seconds_since(run_start), 0)
                          << " s since start" << std::endl;
            }
        }
        const std::uint64_t added = ids.size() - stage_start;
        auto rate = [&](const Backend& b) { return b.import_seconds > 0 ? static_cast<double>(added) / b.import_seconds : 0.0; };
        std::ostringstream row;
        row << std::left;
        auto cell = [&](std::string text, std::size_t width) {
            if (text.size() < width) text.append(width - text.size(), ' ');
            row << text;
        };
        cell(short_size(target), 8);
        cell(with_commas(added), 13);
        for (const auto& b : backends)
            cell(follows(b) ? fixed(b.import_seconds, 1) + " s " + with_commas(static_cast<std::uint64_t>(rate(b))) + "/s" : "-", 24);
        cell(compared ? fixed(rate(backends[1]) / std::max(rate(backends[0]), 1e-9), 2) + "x" : "-", 18);
        row << fixed(static_cast<double>(bytes_on_disk(backends[0])) / 1e6, 0) << " MB / "
            << fixed(static_cast<double>(bytes_on_disk(backends[1])) / 1e6, 0) << " MB\n";
        import_table << row.str();
        std::cout << "import to " << short_size(target) << ":  " << row.str();

        // The same random IDs on both backends, drawn from everyone imported so far.
        std::vector<std::uint64_t> sample(o.lookups);
        std::uniform_int_distribution<std::size_t> any(0, ids.size() - 1);
        for (auto& id : sample) id = ids[any(pick)];
        for (auto& b : backends) {
            if (!follows(b)) continue;
            const auto start = Clock::now();
            const Latency l = measure_lookups(*b.storage, sample);
            std::ostringstream line;
            line << std::left;
            auto put = [&](std::string text, std::size_t width) {
                if (text.size() < width) text.append(width - text.size(), ' ');
                line << text;
            };
            put(short_size(target), 10);
            put(b.name, 11);
            put(fixed(l.p50_us, 1), 9);
            put(fixed(l.p99_us, 1), 9);
            put(fixed(l.mean_us, 1), 9);
            put(fixed(l.max_us, 0), 10);
            line << l.misses << '\n';
            lookup_table << line.str();
            std::cout << "lookups at " << short_size(target) << " (" << fixed(seconds_since(start), 1) << " s): " << line.str();
            if (l.misses != 0) std::cout << "  WARNING: " << l.misses << " imported citizens were not found\n";
        }
        std::cout << std::endl;
    }

    std::cout << "== import (one transaction per batch; the same chunks into each backend)\n"
              << import_table.str() << "\n== get_citizen by random personal_id (" << o.lookups << " lookups, each its own read transaction)\n"
              << lookup_table.str() << "\ntotal " << fixed(seconds_since(run_start), 0) << " s\n";
    for (auto& b : backends) b.storage.reset();  // before the PostgreSQL server stops
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parse_options(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "cccd_bench_storage: " << e.what() << '\n';
        return 2;
    }
}
