#include "station/gui/station_worker.hpp"

#include <QFileInfo>

#include <algorithm>

#include "base/error.hpp"
#include "card/lds/card_kind.hpp"
#include "card/pa/trust_store.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "crypto/random.hpp"
#include "identity/validity.hpp"
#include "station/core/delivery.hpp"
#include "station/core/issue_card.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

// What support needs to see in the diagnostics: not the server's answers (the officer saw them) nor
// what the officer did or has to do.
bool for_diagnostics(const OperationFailure& failure) {
    if (!failure.server_code.empty()) return false;
    switch (failure.code) {
        case Failure::Cancelled:
        case Failure::CardRemoved:
        case Failure::NotLoggedIn:
        case Failure::NotDelivered:
        case Failure::SearchTooShort: return false;
        default: return true;
    }
}

}  // namespace

StationWorker::StationWorker(StationConfig config) : config_(std::move(config)) {
    qRegisterMetaType<QueueRow>();
    qRegisterMetaType<QList<QueueRow>>();
    qRegisterMetaType<FoundCitizen>();
    qRegisterMetaType<QList<FoundCitizen>>();
    qRegisterMetaType<ApprovalRow>();
    qRegisterMetaType<QList<ApprovalRow>>();
    qRegisterMetaType<VerdictLine>();
    qRegisterMetaType<QList<VerdictLine>>();
}

StationWorker::~StationWorker() = default;

template <typename Work, typename Failed>
std::optional<OperationFailure> StationWorker::run(Operation operation, Work&& work, Failed&& failed) {
    try {
        work();
        return std::nullopt;
    } catch (...) {
        OperationFailure failure = failure_of(operation, std::current_exception());
        if (for_diagnostics(failure)) recent_errors_ << q(std::string(to_string(failure.code)) + ": " + failure.detail);
        failed(OutcomeWords::failure(failure));
        if (failure.code == Failure::SessionExpired) Q_EMIT sessionExpired();
        return failure;
    }
}

void StationWorker::open_queue() {
    run(
        Operation::OpenQueue,
        [&] {
            queue_ = std::make_unique<EnrollmentQueue>(config_.queue.string(), queue_key(config_));
            transport_keys_ = std::make_unique<TransportKeyStore>(config_.queue.string(), queue_key(config_));
            publish_queue();
            Q_EMIT transportKeys(static_cast<int>(transport_keys_->count()), {});
        },
        [this](const QString& words) { Q_EMIT problem(words); });
}

void StationWorker::publish_queue() {
    if (!queue_) return;
    QList<QueueRow> rows;
    for (const auto& e : queue_->all()) {
        const QString note = !e.awaiting_approval_of.empty()
                                 ? tr("chờ lãnh đạo phê duyệt: %1").arg(OutcomeWords::fields(e.awaiting_approval_of))
                                 : q(e.last_error);
        rows.push_back({QString::number(e.id), q(e.personal_id), OutcomeWords::queue_state(e.state), OutcomeWords::local_time(e.queued_at),
                        q(e.card_number), note});
    }
    Q_EMIT queueChanged(rows);
}

void StationWorker::login(const QString& officer, const QString& password) {
    const auto failed = run(
        Operation::Login,
        [&] {
            client_ = std::make_unique<IssuanceClient>(https_options(config_));
            const OfficerSession session = client_->login(officer.toStdString(), password.toStdString());
            officer_ = officer;
            Q_EMIT loggedIn(officer, q(session.role), q(session.station_id));
        },
        [this](const QString& words) {
            client_.reset();
            Q_EMIT loginFailed(words);
        });
    if (!failed) deliver();  // whatever waited while nobody was logged in
}

void StationWorker::logout() {
    if (client_) client_->logout();
    client_.reset();
    officer_.clear();
}

void StationWorker::enroll(const identity::EnrollmentRecord& record) {
    if (!queue_) return;
    const auto failed = run(
        Operation::Enroll,
        [&] {
            const QueuedEnrollment queued = queue_->enqueue(record);
            Q_EMIT enrolled(tr("Đã lưu hồ sơ %1 vào hàng đợi").arg(q(queued.personal_id)));
            publish_queue();
        },
        [this](const QString& words) { Q_EMIT problem(words); });
    if (!failed) deliver();
}

void StationWorker::deliver() {
    if (!queue_ || !client_) return;
    run(
        Operation::Deliver,
        [&] {
            const DeliveryReport report = deliver_waiting(*queue_, *client_);
            publish_queue();
            QString summary =
                tr("Đã gửi %1, bị từ chối %2, còn chờ %3").arg(report.delivered).arg(report.refused).arg(report.still_waiting);
            if (report.awaiting_approval > 0)
                summary += " — " + tr("%1 hồ sơ thay đổi thông tin nhân thân chờ lãnh đạo phê duyệt").arg(report.awaiting_approval);
            if (report.still_waiting > 0) {
                summary += " — " + (report.needs_login() ? tr("phiên đăng nhập đã hết hạn") : tr("máy chủ chưa kết nối được"));
                if (report.stopped) recent_errors_ << q(report.stopped->detail);
            }
            Q_EMIT deliveryDone(summary);
            if (report.needs_login()) Q_EMIT sessionExpired();
        },
        [this](const QString& words) { Q_EMIT problem(words); });
}

void StationWorker::import_transport_keys(const QString& manifest) {
    run(
        Operation::ImportTransportKeys,
        [&] {
            if (!transport_keys_) throw Stopped(Failure::NotLoggedIn);
            const TransportImport report = import_transport_manifest_file(*transport_keys_, manifest.toStdString());
            Q_EMIT transportKeys(static_cast<int>(transport_keys_->count()),
                                 tr("Lô %1: đã nhập khoá của %2 thẻ trắng mới, %3 thẻ đã có từ trước")
                                     .arg(q(report.batch))
                                     .arg(report.added)
                                     .arg(report.already));
        },
        [this](const QString& words) { Q_EMIT transportKeys(transport_keys_ ? static_cast<int>(transport_keys_->count()) : 0, words); });
}

void StationWorker::count_transport_keys() {
    if (transport_keys_) Q_EMIT transportKeys(static_cast<int>(transport_keys_->count()), {});
}

namespace {

VerdictLine::State state_of(pa::Verdict verdict) {
    switch (verdict) {
        case pa::Verdict::Pass: return VerdictLine::State::Pass;
        case pa::Verdict::Fail: return VerdictLine::State::Fail;
        case pa::Verdict::NotChecked: return VerdictLine::State::NotChecked;
    }
    return VerdictLine::State::NotChecked;
}

}  // namespace

QList<VerdictLine> verdict_lines(const std::vector<pa::Check>& checks) {
    QList<VerdictLine> lines;
    for (const auto& c : checks)
        lines.push_back({state_of(c.verdict), OutcomeWords::check(c), c.verdict == pa::Verdict::Pass ? QString() : q(c.reason)});
    return lines;
}

void StationWorker::issue(const QString& personal_id, const QString& reader_name) {
    cancel_requested_ = false;
    run(
        Operation::Issue,
        [&] {
            if (!queue_ || !client_) throw Stopped(Failure::NotLoggedIn);
            std::optional<QueuedEnrollment> entry;
            for (auto& e : queue_->all())
                if (q(e.personal_id) == personal_id && e.state == QueueState::Delivered) entry = e;
            if (!entry) throw Stopped(Failure::NotDelivered);
            const IssueOutcome outcome =
                issue_card_in_reader(config_, reader_name.toStdString(), *client_, *entry, transport_keys_->lookup(),
                                     [this](const perso::PersonalizationStep& s) {
                                         if (cancel_requested_) throw Stopped(Failure::Cancelled);
                                         Q_EMIT step(s.number, s.total, q(s.name + (s.detail.empty() ? "" : ": " + s.detail)));
                                     });
            if (!entry->awaiting_approval_of.empty()) {  // the server signed it: approved
                queue_->note_awaiting_approval(entry->id, {});
                publish_queue();
            }
            if (outcome.issued()) {  // locked: its transport key opens nothing any more
                transport_keys_->forget(outcome.personalization.chip_serial);
                Q_EMIT transportKeys(static_cast<int>(transport_keys_->count()), {});
            }
            Q_EMIT issued(outcome.issued(),
                          outcome.issued() ? OutcomeWords::issue_end(true) + "\n" +
                                                 tr("Thẻ số %1, CAN %2").arg(q(outcome.card_number), q(outcome.personalization.can))
                                           : OutcomeWords::issue_end(false) + "\n" + tr("Kiểm tra đọc lại không đạt (xem danh sách)"),
                          verdict_lines(outcome.personalization.checks), q(outcome.card_number));
        },
        [this](const QString& words) { Q_EMIT issued(false, words, {}, {}); });
}

void StationWorker::list_approvals() {
    run(
        Operation::ListApprovals,
        [&] {
            if (!client_) throw Stopped(Failure::NotLoggedIn);
            QList<ApprovalRow> rows;
            for (const auto& p : client_->list_approvals()) {
                ApprovalRow row{q(p.enrollment_id), q(p.card_number), q(p.personal_id), q(p.officer_id), q(p.station_id),
                                q(p.created_at),    p.submitted_by_you, {}};
                for (const auto& c : p.changes) {
                    row.changes.push_back({q(c.field), q(c.registered), q(c.submitted),
                                           QByteArray(reinterpret_cast<const char*>(c.registered_photo.data()),
                                                      static_cast<qsizetype>(c.registered_photo.size())),
                                           QByteArray(reinterpret_cast<const char*>(c.submitted_photo.data()),
                                                      static_cast<qsizetype>(c.submitted_photo.size()))});
                }
                rows.push_back(std::move(row));
            }
            Q_EMIT approvalsListed(rows, rows.isEmpty() ? tr("Không có hồ sơ nào chờ phê duyệt")
                                                        : tr("%1 hồ sơ chờ phê duyệt").arg(rows.size()));
        },
        [this](const QString& words) { Q_EMIT approvalsListed({}, words); });
}

void StationWorker::decide(const QString& enrollment_id, bool approve, const QString& reason) {
    const auto failed = run(
        Operation::Decide,
        [&] {
            if (!client_) throw Stopped(Failure::NotLoggedIn);
            const std::string id = enrollment_id.toStdString(), why = reason.trimmed().toStdString();
            // The same decision sent again after a lost answer gets the first answer back.
            const std::string key = decision_idempotency_key(approve ? "approve" : "reject", id, officer_.toStdString(), why);
            const ApprovalDecision decision =
                approve ? client_->approve_enrollment(id, key) : client_->reject_enrollment(id, why, key);
            if (queue_ && approve) {  // an enrollment of this station: its card may be issued now
                for (const auto& e : queue_->all())
                    if (e.enrollment_id == id && !e.awaiting_approval_of.empty()) queue_->note_awaiting_approval(e.id, {});
                publish_queue();
            }
            const QString card = q(decision.card_number);
            Q_EMIT decided(true, approve ? tr("Đã phê duyệt hồ sơ %1: thẻ %2 có thể được cá nhân hoá").arg(enrollment_id, card)
                                         : tr("Đã từ chối hồ sơ %1: thẻ %2 bị thu hồi").arg(enrollment_id, card));
        },
        [this](const QString& words) { Q_EMIT decided(false, words); });
    if (failed && failed->code == Failure::SessionExpired) return;  // the window locks: nothing to list
    list_approvals();
}

void StationWorker::diagnose() {
    run(
        Operation::Diagnose,
        [&] {
            QStringList lines;
            try {
                reader::PcscContext context;
                lines << tr("Dịch vụ PC/SC (pcscd): đang chạy");
                const auto names = context.readers();
                lines << tr("Đầu đọc: %1").arg(names.size());
                for (const auto& name : names) {
                    QString line = "  " + q(name);
                    try {
                        reader::PcscCard card(context, name);
                        line += tr(" — có thẻ, ATR %1").arg(q(to_hex(card.atr())));
                    } catch (const Error&) {
                        line += tr(" — không có thẻ");
                    }
                    lines << line;
                }
            } catch (const Error& e) {
                lines << tr("Dịch vụ PC/SC (pcscd): không kết nối được (%1)").arg(q(e.what()));
            }
            lines << tr("Máy chủ: %1").arg(q(config_.server));
            lines << tr("Lỗi gần đây:");
            for (const auto& error : recent_errors_.mid(std::max<qsizetype>(0, recent_errors_.size() - 10))) lines << "  " + error;
            Q_EMIT diagnostics(lines.join('\n'));
        },
        [this](const QString& words) { Q_EMIT diagnostics(words); });
}

void StationWorker::search(const QString& text) {
    const QString query = text.trimmed();
    run(
        Operation::Search,
        [&] {
            if (!client_) throw Stopped(Failure::NotLoggedIn);
            std::vector<CitizenFound> citizens;
            const bool id = query.size() == 12 && std::all_of(query.begin(), query.end(), [](QChar c) { return c.isDigit(); });
            if (id) {
                if (auto one = client_->find_citizen(query.toStdString())) citizens.push_back(std::move(*one));
            } else {
                if (query.size() < 2) throw Stopped(Failure::SearchTooShort);
                citizens = client_->search_citizens(query.toStdString());
            }
            QList<FoundCitizen> rows;
            for (auto& c : citizens) {
                const auto born = identity::parse_iso_day(c.record.date_of_birth);
                rows.push_back({q(c.record.person.personal_id), q(c.record.person.full_name),
                                born ? q(identity::vietnamese_day(*born)) : q(c.record.date_of_birth), OutcomeWords::citizen_status(c.status),
                                std::move(c.record)});
            }
            Q_EMIT found(rows, rows.isEmpty() ? tr("Không có công dân nào khớp trong cơ sở dữ liệu dân cư")
                                              : tr("Tìm thấy %1 công dân").arg(rows.size()));
        },
        [this](const QString& words) { Q_EMIT found({}, words); });
}

void StationWorker::verify_card(const QString& reader_name, const QString& can) {
    run(
        Operation::VerifyCard,
        [&] {
            const pa::TrustStore trust = station_trust(config_);
            session::SessionOptions options;
            options.can = can.toStdString();
            options.trust = &trust;
            options.active_auth_challenge = crypto::random_bytes(8);
            reader::PcscContext context;
            reader::PcscCard card(context, context.reader_or_first(reader_name.toStdString()));
            session::ReadResult read;
            {
                reader::Transaction transaction(card);
                read = session::read_card(card, options);
            }
            QList<VerdictLine> checks = verdict_lines(read.checks);
            // What card it is (its profile from DG13's dates, DG2) and every DG13 field it has, by label.
            const lds::CardKind kind = lds::card_kind(read.files);
            checks.push_back({VerdictLine::State::Info, OutcomeWords::card_kind(kind), {}});
            for (const QString& field : OutcomeWords::card_fields(kind)) checks.push_back({VerdictLine::State::Info, field, {}});
            const bool passed = read.overall == pa::Verdict::Pass;
            const bool unchecked = std::any_of(read.checks.begin(), read.checks.end(),
                                               [](const pa::Check& c) { return c.verdict == pa::Verdict::NotChecked; });
            Q_EMIT verified(passed,
                            !passed     ? tr("THẺ KHÔNG HỢP LỆ: xem các kiểm tra không đạt")
                            : unchecked ? tr("Thẻ hợp lệ; có mục chưa kiểm tra được (xem danh sách)")
                                        : tr("Thẻ hợp lệ: mọi kiểm tra đều đạt"),
                            checks);
        },
        [this](const QString& words) { Q_EMIT verified(false, words, {}); });
}

}  // namespace cccd::station
