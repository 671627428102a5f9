#include "server/population/population_file.hpp"

#include <fstream>

#include "base/error.hpp"
#include "card/records/record_json.hpp"
#include "identity/id_number.hpp"
#include "server/population/generator.hpp"

namespace cccd::server {

namespace {

constexpr std::string_view kNoExpiry = "Không thời hạn";

std::string iso_from_dmy(const std::string& dmy) {
    if (dmy.size() != 10) throw ParseError("a date must be dd/mm/yyyy");
    return dmy.substr(6, 4) + "-" + dmy.substr(3, 2) + "-" + dmy.substr(0, 2);
}

}  // namespace

perso::EnrollmentRecord record_of(const Citizen& c) {
    perso::EnrollmentRecord r;
    r.person = c.person;
    r.sex = c.sex;
    r.date_of_birth = c.date_of_birth;
    r.date_of_expiry = c.person.date_of_expiry == kNoExpiry ? "none" : iso_from_dmy(c.person.date_of_expiry);
    r.photo_jpeg = c.photo_jpeg;
    return r;
}

std::string to_jsonl(const Citizen& c) { return records::to_json(record_of(c)); }

Citizen citizen_from_jsonl(std::string_view line) {
    perso::EnrollmentRecord r = records::parse_enrollment_record(line);
    if (!identity::id_number_agrees(r.person.personal_id, r.sex, r.date_of_birth)) {
        throw ParseError("the ID number " + r.person.personal_id +
                         " does not agree with the sex, the birth year or a province code");
    }
    Citizen c;
    c.person = std::move(r.person);
    c.sex = r.sex;
    c.date_of_birth = r.date_of_birth;
    c.province_code = c.person.personal_id.substr(0, 3);
    c.status = CitizenStatus::Active;
    return c;
}

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
