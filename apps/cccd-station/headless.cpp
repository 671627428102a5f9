#include "apps/cccd-station/headless.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "base/encoding.hpp"
#include "base/environment.hpp"
#include "base/error.hpp"
#include "base/file.hpp"
#include "card/pa/trust_store.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "identity/enrollment_record.hpp"
#include "identity/record_json.hpp"
#include "station/core/delivery.hpp"
#include "station/core/issue_card.hpp"
#include "station/core/outcome.hpp"
#include "station/core/station_config.hpp"
#include "station/core/transport_keys.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

namespace {

constexpr int kExitOk = 0, kExitRefused = 1, kExitUsage = 2, kExitUnreachable = 3, kExitCard = 4;

// CCCD_OFFICER_PASSWORD (taken out of the environment), else the file CCCD_OFFICER_PASSWORD_FILE names.
std::string officer_password() {
    if (const auto password = secret_from_environment("CCCD_OFFICER_PASSWORD", "CCCD_OFFICER_PASSWORD_FILE"))
        return cccd::to_string(password->view());
    throw InvalidArgument("set CCCD_OFFICER_PASSWORD (or CCCD_OFFICER_PASSWORD_FILE) to the officer's password");
}

struct Common {
    std::string config, officer;
    bool json = false;
};

std::string joined(const std::vector<std::string>& words, const char* separator = ", ") {
    std::string out;
    for (const auto& word : words) out += (out.empty() ? "" : separator) + word;
    return out;
}

void log(const std::string& line) { std::cerr << "cccd-station: " << line << std::endl; }

// One entry's answer, for the log (codes and card numbers, never the holder's name or ID).
std::string delivery_log(const EntryDelivery& answer) {
    if (!answer.delivered) return "refused: " + answer.refusal_message;
    std::string line = "delivered, card " + answer.card_number;
    if (answer.awaiting_approval) {
        line += ", awaiting a supervisor's approval of " +
                (answer.awaiting_approval_of.empty() ? std::string("an identity change") : joined(answer.awaiting_approval_of));
    }
    return line;
}

IssuanceClient logged_in_client(const StationConfig& config, const std::string& officer) {
    IssuanceClient client(https_options(config));
    const OfficerSession session = client.login(officer, officer_password());
    log("logged in as " + session.officer_id + " (" + session.role + ") at station " + session.station_id);
    return client;
}

int deliver(EnrollmentQueue& queue, const StationConfig& config, const std::string& officer) {
    IssuanceClient client = logged_in_client(config, officer);
    const DeliveryReport report = deliver_waiting(queue, client, [](const QueuedEnrollment& e, const EntryDelivery& answer) {
        log("queue entry " + std::to_string(e.id) + ": " + delivery_log(answer));
    });
    log(std::to_string(report.delivered) + " delivered, " + std::to_string(report.refused) + " refused, " +
        std::to_string(report.still_waiting) + " waiting");
    if (report.still_waiting > 0) {
        log("not everything reached the server: " + (report.stopped ? report.stopped->detail : std::string()));
        return report.needs_login() ? kExitRefused : kExitUnreachable;
    }
    return report.refused > 0 ? kExitRefused : kExitOk;
}

std::optional<QueuedEnrollment> latest_for(EnrollmentQueue& queue, const std::string& personal_id) {
    std::optional<QueuedEnrollment> found;
    for (auto& e : queue.all())
        if (e.personal_id == personal_id) found = e;
    return found;
}

int issue(EnrollmentQueue& queue, const StationConfig& config, const std::string& officer, const std::string& personal_id,
          const std::string& transport_key_file, const std::string& reader_name, bool json) {
    std::optional<QueuedEnrollment> entry = latest_for(queue, personal_id);
    if (!entry) throw InvalidArgument("no enrollment for " + personal_id + " in this station's queue");
    IssuanceClient client = logged_in_client(config, officer);
    if (entry->state == QueueState::Waiting) {
        deliver_waiting(queue, client);
        entry = queue.find(entry->id);
    }
    if (entry->state != QueueState::Delivered) {
        log("the enrollment has not reached the server (" + std::string(to_string(entry->state)) + "): " + entry->last_error);
        return entry->state == QueueState::Refused ? kExitRefused : kExitUnreachable;
    }
    log("card " + entry->card_number);  // never the holder's ID or name in a log
    std::string name;
    IssueOutcome outcome;
    // The card's key from the imported batches, unless one key file was given for this card.
    TransportKeyStore keys(config.queue.string(), queue_key(config));
    const perso::TransportKeyLookup transport_key = transport_key_file.empty()
                                                        ? keys.lookup()
                                                        : perso::fixed_transport_key(perso::read_transport_key_file(transport_key_file));
    try {
        outcome = issue_card_in_reader(
            config, reader_name, client, *entry, transport_key,
            [](const perso::PersonalizationStep& s) {
                log("[" + std::to_string(s.number) + "/" + std::to_string(s.total) + "] " + s.name +
                    (s.detail.empty() ? "" : ": " + s.detail));
            },
            &name);
    } catch (const AwaitingApprovalError&) {
        // Stopped before anything was written: the same card is issued after the approval.
        log(utf8(OutcomeWords::refusal(failure_of(Operation::Issue, std::current_exception()))) + " (card " + entry->card_number +
            " not personalized; run again after the approval)");
        return kExitRefused;
    }
    if (!entry->awaiting_approval_of.empty()) queue.note_awaiting_approval(entry->id, {});  // the server signed it
    if (outcome.issued()) keys.forget(outcome.personalization.chip_serial);  // locked: its key opens nothing now
    log("personalized in " + name);
    for (const auto& c : outcome.personalization.checks) {
        std::cerr << "  " << pa::verdict_name(c.verdict) << "  " << c.name << (c.verdict == pa::Verdict::Pass ? "" : ": " + c.reason) << "\n";
    }
    if (json) {
        std::cout << "{\"card_number\":\"" << outcome.card_number << "\",\"status\":\"" << outcome.status << "\",\"issued\":"
                  << (outcome.issued() ? "true" : "false") << ",\"can\":\"" << outcome.personalization.can << "\"}\n";
    } else {
        std::cout << (outcome.issued() ? "ISSUED" : "NOT ISSUED") << ": card " << outcome.card_number << " ("
                  << (outcome.status.empty() ? "not activated" : outcome.status) << "), CAN " << outcome.personalization.can << "\n";
    }
    return outcome.issued() ? kExitOk : kExitRefused;
}

// A citizen's photo for the supervisor's eyes only: owner read/write.
void write_photo(const std::filesystem::path& path, const Bytes& jpeg) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    out.write(reinterpret_cast<const char*>(jpeg.data()), static_cast<std::streamsize>(jpeg.size()));
    if (!out.flush()) throw InvalidArgument("cannot write " + path.string());
}

// The enrollments waiting for a second person's approval, with each change's register value beside
// the submitted one (on stdout: the supervisor decides on them). Photos: their sizes, or with
// `photos_dir` the two JPEG files side by side.
int list_approvals(const StationConfig& config, const std::string& officer, bool json, const std::string& photos_dir) {
    IssuanceClient client = logged_in_client(config, officer);
    const std::vector<PendingApproval> pending = client.list_approvals();
    log(std::to_string(pending.size()) + " waiting for approval");
    if (json) {
        boost::json::array list;
        for (const auto& p : pending) {
            boost::json::array changes;
            for (const auto& c : p.changes) {
                const bool photo = c.field == "photo";
                changes.push_back({{"field", c.field},
                                   {"registered", photo ? base64_encode(c.registered_photo) : c.registered},
                                   {"submitted", photo ? base64_encode(c.submitted_photo) : c.submitted}});
            }
            list.push_back({{"enrollment_id", p.enrollment_id}, {"card_number", p.card_number}, {"personal_id", p.personal_id},
                            {"officer_id", p.officer_id}, {"station_id", p.station_id}, {"created_at", p.created_at},
                            {"submitted_by_you", p.submitted_by_you}, {"changes", changes}});
        }
        std::cout << boost::json::serialize(boost::json::object{{"approvals", list}}) << "\n";
        return kExitOk;
    }
    for (const auto& p : pending) {
        std::vector<std::string> fields;
        for (const auto& c : p.changes) fields.push_back(c.field);
        std::cout << p.enrollment_id << "  " << p.personal_id << "  by " << p.officer_id << " at " << p.station_id << "  "
                  << p.created_at << "  card " << p.card_number << "  changes: " << joined(fields)
                  << (p.submitted_by_you ? "  (your own: another supervisor must decide)" : "") << "\n";
        for (const auto& c : p.changes) {
            if (c.field != "photo") {
                std::cout << "    " << c.field << ": " << c.registered << "  ->  " << c.submitted << "\n";
                continue;
            }
            std::cout << "    photo: registered " << c.registered_photo.size() << " bytes  ->  submitted " << c.submitted_photo.size()
                      << " bytes";
            if (!photos_dir.empty()) {
                const std::filesystem::path dir(photos_dir);
                write_photo(dir / (p.enrollment_id + "-registered.jpg"), c.registered_photo);
                write_photo(dir / (p.enrollment_id + "-submitted.jpg"), c.submitted_photo);
                std::cout << "  (" << (dir / (p.enrollment_id + "-{registered,submitted}.jpg")).string() << ")";
            }
            std::cout << "\n";
        }
    }
    return kExitOk;
}

// approve or reject: the decision is the server's audited call, under a key that makes a retry safe.
int decide(const StationConfig& config, const std::string& officer, const std::string& enrollment_id, bool approve,
           const std::string& reason, bool json) {
    IssuanceClient client = logged_in_client(config, officer);
    const std::string key = decision_idempotency_key(approve ? "approve" : "reject", enrollment_id, officer, reason);
    const ApprovalDecision decision =
        approve ? client.approve_enrollment(enrollment_id, key) : client.reject_enrollment(enrollment_id, reason, key);
    if (json) {
        std::cout << boost::json::serialize(boost::json::object{
                         {"enrollment_id", decision.enrollment_id}, {"card_number", decision.card_number}, {"status", decision.status}})
                  << "\n";
    } else {
        std::cout << (approve ? "APPROVED" : "REJECTED") << ": enrollment " << decision.enrollment_id << ", card " << decision.card_number
                  << " (" << decision.status << ")\n";
    }
    return kExitOk;
}

// Runs one command; whatever stops it becomes a code (failure_of, the same as the window's) and an exit
// code, logged with the server's refusal in the officer's words.
template <typename Work>
int guarded(Operation operation, Work&& work) {
    try {
        return work();
    } catch (...) {
        const OperationFailure failure = failure_of(operation, std::current_exception());
        if (!failure.server_code.empty()) {
            log("the server refused: " + failure.server_code + ": " + utf8(OutcomeWords::refusal(failure)) +
                (failure.request_id.empty() ? "" : " (request id " + failure.request_id + ")"));
            return kExitRefused;
        }
        switch (failure.code) {
            case Failure::ServerUnreachable: log("the server cannot be reached: " + failure.detail); return kExitUnreachable;
            case Failure::CardRemoved:
                log("the card was removed: put it back and run the command again (" + failure.detail + ")");
                return kExitCard;
            case Failure::AccessDenied: log("the card refused the key: " + failure.detail); return kExitCard;
            case Failure::InvalidInput: log(failure.detail); return kExitUsage;
            case Failure::Internal: log("unexpected failure: " + failure.detail); return kExitCard;
            default: log(failure.detail); return kExitCard;
        }
    }
}

}  // namespace

int run_headless(int argc, char** argv) {
    CLI::App app{"cccd-station --headless: the enrollment station's workflows without a window"};
    app.set_help_all_flag("--help-all");
    bool headless = true;
    app.add_flag("--headless", headless, "run without a window (this mode)");
    app.require_subcommand(1);
    int exit_code = kExitOk;

    auto add_common = [](CLI::App* command, Common& c, bool officer) {
        command->add_option("--config", c.config, "the station's configuration (JSON)")->required();
        if (officer) command->add_option("--officer", c.officer, "officer id (password: CCCD_OFFICER_PASSWORD)")->required();
        command->add_flag("--json", c.json, "results as JSON");
    };

    auto enroll_common = std::make_shared<Common>();
    auto record_file = std::make_shared<std::string>();
    auto photo_file = std::make_shared<std::string>();
    auto* enroll = app.add_subcommand("enroll", "queue an enrollment, then send the queue to the server");
    add_common(enroll, *enroll_common, true);
    enroll->add_option("--record", *record_file, "the enrollment record (JSON, docs/cccd-card.md)")->required();
    enroll->add_option("--photo", *photo_file,
                       "the portrait (JPEG, at most 20 KB); none for a child under 6, whose card has no photo");
    enroll->footer(
        "The card profile follows from the record's dates (identity::profile_of): under 6 no --photo is taken and\n"
        "the record names the legal representative (\"representative\": personal_id, full_name, relationship),\n"
        "as it must for every child under 14. A record that does not fit its profile is refused before it is\n"
        "queued, in the officer's words (exit code 2).");
    enroll->callback([&exit_code, enroll_common, record_file, photo_file] {
        exit_code = guarded(Operation::Enroll, [&] {
            const StationConfig config = load_station_config(enroll_common->config);
            const Bytes record_bytes = read_file(*record_file);
            identity::EnrollmentRecord record = identity::parse_enrollment_record(std::string(record_bytes.begin(), record_bytes.end()));
            const identity::CardProfile& profile = identity::profile_of(record);
            if (!profile.enrollment.photo && !photo_file->empty()) {
                throw InvalidArgument("Thẻ " + std::string(profile.name_vi) + " không có ảnh chân dung: bỏ --photo");
            }
            if (!photo_file->empty()) record.photo_jpeg = read_file(*photo_file);
            log("card profile " + std::string(profile.code));
            EnrollmentQueue queue(config.queue.string(), queue_key(config));
            const QueuedEnrollment queued = queue.enqueue(record);
            log("queued as entry " + std::to_string(queued.id) + " (kept until the server has it)");
            return guarded(Operation::Deliver, [&] { return deliver(queue, config, enroll_common->officer); });
        });
    });

    auto deliver_common = std::make_shared<Common>();
    auto* deliver_command = app.add_subcommand("deliver", "send the waiting enrollments to the server");
    add_common(deliver_command, *deliver_common, true);
    deliver_command->callback([&exit_code, deliver_common] {
        exit_code = guarded(Operation::Deliver, [&] {
            const StationConfig config = load_station_config(deliver_common->config);
            EnrollmentQueue queue(config.queue.string(), queue_key(config));
            return deliver(queue, config, deliver_common->officer);
        });
    });

    auto issue_common = std::make_shared<Common>();
    struct IssueArgs {
        std::string personal_id, transport_key, reader;
    };
    auto issue_args = std::make_shared<IssueArgs>();
    auto* issue_command = app.add_subcommand("issue", "personalize the blank card in the reader for an enrollment, then activate it");
    add_common(issue_command, *issue_common, true);
    issue_command->add_option("--personal-id", issue_args->personal_id, "the citizen's 12-digit ID number")->required();
    issue_command->add_option("--transport-key", issue_args->transport_key,
                              "file with the blank card's transport key (32 hex digits); default: the key of the card's "
                              "chip serial from the imported batch manifests (import-transport-keys)");
    issue_command->add_option("--reader", issue_args->reader, "reader name (default: the configuration's, else the first)");
    issue_command->callback([&exit_code, issue_common, issue_args] {
        exit_code = guarded(Operation::Issue, [&] {
            const StationConfig config = load_station_config(issue_common->config);
            EnrollmentQueue queue(config.queue.string(), queue_key(config));
            return issue(queue, config, issue_common->officer, issue_args->personal_id, issue_args->transport_key,
                         issue_args->reader, issue_common->json);
        });
    });

    auto import_common = std::make_shared<Common>();
    auto manifest = std::make_shared<std::string>();
    auto* import_command = app.add_subcommand(
        "import-transport-keys", "import a card maker's batch manifest of blank cards' transport keys (once per batch)");
    add_common(import_command, *import_common, false);
    import_command->add_option("manifest", *manifest, "the batch manifest (docs/personalization.md)")->required();
    import_command->callback([&exit_code, import_common, manifest] {
        exit_code = guarded(Operation::ImportTransportKeys, [&] {
            const StationConfig config = load_station_config(import_common->config);
            TransportKeyStore keys(config.queue.string(), queue_key(config));
            const TransportImport report = import_transport_manifest_file(keys, *manifest);
            log("batch " + report.batch + ": " + std::to_string(report.added) + " blank cards added, " +
                std::to_string(report.already) + " already imported; " + std::to_string(keys.count()) +
                " transport keys held");
            return kExitOk;
        });
    });

    auto queue_common = std::make_shared<Common>();
    auto* queue_command = app.add_subcommand("queue", "list this station's queue");
    add_common(queue_command, *queue_common, false);
    queue_command->callback([&exit_code, queue_common] {
        exit_code = guarded(Operation::OpenQueue, [&] {
            const StationConfig config = load_station_config(queue_common->config);
            EnrollmentQueue queue(config.queue.string(), queue_key(config));
            for (const auto& e : queue.all()) {
                std::cout << e.id << "  " << to_string(e.state) << "  " << e.personal_id << "  queued " << e.queued_at
                          << "  attempts " << e.attempts;
                if (!e.card_number.empty()) std::cout << "  card " << e.card_number;
                if (!e.awaiting_approval_of.empty()) std::cout << "  awaiting approval of " << joined(e.awaiting_approval_of);
                if (!e.last_error.empty()) std::cout << "  (" << e.last_error << ")";
                std::cout << "\n";
            }
            return kExitOk;
        });
    });

    auto approvals_common = std::make_shared<Common>();
    auto photos_dir = std::make_shared<std::string>();
    auto* approvals_command =
        app.add_subcommand("approvals", "list the identity changes waiting for a second person's approval (supervisor)");
    add_common(approvals_command, *approvals_common, true);
    approvals_command->add_option("--photos", *photos_dir, "write each photo change's two JPEGs to this directory")
        ->check(CLI::ExistingDirectory);
    approvals_command->callback([&exit_code, approvals_common, photos_dir] {
        exit_code = guarded(Operation::ListApprovals, [&] {
            return list_approvals(load_station_config(approvals_common->config), approvals_common->officer, approvals_common->json,
                                  *photos_dir);
        });
    });

    struct DecisionArgs {
        Common common;
        std::string enrollment_id, reason;
    };
    for (const bool approve : {true, false}) {
        auto args = std::make_shared<DecisionArgs>();
        auto* command =
            app.add_subcommand(approve ? "approve" : "reject",
                               approve ? "approve an identity change: its card may then be issued (supervisor, not the submitter)"
                                       : "reject an identity change: its card is revoked (supervisor, not the submitter)");
        add_common(command, args->common, true);
        command->add_option("--enrollment", args->enrollment_id, "the enrollment id (E and 16 hex digits, from 'approvals')")->required();
        if (!approve) command->add_option("--reason", args->reason, "why (at most 200 characters)");
        command->callback([&exit_code, args, approve] {
            exit_code = guarded(Operation::Decide, [&] {
                return decide(load_station_config(args->common.config), args->common.officer, args->enrollment_id, approve, args->reason,
                              args->common.json);
            });
        });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;
    }
    return exit_code;
}

}  // namespace cccd::station
