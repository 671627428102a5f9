#pragma once
// Population files: one citizen per line as the enrollment-record JSON (identity/record_json.hpp), so a file made by
// the generator, exported from another register or written by hand imports the same way.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "server/model/model.hpp"

namespace cccd::server {

std::string to_jsonl(const Citizen& citizen);
// ParseError for malformed lines and for ID numbers that disagree with sex, birth year or province.
Citizen citizen_from_jsonl(std::string_view line);

// Writes `count` generated citizens; returns the file's size in bytes.
std::size_t write_generated_population(const std::filesystem::path& path, std::size_t count, std::uint64_t seed,
                                       const std::string& today);

// Reads a population file in batches; ParseError names the line of the first bad record, and nothing
// after it is delivered.
void read_population_file(const std::filesystem::path& path, std::size_t batch_size,
                          const std::function<void(std::vector<Citizen>&&)>& on_batch);

}  // namespace cccd::server
