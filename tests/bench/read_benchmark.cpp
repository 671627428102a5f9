// cccd_bench_read: how long a whole card read takes, and what it would take on a real contactless link.
//
// Reads a sample CCCD with a 15 KB DG2 through the in-process virtual chip with read_card (PACE-CAN,
// every file, Chip, Active and Passive Authentication), once with a reader and chip that do extended
// length (2048-byte READ BINARY blocks) and once with short APDUs only (223-byte blocks). The measured
// time is the CPU cost of both sides (secure messaging, PACE, CA, AA, PA) with no link at all; the
// counters carry what a real reader would pay:
//
//   apdus, bytes_sent, bytes_received   what crossed the channel (command and response APDUs)
//   payload_bytes                       the sum of the sizes of the files read
//   modeled_ms                          LinkModel::contactless().session_time(apdus, sent + received):
//                                       424 kbit/s, 10 bits per byte, 2 ms turnaround per APDU
//   minimum_ms                          transfer_time(payload_bytes): the payload alone on the air, no
//                                       turnaround, no APDU or secure messaging overhead
//   modeled_over_minimum                modeled_ms / minimum_ms
//
// read_dg2/* reports the same figures for DG2 alone (every READ BINARY, the first by short EF
// identifier), timed by hand from the end of the file before it to its last block.
//
// Issue 15's targets: modeled_over_minimum within 1.2 for the whole read with extended length, 1.3 with
// short APDUs. The second is out of this model's reach: a short protected answer carries at most 223 file
// bytes, so a 15 KB DG2 alone takes 68 READ BINARYs, whose 2 ms turnarounds and secure messaging bytes
// put DG2 at about 556 ms, more than 1.3 times the whole read's payload minimum (about 530 ms).
//
// It prints; it never passes or fails on a time. It exits non-zero only when a read does not verify.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "card/lds/dg1.hpp"
#include "card/lds/lds_file.hpp"
#include "card/mrz/mrz.hpp"
#include "card/session/card_session.hpp"
#include "card/session/link_model.hpp"
#include "crypto/random.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

namespace {

using namespace cccd;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kPhotoBytes = 15000;  // a CCCD face image is 12-16 KB

bool g_a_read_failed = false;

// Another owner of the same key, so several chips can be made from one sample card.
crypto::PKeyPtr shared(const crypto::PKeyPtr& key) {
    EVP_PKEY_up_ref(key.get());
    return crypto::PKeyPtr(key.get());
}

// One sample card for every benchmark: making the PKI and signing the SOD is not what is measured.
struct BenchCard {
    fixtures::TestPki pki = fixtures::make_test_pki();
    fixtures::SampleCard sample;
    std::string can;
    pa::TrustStore trust;

    BenchCard() {
        fixtures::SampleCitizen citizen = fixtures::sample_citizen();
        // A JPEG frame header followed by filler: a DG2 of about 15 KB.
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
        jpeg.resize(kPhotoBytes, 0x5A);
        append(jpeg, from_hex("FFD9"));
        sample = fixtures::make_sample_card(citizen, jpeg, pki.ds);
        can = mrz::can_from_id_number(citizen.person.personal_id);
        trust.add_certificates(pki.csca.cert_der(), "test CSCA");
    }

    vcard::ChipContents contents(bool extended_length) const {
        vcard::ChipContents c;
        for (const auto& [name, bytes] : sample.files) c.files[lds::file_info(*lds::file_by_name(name)).fid] = bytes;
        c.can = can;
        c.active_auth_key = shared(sample.active_auth_key);
        c.chip_auth_key = shared(sample.chip_auth_key);
        c.extended_length = extended_length;
        return c;
    }
};

const BenchCard& bench_card() {
    static const BenchCard card;
    return card;
}

session::SessionOptions session_options() {
    session::SessionOptions o;
    o.can = bench_card().can;
    o.active_auth_challenge = crypto::random_bytes(8);
    o.trust = &bench_card().trust;
    return o;
}

void report_link_figures(benchmark::State& state, const channel::Traffic& traffic, std::size_t payload_bytes) {
    const session::LinkModel link = session::LinkModel::contactless();
    double modeled_ms = static_cast<double>(link.session_time(traffic.apdus, traffic.bytes_sent + traffic.bytes_received).count()) / 1000.0;
    double minimum_ms = static_cast<double>(link.transfer_time(payload_bytes).count()) / 1000.0;
    state.counters["apdus"] = static_cast<double>(traffic.apdus);
    state.counters["bytes_sent"] = static_cast<double>(traffic.bytes_sent);
    state.counters["bytes_received"] = static_cast<double>(traffic.bytes_received);
    state.counters["payload_bytes"] = static_cast<double>(payload_bytes);
    state.counters["modeled_ms"] = modeled_ms;
    state.counters["minimum_ms"] = minimum_ms;
    state.counters["modeled_over_minimum"] = minimum_ms > 0 ? modeled_ms / minimum_ms : 0.0;
}

bool verified(benchmark::State& state, const session::ReadResult& r) {
    if (r.overall == pa::Verdict::Pass && r.files.count("DG2") == 1) return true;
    state.SkipWithError("the card read did not verify: the figures would be meaningless");
    g_a_read_failed = true;
    return false;
}

// The whole session.
void bench_read_card(benchmark::State& state, bool extended_length) {
    vcard::VirtualChip chip(bench_card().contents(extended_length));
    session::ReadResult last;
    for (auto _ : state) {
        chip.reset();  // a new card placed on the reader
        vcard::ChipChannel channel(chip, extended_length);
        last = session::read_card(channel, session_options());
        benchmark::DoNotOptimize(last.files);
    }
    if (!verified(state, last)) return;
    std::size_t payload = 0;
    for (const auto& [name, bytes] : last.files) payload += bytes.size();
    report_link_figures(state, {last.apdus, last.bytes_sent, last.bytes_received}, payload);
}

// DG2 alone: from the last progress report of the file before it (DG2's first READ BINARY follows at once) to DG2's
// last block.
void bench_read_dg2(benchmark::State& state, bool extended_length) {
    vcard::VirtualChip chip(bench_card().contents(extended_length));
    session::ReadResult last;
    channel::Traffic dg2_traffic;
    std::size_t dg2_size = 0;
    for (auto _ : state) {
        chip.reset();
        vcard::ChipChannel channel(chip, extended_length);  // it counts what crossed as the session does
        channel::Traffic before_dg2;
        Clock::time_point dg2_start = Clock::now();
        Clock::duration dg2_time{};
        session::SessionOptions o = session_options();
        o.on_progress = [&](const session::Progress& p) {
            if (p.file != "DG2") {
                before_dg2 = channel.traffic();
                dg2_start = Clock::now();
            } else if (p.read == p.total) {
                dg2_time = Clock::now() - dg2_start;
                dg2_traffic = channel.traffic() - before_dg2;
                dg2_size = p.total;
            }
        };
        last = session::read_card(channel, o);
        state.SetIterationTime(std::chrono::duration<double>(dg2_time).count());
    }
    if (!verified(state, last)) return;
    report_link_figures(state, dg2_traffic, dg2_size);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RegisterBenchmark("read_card/extended_length", bench_read_card, true)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("read_card/short_apdus", bench_read_card, false)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("read_dg2/extended_length", bench_read_dg2, true)->UseManualTime()->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("read_dg2/short_apdus", bench_read_dg2, false)->UseManualTime()->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (g_a_read_failed) {
        std::fprintf(stderr, "cccd_bench_read: a card read did not verify\n");
        return 1;
    }
    return 0;
}
