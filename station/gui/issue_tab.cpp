#include "station/gui/issue_tab.hpp"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QListWidget>
#include <QProgressBar>

#include <type_traits>
#include <variant>

#include "station/gui/card_face.hpp"
#include "station/gui/widgets.hpp"

namespace cccd::station {

IssueTab::IssueTab(StationWorker* worker, const StationConfig& config,
                   std::function<std::optional<identity::EnrollmentRecord>()> record_on_form)
    : worker_(worker),
      configured_reader_(config.reader),
      card_faces_dir_(config.card_faces_dir),
      record_on_form_(std::move(record_on_form)) {
    auto* form = new QFormLayout(this);
    reader_ = new QComboBox;
    reader_->setObjectName("reader");
    reader_state_ = label("reader_state");
    connect(reader_, &QComboBox::currentTextChanged, this, [this] { show_reader_state(); });
    personal_id_ = line("issue_personal_id", tr("số định danh của hồ sơ đã gửi"));
    transport_keys_ = label("transport_keys");
    auto* import_batch = button("import_batch", tr("Nhập lô thẻ trắng…"));
    personalize_ = button("personalize", tr("Cá nhân hoá thẻ"));
    cancel_ = button("cancel", tr("Huỷ"));
    cancel_->setEnabled(false);
    progress_ = new QProgressBar;
    progress_->setObjectName("progress");
    progress_->setRange(0, 8);
    progress_->setValue(0);
    step_ = label("step");
    checks_ = new QListWidget;
    checks_->setObjectName("checks");
    status_ = label("issue_status");
    auto* pdf = button("card_face_pdf", tr("Xuất mặt thẻ (PDF)"));
    auto* actions = new QHBoxLayout;
    actions->addWidget(personalize_);
    actions->addWidget(cancel_);
    form->addRow(tr("Đầu đọc"), reader_);
    form->addRow(reader_state_);
    form->addRow(tr("Số định danh"), personal_id_);
    auto* keys_row = new QHBoxLayout;
    keys_row->addWidget(transport_keys_, 1);
    keys_row->addWidget(import_batch);
    form->addRow(tr("Thẻ trắng"), keys_row);
    form->addRow(actions);
    form->addRow(progress_);
    form->addRow(step_);
    form->addRow(tr("Kết quả kiểm tra"), checks_);
    form->addRow(status_);
    auto* verify_row = new QHBoxLayout;
    verify_can_ = line("verify_can", tr("CAN (6 số)"));
    auto* verify = button("verify_card", tr("Kiểm tra thẻ"));
    verify_row->addWidget(verify_can_, 1);
    verify_row->addWidget(verify);
    form->addRow(tr("Kiểm tra một thẻ"), verify_row);
    connect(verify, &QPushButton::clicked, this, [this] {
        status_->setText(tr("Đang đọc và kiểm tra thẻ…"));
        checks_->clear();
        const QString reader = reader_->currentText(), can = verify_can_->text().trimmed();
        on_worker_thread(worker_, [reader, can](StationWorker& w) { w.verify_card(reader, can); });
    });
    auto* pdf_row = new QHBoxLayout;
    pdf_row->addWidget(pdf);
    form->addRow(pdf_row);
    connect(personalize_, &QPushButton::clicked, this, [this] {
        personalize_->setEnabled(false);
        cancel_->setEnabled(true);
        checks_->clear();
        progress_->setValue(0);
        status_->setText(tr("Đang cá nhân hoá — không nhấc thẻ ra"));
        const QString id = personal_id_->text().trimmed(), reader = reader_->currentText();
        on_worker_thread(worker_, [id, reader](StationWorker& w) { w.issue(id, reader); });
    });
    connect(import_batch, &QPushButton::clicked, this, &IssueTab::import_batch);
    connect(worker_, &StationWorker::transportKeys, this, [this](int held, const QString& words) {
        const QString count = held == 0 ? tr("Chưa có khoá của thẻ trắng nào: nhập bảng kê của lô thẻ")
                                        : tr("Đang giữ khoá vận chuyển của %1 thẻ trắng").arg(held);
        transport_keys_->setText(words.isEmpty() ? count : words + "\n" + count);
    });
    connect(cancel_, &QPushButton::clicked, this, [this] { worker_->cancel(); });
    connect(pdf, &QPushButton::clicked, this, &IssueTab::write_card_face);

    connect(worker_, &StationWorker::step, this, [this](int number, int total, const QString& name) {
        progress_->setMaximum(total);
        progress_->setValue(number);
        step_->setText(tr("Bước %1/%2: %3").arg(number).arg(total).arg(name));
    });
    connect(worker_, &StationWorker::issued, this,
            [this](bool ok, const QString& summary, const QList<VerdictLine>& checks, const QString& card_number) {
                personalize_->setEnabled(true);
                cancel_->setEnabled(false);
                status_->setText(summary);
                show_verdicts(checks_, checks);
                if (ok) {
                    progress_->setValue(progress_->maximum());
                    last_card_number_ = card_number;
                }
            });
    connect(worker_, &StationWorker::verified, this, [this](bool, const QString& summary, const QList<VerdictLine>& checks) {
        status_->setText(summary);
        show_verdicts(checks_, checks);
    });
    connect(worker_, &StationWorker::problem, status_, &QLabel::setText);

    // Reader hotplug: the monitor's thread watches pcscd (readers and cards coming and going, pcscd
    // restarting) and hands each event to the GUI thread.
    monitor_ = std::make_unique<reader::ReaderMonitor>([this](const reader::ReaderEvent& event) {
        QMetaObject::invokeMethod(this, [this, event] { on_reader_event(event); }, Qt::QueuedConnection);
    });
    monitor_->start();
}

IssueTab::~IssueTab() {
    monitor_->stop();  // its callback points at this tab
}

void IssueTab::set_personal_id(const QString& personal_id) { personal_id_->setText(personal_id); }

void IssueTab::on_reader_event(const reader::ReaderEvent& event) {
    std::visit(
        [this](const auto& e) {
            using Event = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<Event, reader::ReaderAdded>) {
                const QString name = QString::fromStdString(e.reader);
                if (reader_->findText(name) < 0) reader_->addItem(name);
                if (name == QString::fromStdString(configured_reader_)) reader_->setCurrentText(name);
                card_in_reader_.emplace(name, false);
            } else if constexpr (std::is_same_v<Event, reader::ReaderRemoved>) {
                const QString name = QString::fromStdString(e.reader);
                if (const int i = reader_->findText(name); i >= 0) reader_->removeItem(i);
                card_in_reader_.erase(name);
            } else if constexpr (std::is_same_v<Event, reader::CardInserted>) {
                card_in_reader_[QString::fromStdString(e.reader)] = true;
            } else if constexpr (std::is_same_v<Event, reader::CardRemoved>) {
                card_in_reader_[QString::fromStdString(e.reader)] = false;
            } else if constexpr (std::is_same_v<Event, reader::ServiceLost>) {
                // The reader layer's reason is English: for the Chẩn đoán tab's support bundle, not for this line.
                service_problem_ = tr("Dịch vụ PC/SC (pcscd) không chạy: xem mục Chẩn đoán");
            } else if constexpr (std::is_same_v<Event, reader::ServiceRestored>) {
                service_problem_.clear();
            }
        },
        event);
    show_reader_state();
}

void IssueTab::show_reader_state() {
    if (!service_problem_.isEmpty()) {
        reader_state_->setText(service_problem_);
        return;
    }
    if (reader_->count() == 0) {
        reader_state_->setText(tr("Chưa có đầu đọc nào"));
        return;
    }
    const auto found = card_in_reader_.find(reader_->currentText());
    reader_state_->setText(found != card_in_reader_.end() && found->second ? tr("Có thẻ trên đầu đọc") : tr("Chưa có thẻ trên đầu đọc"));
}

void IssueTab::import_batch() {
    const QString manifest = QFileDialog::getOpenFileName(this, tr("Bảng kê khoá vận chuyển của lô thẻ trắng"), QDir::homePath(),
                                                          tr("Bảng kê lô thẻ (*.txt *.keys);;Mọi tệp (*)"));
    if (manifest.isEmpty()) return;
    on_worker_thread(worker_, [manifest](StationWorker& w) { w.import_transport_keys(manifest); });
}

void IssueTab::write_card_face() {
    try {
        std::optional<identity::EnrollmentRecord> record = record_on_form_();
        if (!record) {
            status_->setText(tr("Chưa có hồ sơ để in mặt thẻ"));
            return;
        }
        if (!last_card_number_.isEmpty()) record->person.card_serial = last_card_number_.toStdString();
        // Where the card printer's queue picks it up (station.json card_faces_dir): nothing to type.
        const QString dir = QString::fromStdString(card_faces_dir_.string());
        QDir().mkpath(dir);
        const QString path = dir + "/the-" + QString::fromStdString(record->person.card_serial.value_or("chua-cap")) + ".pdf";
        write_card_face_pdf(*record, path);
        status_->setText(tr("Đã xuất mặt thẻ: %1").arg(path));
    } catch (const Error& e) {
        status_->setText(tr("Không xuất được mặt thẻ: %1").arg(QString::fromStdString(e.what())));
    }
}

}  // namespace cccd::station
