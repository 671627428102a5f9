#include "server/population/population_file.hpp"

#include <fstream>

#include "base/error.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/record_json.hpp"
#include "server/population/generator.hpp"

namespace cccd::server {

std::string to_jsonl(const Citizen& c) { return identity::to_json(identity::enrollment_record_of(c)); }

Citizen citizen_from_jsonl(std::string_view line) { return identity::citizen_of(identity::parse_enrollment_record(line)); }

std::size_t write_generated_population(const std::filesystem::path& path, std::size_t count, std::uint64_t seed,
                                       const std::string& today) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + path.string());
    PopulationGenerator generator(seed, today);
    std::string line;
    for (std::size_t i = 0; i < count; ++i) {
        line = to_jsonl(generator.next());
        line.push_back('\n');
        out.write(line.data(), static_cast<std::streamsize>(line.size()));
    }
    out.flush();
    if (!out) throw Error("cannot write " + path.string());
    return static_cast<std::size_t>(out.tellp());
}

void read_population_file(const std::filesystem::path& path, std::size_t batch_size,
                          const std::function<void(std::vector<Citizen>&&)>& on_batch) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error("cannot read " + path.string());
    std::vector<Citizen> batch;
    batch.reserve(batch_size);
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line == "\r") continue;
        try {
            batch.push_back(citizen_from_jsonl(line));
        } catch (const Error& e) {
            throw ParseError(path.filename().string() + " line " + std::to_string(number) + ": " + e.what());
        }
        if (batch.size() == batch_size) {
            on_batch(std::move(batch));
            batch.clear();
            batch.reserve(batch_size);
        }
    }
    if (!batch.empty()) on_batch(std::move(batch));
}

}  // namespace cccd::server
