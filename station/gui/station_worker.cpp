#include "station/gui/station_worker.hpp"

#include <QFileInfo>

#include <algorithm>

#include "card/core/error.hpp"
#include "card/crypto/random.hpp"
#include "card/pa/trust_store.hpp"
#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "station/core/delivery.hpp"
#include "station/core/issue_card.hpp"

namespace cccd::station {

namespace {

class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled by the officer") {}
};

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

StationWorker::StationWorker(StationConfig config) : config_(std::move(config)) {
    qRegisterMetaType<QueueRow>();
    qRegisterMetaType<QList<QueueRow>>();
    qRegisterMetaType<FoundCitizen>();
    qRegisterMetaType<QList<FoundCitizen>>();
}

StationWorker::~StationWorker() = default;

void StationWorker::open_queue() {
    try {
        queue_ = std::make_unique<EnrollmentQueue>(config_.queue.string(), queue_key(config_));
        publish_queue();
    } catch (const std::exception& e) {
        Q_EMIT problem(tr("Không mở được hàng đợi hồ sơ: %1").arg(q(e.what())));
    }
}

void StationWorker::publish_queue() {
    if (!queue_) return;
    QList<QueueRow> rows;
    for (const auto& e : queue_->all()) {
        rows.push_back({QString::number(e.id), q(e.personal_id), q(std::string(to_string(e.state))), q(e.queued_at),
                        q(e.card_number), q(e.last_error)});
    }
    Q_EMIT queueChanged(rows);
}

void StationWorker::login(const QString& officer, const QString& password) {
    try {
        client_ = std::make_unique<IssuanceClient>(https_options(config_));
        const OfficerSession session = client_->login(officer.toStdString(), password.toStdString());
        officer_ = officer;
        Q_EMIT loggedIn(officer, q(session.role), q(session.station_id));
        deliver();  // whatever waited while nobody was logged in
    } catch (const ServerRefusal& e) {
        client_.reset();
        Q_EMIT loginFailed(e.http_status() == 401 ? tr("Sai tên đăng nhập hoặc mật khẩu")
                                                : tr("Máy chủ từ chối: %1").arg(q(e.what())));
    } catch (const std::exception& e) {
        client_.reset();
        recent_errors_ << q(e.what());
        Q_EMIT loginFailed(tr("Không kết nối được máy chủ: %1").arg(q(e.what())));
    }
}

void StationWorker::logout() {
    if (client_) client_->logout();
    client_.reset();
    officer_.clear();
}

void StationWorker::enroll(const perso::EnrollmentRecord& record) {
    if (!queue_) return;
    try {
        const QueuedEnrollment queued = queue_->enqueue(record);
        Q_EMIT enrolled(tr("Đã lưu hồ sơ %1 vào hàng đợi").arg(q(queued.personal_id)));
        publish_queue();
        deliver();
    } catch (const InvalidArgument& e) {
        Q_EMIT problem(tr("Hồ sơ chưa hợp lệ: %1").arg(q(e.what())));
    } catch (const std::exception& e) {
        Q_EMIT problem(tr("Không lưu được hồ sơ: %1").arg(q(e.what())));
    }
}

void StationWorker::deliver() {
    if (!queue_ || !client_) return;
    const DeliveryReport report = deliver_waiting(*queue_, *client_);
    publish_queue();
    QString summary = tr("Đã gửi %1, bị từ chối %2, còn chờ %3").arg(report.delivered).arg(report.refused).arg(report.still_waiting);
    if (report.still_waiting > 0) {
        summary += " — " + (report.needs_login ? tr("phiên đăng nhập đã hết hạn") : tr("máy chủ chưa kết nối được"));
        recent_errors_ << q(report.stopped_because);
    }
    Q_EMIT deliveryDone(summary);
    if (report.needs_login) Q_EMIT sessionExpired();
}

void StationWorker::issue(const QString& personal_id, const QString& transport_key_file, const QString& reader_name) {
    cancel_requested_ = false;
    try {
        if (!queue_ || !client_) throw InvalidArgument("đăng nhập trước khi cá nhân hoá thẻ");
        std::optional<QueuedEnrollment> entry;
        for (auto& e : queue_->all())
            if (q(e.personal_id) == personal_id && e.state == QueueState::Delivered) entry = e;
        if (!entry) throw InvalidArgument("chưa có hồ sơ đã gửi máy chủ cho số định danh này");
        const IssueOutcome outcome = issue_card_in_reader(
            config_, reader_name.toStdString(), *client_, *entry, transport_key_file.toStdString(),
            [this](const perso::PersonalizationStep& s) {
                if (cancel_requested_) throw Cancelled();
                Q_EMIT step(s.number, s.total, q(s.name + (s.detail.empty() ? "" : ": " + s.detail)));
            });
        QStringList checks;
        for (const auto& c : outcome.personalization.checks)
            checks << q(std::string(pa::verdict_name(c.verdict)) + "  " + c.name + (c.verdict == pa::Verdict::Pass ? "" : ": " + c.reason));
        Q_EMIT issued(outcome.issued(),
                    outcome.issued() ? tr("Đã cấp thẻ %1, CAN %2").arg(q(outcome.card_number), q(outcome.personalization.can))
                                     : tr("CHƯA CẤP: kiểm tra đọc lại không đạt — không giao thẻ này"),
                    checks, q(outcome.card_number));
    } catch (const Cancelled&) {
        Q_EMIT issued(false, tr("Đã huỷ: có thể cá nhân hoá lại chính thẻ này"), {}, {});
    } catch (const session::CardRemovedError&) {
        Q_EMIT issued(false, tr("Thẻ đã bị nhấc ra: đặt lại thẻ và bấm Cá nhân hoá lần nữa"), {}, {});
    } catch (const ServerRefusal& e) {
        Q_EMIT issued(false, tr("Máy chủ từ chối: %1").arg(q(e.what())), {}, {});
        if (e.needs_login()) Q_EMIT sessionExpired();
    } catch (const std::exception& e) {
        recent_errors_ << q(e.what());
        Q_EMIT issued(false, tr("Không cá nhân hoá được: %1").arg(q(e.what())), {}, {});
    }
}

void StationWorker::diagnose() {
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
            } catch (const std::exception&) {
                line += tr(" — không có thẻ");
            }
            lines << line;
        }
    } catch (const std::exception& e) {
        lines << tr("Dịch vụ PC/SC (pcscd): không kết nối được (%1)").arg(q(e.what()));
    }
    lines << tr("Máy chủ: %1").arg(q(config_.server));
    lines << tr("Lỗi gần đây:");
    for (const auto& error : recent_errors_.mid(std::max<qsizetype>(0, recent_errors_.size() - 10))) lines << "  " + error;
    Q_EMIT diagnostics(lines.join('\n'));
}

void StationWorker::search(const QString& text) {
    const QString query = text.trimmed();
    try {
        if (!client_) throw InvalidArgument("đăng nhập trước khi tra cứu");
        std::vector<CitizenFound> citizens;
        const bool id = query.size() == 12 && std::all_of(query.begin(), query.end(), [](QChar c) { return c.isDigit(); });
        if (id) {
            if (auto one = client_->find_citizen(query.toStdString())) citizens.push_back(std::move(*one));
        } else {
            if (query.size() < 2) throw InvalidArgument("nhập số định danh 12 số, hoặc ít nhất 2 chữ của họ tên");
            citizens = client_->search_citizens(query.toStdString());
        }
        QList<FoundCitizen> rows;
        for (auto& c : citizens) {
            rows.push_back({q(c.record.person.personal_id), q(c.record.person.full_name), q(c.record.date_of_birth), q(c.status),
                            std::move(c.record)});
        }
        Q_EMIT found(rows, rows.isEmpty() ? tr("Không có công dân nào khớp trong cơ sở dữ liệu dân cư")
                                          : tr("Tìm thấy %1 công dân").arg(rows.size()));
    } catch (const ServerRefusal& e) {
        Q_EMIT found({}, tr("Máy chủ từ chối: %1").arg(q(e.what())));
        if (e.needs_login()) Q_EMIT sessionExpired();
    } catch (const std::exception& e) {
        recent_errors_ << q(e.what());
        Q_EMIT found({}, tr("Không tra cứu được: %1").arg(q(e.what())));
    }
}

void StationWorker::verify_card(const QString& reader_name, const QString& can) {
    try {
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
        QStringList checks;
        for (const auto& c : read.checks)
            checks << q(std::string(pa::verdict_name(c.verdict)) + "  " + c.name + (c.verdict == pa::Verdict::Pass ? "" : ": " + c.reason));
        const bool passed = read.overall == pa::Verdict::Pass;
        const bool unchecked = std::any_of(read.checks.begin(), read.checks.end(),
                                           [](const pa::Check& c) { return c.verdict == pa::Verdict::NotChecked; });
        Q_EMIT verified(passed,
                        !passed     ? tr("THẺ KHÔNG HỢP LỆ: xem các kiểm tra không đạt")
                        : unchecked ? tr("Thẻ hợp lệ; có mục chưa kiểm tra được (xem danh sách)")
                                    : tr("Thẻ hợp lệ: mọi kiểm tra đều đạt"),
                        checks);
    } catch (const session::AccessDeniedError&) {
        Q_EMIT verified(false, tr("Số CAN không đúng"), {});
    } catch (const session::CardRemovedError&) {
        Q_EMIT verified(false, tr("Thẻ đã bị nhấc ra: đặt lại thẻ và kiểm tra lại"), {});
    } catch (const std::exception& e) {
        recent_errors_ << q(e.what());
        Q_EMIT verified(false, tr("Không kiểm tra được thẻ: %1").arg(q(e.what())), {});
    }
}

}  // namespace cccd::station
