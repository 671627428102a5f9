#include "server/admin/population_import.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "server/audit/audit_log.hpp"
#include "server/population/generator.hpp"
#include "server/population/population_file.hpp"

namespace cccd::server::admin {

std::uint64_t generate_population_file(const std::filesystem::path& file, std::uint64_t count, std::uint64_t seed,
                                       const std::string& today, std::uint64_t report_every,
                                       const std::function<void(std::uint64_t)>& on_progress) {
    std::error_code ignored;
    if (std::filesystem::exists(file, ignored))
        throw InvalidArgument(file.string() + " exists already: remove it or choose another name");
    const bool iso_date = today.size() == 10 && today[4] == '-' && today[7] == '-' &&
                          std::all_of(today.begin(), today.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    if (!iso_date) throw InvalidArgument("the date \"" + today + "\" must be YYYY-MM-DD");
    PopulationGenerator generator(seed, today);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw InvalidArgument("cannot create " + file.string());
    std::string line;
    for (std::uint64_t written = 1; written <= count; ++written) {
        line = to_jsonl(generator.next());
        line.push_back('\n');
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
        if (on_progress && report_every > 0 && (written % report_every == 0 || written == count)) on_progress(written);
    }
    out.flush();
    if (!out) throw Error("cannot write " + file.string() + " (is the disk full?)");
    return static_cast<std::uint64_t>(out.tellp());
}

ImportReport import_population_file(Storage& storage, const std::filesystem::path& file, std::size_t batch_size,
                                    std::string_view actor, const std::function<void(const ImportProgress&)>& on_batch) {
    if (batch_size == 0) throw InvalidArgument("the batch size must be at least 1");
    if (!std::ifstream(file, std::ios::binary)) throw ParseError("cannot read the population file " + file.string());
    const auto start = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
    ImportReport report;
    auto audit = [&](std::string_view outcome) {
        const std::string detail = "citizens=" + std::to_string(report.citizens) + " batch=" + std::to_string(batch_size);
        storage.transaction([&](Transaction& t) {
            append_audit(t, {utc_now(), std::string(actor), "population.import", "", std::string(outcome), detail});
        });
    };
    try {
        read_population_file(file, batch_size, [&](std::vector<Citizen>&& batch) {
            storage.import_citizens(batch, batch_size);
            report.citizens += batch.size();
            if (on_batch) on_batch({report.citizens, elapsed()});
        });
    } catch (const ParseError&) {
        if (report.citizens > 0) audit("parse_error");  // what was committed is on record
        throw;
    }
    report.seconds = elapsed();
    audit("ok");
    report.register_size = storage.count_citizens();
    return report;
}

}  // namespace cccd::server::admin
