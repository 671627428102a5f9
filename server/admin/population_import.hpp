#pragma once
// Bulk import of a population file (JSON lines, server/population/population_file.hpp) into the store,
// streamed: one batch in memory at a time, one transaction per batch.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "server/storage/storage.hpp"

namespace cccd::server::admin {

struct ImportProgress {
    std::uint64_t citizens = 0;  // imported so far (committed)
    double seconds = 0;          // since the import began
};

struct ImportReport {
    std::uint64_t citizens = 0;           // read from the file and committed
    double seconds = 0;
    std::uint64_t register_size = 0;      // citizens in the register afterwards
    double citizens_per_second() const { return seconds > 0 ? static_cast<double>(citizens) / seconds : 0; }
};

// Imports every citizen (inserted or replaced), reporting after each committed batch, then appends one
// audit entry "population.import" with counts only (never a name or an ID). A malformed line stops
// the import with ParseError naming the line; the batches before it stay committed and the audit
// entry records them with outcome "parse_error".
// Writes `count` citizens from PopulationGenerator(seed, today) to a new file (the same lines as
// write_generated_population), reporting every `report_every` citizens. Refuses an existing file.
// Returns the file's size in bytes.
std::uint64_t generate_population_file(const std::filesystem::path& file, std::uint64_t count, std::uint64_t seed,
                                       const std::string& today, std::uint64_t report_every = 100'000,
                                       const std::function<void(std::uint64_t written)>& on_progress = {});

ImportReport import_population_file(Storage& storage, const std::filesystem::path& file, std::size_t batch_size,
                                    std::string_view actor,
                                    const std::function<void(const ImportProgress&)>& on_batch = {});

}  // namespace cccd::server::admin
