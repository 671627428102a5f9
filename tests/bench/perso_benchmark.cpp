// cccd_bench_perso: one personalization of a blank chip, end to end through the pipeline
// (card/perso/personalizer.hpp) and the in-process virtual chip: PACE with the transport key, AA and CA
// keys made on the chip, files built and signed, written and read back, access keys, lock, and the
// read-back session (PACE-CAN, every file, CA, AA, PA, data against the record).
//
// The measured time is the CPU cost of both sides (including key generation on the "chip", which a
// real chip does in its own time); the counters carry what a real reader would pay:
//   apdus, bytes_sent, bytes_received   what crossed the channel
//   payload_bytes                       the bytes of the files written (what must reach the chip)
//   modeled_ms                          LinkModel::contactless().session_time(apdus, sent + received)
//   minimum_ms                          transfer_time(payload_bytes): the files alone on the air, once
//   modeled_over_minimum                modeled_ms / minimum_ms
// The read-back is part of personalization (a card is issued only after it), so it is counted.
//
// It prints; it never passes or fails on a time. It exits non-zero only when a card is not issued.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "card/lds/sod.hpp"
#include "card/perso/personalizer.hpp"
#include "card/session/link_model.hpp"
#include "tests/fixtures/sample_card.hpp"
#include "vcard/chip_channel.hpp"
#include "vcard/virtual_chip.hpp"

namespace {

using namespace cccd;

const Bytes kTransportKey = from_hex("000102030405060708090A0B0C0D0E0F");
bool g_not_issued = false;

struct Issuer {
    fixtures::TestPki pki = fixtures::make_test_pki();
    pa::TrustStore trust;
    identity::EnrollmentRecord record;
    Issuer() {
        trust.add_certificates(pki.csca.cert_der(), "test CSCA");
        Bytes jpeg = from_hex("FFD8FFC0000B08014000F0011100");
        jpeg.resize(15000, 0x5A);  // a 15 KB portrait
        append(jpeg, from_hex("FFD9"));
        record = fixtures::enrollment_record(fixtures::sample_citizen(), jpeg);
    }
};

const Issuer& issuer() {
    static const Issuer i;
    return i;
}

void bench_personalize(benchmark::State& state, bool extended_length, perso::KeySpec active_auth) {
    const Issuer& is = issuer();
    perso::PersonalizationOptions options;
    options.transport_key = cccd::perso::fixed_transport_key(SecretBytes(ByteView(kTransportKey)));
    options.active_auth_key = active_auth;
    options.trust = &is.trust;
    options.sign_sod = [&](const perso::CardFiles& files) {
        return lds::build_sod(files.security_object, is.pki.ds.key.get(), is.pki.ds.cert.get());
    };
    perso::PersonalizationResult last;
    std::size_t payload = 0;
    for (auto _ : state) {
        state.PauseTiming();
        auto blank = vcard::make_blank_chip(kTransportKey);
        blank.extended_length = extended_length;
        vcard::VirtualChip chip(std::move(blank));
        vcard::ChipChannel channel(chip, extended_length);
        state.ResumeTiming();
        last = perso::personalize(channel, is.record, options);
        if (!last.issued) g_not_issued = true;
        payload = 0;
        for (const auto& [fid, content] : chip.contents().files) payload += content.size();
    }
    auto link = session::LinkModel::contactless();
    double modeled_ms = static_cast<double>(link.session_time(last.apdus, last.bytes_sent + last.bytes_received).count()) / 1000.0;
    double minimum_ms = static_cast<double>(link.transfer_time(payload).count()) / 1000.0;
    state.counters["apdus"] = static_cast<double>(last.apdus);
    state.counters["bytes_sent"] = static_cast<double>(last.bytes_sent);
    state.counters["bytes_received"] = static_cast<double>(last.bytes_received);
    state.counters["payload_bytes"] = static_cast<double>(payload);
    state.counters["modeled_ms"] = modeled_ms;
    state.counters["minimum_ms"] = minimum_ms;
    state.counters["modeled_over_minimum"] = minimum_ms > 0 ? modeled_ms / minimum_ms : 0.0;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
    benchmark::RegisterBenchmark("personalize/ecdsa_extended_length", bench_personalize, true, perso::KeySpec::ec(13))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("personalize/ecdsa_short_apdus", bench_personalize, false, perso::KeySpec::ec(13))
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("personalize/rsa2048_extended_length", bench_personalize, true, perso::KeySpec::rsa(2048))
        ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    if (g_not_issued) {
        std::fprintf(stderr, "cccd_bench_perso: a card was not issued\n");
        return 1;
    }
    return 0;
}
