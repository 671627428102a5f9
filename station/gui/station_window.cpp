#include "station/gui/station_window.hpp"

#include <QApplication>
#include <QBuffer>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPixmap>
#include <QRegularExpression>
#include <QPushButton>
#include <QShortcut>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <tuple>
#include <type_traits>
#include <variant>

#include <boost/json.hpp>

#include "base/error.hpp"
#include "card/records/record_json.hpp"
#include "identity/id_number.hpp"
#include "station/gui/camera_dialog.hpp"
#include "station/gui/card_face.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

namespace {

// The ICAO portrait: 35 x 45 mm; stored at 300 x 386 and at most 20 KB, as the card holds it.
constexpr int kPhotoWidth = 300, kPhotoHeight = 386, kMinSourceWidth = 240, kMaxJpegBytes = 20 * 1024;

QLineEdit* line(const QString& name, const QString& placeholder = {}) {
    auto* edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    return edit;
}

QPushButton* button(const QString& name, const QString& text) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    return b;
}

QLabel* label(const QString& name) {
    auto* l = new QLabel;
    l->setObjectName(name);
    l->setWordWrap(true);
    return l;
}

}  // namespace

template <typename Work>
void StationWindow::on_worker(Work&& work) {
    QMetaObject::invokeMethod(worker_, std::forward<Work>(work), Qt::QueuedConnection);
}

StationWindow::StationWindow(StationConfig config, std::chrono::seconds idle_lock) : config_(std::move(config)) {
    setObjectName("station_window");
    setWindowTitle(tr("Trạm cấp Căn cước công dân gắn chip"));
    worker_ = new StationWorker(config_);
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();

    pages_ = new QStackedWidget;
    pages_->addWidget(make_login_page());
    auto* work = new QWidget;
    auto* layout = new QVBoxLayout(work);
    session_label_ = label("session");
    auto* logout = button("logout", tr("Đăng xuất"));
    auto* top = new QHBoxLayout;
    top->addWidget(session_label_, 1);
    top->addWidget(logout);
    layout->addLayout(top);
    tabs_ = new QTabWidget;
    tabs_->setObjectName("tabs");
    tabs_->addTab(make_enroll_tab(), tr("Thu nhận hồ sơ"));
    tabs_->addTab(make_queue_tab(), tr("Hàng đợi"));
    tabs_->addTab(make_issue_tab(), tr("Cá nhân hoá thẻ"));
    tabs_->addTab(make_diagnostics_tab(), tr("Chẩn đoán"));
    approvals_tab_ = tabs_->addTab(make_approvals_tab(), tr("Phê duyệt"));
    tabs_->setTabVisible(approvals_tab_, false);  // until a supervisor or an administrator logs in
    layout->addWidget(tabs_);
    pages_->addWidget(work);
    setCentralWidget(pages_);
    resize(980, 720);
    connect(logout, &QPushButton::clicked, this, [this] { lock(tr("Đã đăng xuất")); });

    connect(worker_, &StationWorker::loggedIn, this, [this](const QString& officer, const QString& role, const QString& station) {
        session_label_->setText(tr("Cán bộ %1 (%2) — trạm %3").arg(officer, role, station));
        password_->clear();
        login_status_->clear();
        pages_->setCurrentIndex(1);
        idle_timer_.start();
        // A second person's approval of identity changes: the server's rule, the tab only for those it allows.
        const bool decides = role == "supervisor" || role == "administrator";
        tabs_->setTabVisible(approvals_tab_, decides);
        if (decides) on_worker([w = worker_] { w->list_approvals(); });
    });
    connect(worker_, &StationWorker::loginFailed, this, [this](const QString& why) { login_status_->setText(why); });
    connect(worker_, &StationWorker::sessionExpired, this,
            [this] { lock(tr("Phiên đăng nhập đã hết hạn: đăng nhập lại (hồ sơ đang chờ vẫn được giữ)")); });
    connect(worker_, &StationWorker::enrolled, this, [this](const QString& message) { enroll_status_->setText(message); });
    connect(worker_, &StationWorker::problem, this, [this](const QString& words) {
        enroll_status_->setText(words);
        issue_status_->setText(words);
    });
    connect(worker_, &StationWorker::deliveryDone, this, [this](const QString& summary) {
        delivery_status_->setText(summary);
        enroll_status_->setText(enroll_status_->text() + "\n" + summary);
    });
    connect(worker_, &StationWorker::queueChanged, this, [this](const QList<QueueRow>& rows) {
        queue_table_->setRowCount(static_cast<int>(rows.size()));
        for (int r = 0; r < rows.size(); ++r) {
            const QueueRow& row = rows[r];
            const QStringList cells{row.id, row.personal_id, row.state, row.queued_at, row.card_number, row.note};
            for (int c = 0; c < cells.size(); ++c) queue_table_->setItem(r, c, new QTableWidgetItem(cells[c]));
        }
    });
    connect(worker_, &StationWorker::step, this, [this](int number, int total, const QString& name) {
        progress_->setMaximum(total);
        progress_->setValue(number);
        step_->setText(tr("Bước %1/%2: %3").arg(number).arg(total).arg(name));
    });
    connect(worker_, &StationWorker::issued, this,
            [this](bool ok, const QString& summary, const QStringList& checks, const QString& card_number) {
                personalize_->setEnabled(true);
                cancel_->setEnabled(false);
                issue_status_->setText(summary);
                checks_->clear();
                checks_->addItems(checks);
                if (ok) {
                    progress_->setValue(progress_->maximum());
                    last_card_number_ = card_number;
                }
            });
    connect(worker_, &StationWorker::diagnostics, this, [this](const QString& text) { diagnostics_->setPlainText(text); });
    connect(worker_, &StationWorker::found, this, [this](const QList<FoundCitizen>& citizens, const QString& words) {
        found_ = citizens;
        search_results_->clear();
        for (const auto& c : citizens)
            search_results_->addItem(c.personal_id + "  " + c.full_name + "  " + c.date_of_birth + "  (" + c.status + ")");
        if (!citizens.isEmpty()) search_results_->setCurrentRow(0);
        enroll_status_->setText(words);
    });
    connect(worker_, &StationWorker::approvalsListed, this, &StationWindow::show_approvals);
    connect(worker_, &StationWorker::decided, this, [this](bool done, const QString& words) {
        deciding_ = false;
        decision_status_->setText(words);
        if (done) reject_reason_->clear();
    });
    connect(worker_, &StationWorker::verified, this, [this](bool, const QString& summary, const QStringList& checks) {
        issue_status_->setText(summary);
        checks_->clear();
        checks_->addItems(checks);
    });

    // Session timeout: an unattended desk locks itself.
    idle_timer_.setInterval(static_cast<int>(idle_lock.count() * 1000));
    idle_timer_.setSingleShot(true);
    connect(&idle_timer_, &QTimer::timeout, this, [this] { lock(tr("Màn hình đã khoá sau thời gian không sử dụng")); });
    qApp->installEventFilter(this);

    // Reader hotplug: the monitor's thread watches pcscd (readers and cards coming and going, pcscd
    // restarting) and hands each event to the GUI thread.
    monitor_ = std::make_unique<reader::ReaderMonitor>([this](const reader::ReaderEvent& event) {
        QMetaObject::invokeMethod(this, [this, event] { on_reader_event(event); }, Qt::QueuedConnection);
    });
    monitor_->start();
    on_worker([w = worker_] { w->open_queue(); });
}

StationWindow::~StationWindow() {
    monitor_->stop();  // its callback points at this window
    worker_->cancel();
    thread_.quit();
    thread_.wait();
}

bool StationWindow::eventFilter(QObject* watched, QEvent* event) {
    if (idle_timer_.isActive() && (event->type() == QEvent::KeyPress || event->type() == QEvent::MouseButtonPress))
        idle_timer_.start();
    return QMainWindow::eventFilter(watched, event);
}

void StationWindow::on_reader_event(const reader::ReaderEvent& event) {
    std::visit(
        [this](const auto& e) {
            using Event = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<Event, reader::ReaderAdded>) {
                const QString name = QString::fromStdString(e.reader);
                if (reader_->findText(name) < 0) reader_->addItem(name);
                if (name == QString::fromStdString(config_.reader)) reader_->setCurrentText(name);
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
                service_problem_ = tr("Dịch vụ PC/SC (pcscd) không chạy: %1").arg(QString::fromStdString(e.why));
            } else if constexpr (std::is_same_v<Event, reader::ServiceRestored>) {
                service_problem_.clear();
            }
        },
        event);
    show_reader_state();
}

void StationWindow::show_reader_state() {
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

void StationWindow::lock(const QString& why) {
    idle_timer_.stop();
    on_worker([w = worker_] { w->logout(); });
    login_status_->setText(why);
    if (tabs_->currentIndex() == approvals_tab_) tabs_->setCurrentIndex(0);
    tabs_->setTabVisible(approvals_tab_, false);
    show_approvals({}, {});
    approvals_status_->clear();
    decision_status_->clear();
    pages_->setCurrentIndex(0);
    password_->setFocus();
}

QWidget* StationWindow::make_login_page() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    officer_ = line("officer", tr("tên đăng nhập"));
    password_ = line("password");
    password_->setEchoMode(QLineEdit::Password);
    auto* login = button("login", tr("Đăng nhập"));
    login_status_ = label("login_status");
    form->addRow(new QLabel(tr("<h2>Đăng nhập cán bộ</h2>")));
    form->addRow(tr("Cán bộ"), officer_);
    form->addRow(tr("Mật khẩu"), password_);
    form->addRow(login);
    form->addRow(login_status_);
    auto go = [this] {
        login_status_->setText(tr("Đang đăng nhập…"));
        const QString officer = officer_->text(), password = password_->text();
        on_worker([w = worker_, officer, password] { w->login(officer, password); });
    };
    connect(login, &QPushButton::clicked, this, go);
    connect(password_, &QLineEdit::returnPressed, this, go);
    return page;
}

QWidget* StationWindow::make_enroll_tab() {
    auto* page = new QWidget;
    auto* columns = new QHBoxLayout(page);
    auto* form = new QFormLayout;
    auto* search_row = new QHBoxLayout;
    search_ = line("search", tr("số định danh hoặc họ tên"));
    auto* search_button = button("search_button", tr("Tra cứu"));
    auto* use_result = button("use_result", tr("Dùng hồ sơ đã chọn"));
    search_row->addWidget(search_, 1);
    search_row->addWidget(search_button);
    search_row->addWidget(use_result);
    form->addRow(tr("Tra cứu dân cư"), search_row);
    search_results_ = new QListWidget;
    search_results_->setObjectName("search_results");
    search_results_->setMaximumHeight(90);
    form->addRow(search_results_);
    auto run_search = [this] {
        const QString text = search_->text();
        on_worker([w = worker_, text] { w->search(text); });
    };
    connect(search_button, &QPushButton::clicked, this, run_search);
    connect(search_, &QLineEdit::returnPressed, this, run_search);
    connect(use_result, &QPushButton::clicked, this, [this] {
        const int row = std::max(0, search_results_->currentRow());
        if (row < found_.size()) fill_form(found_[row].record);
    });
    const std::vector<std::pair<std::string, QString>> text_fields{
        {"personal_id", tr("Số định danh (12 số)")},        {"full_name", tr("Họ, chữ đệm và tên")},
        {"date_of_birth", tr("Ngày sinh (YYYY-MM-DD)")},    {"date_of_issue", tr("Ngày cấp (YYYY-MM-DD)")},
        {"date_of_expiry", tr("Có giá trị đến (YYYY-MM-DD hoặc none)")},
        {"ethnicity", tr("Dân tộc")},                        {"religion", tr("Tôn giáo")},
        {"place_of_origin", tr("Quê quán")},                 {"place_of_residence", tr("Nơi thường trú")},
        {"identifying_features", tr("Đặc điểm nhận dạng")}, {"father_name", tr("Họ tên cha")},
        {"mother_name", tr("Họ tên mẹ")}};
    for (const auto& [key, caption] : text_fields) {
        QLineEdit* edit = line(QString::fromStdString(key));
        edit->setAccessibleName(caption);
        fields_[key] = edit;
        form->addRow(caption, edit);
        if (key == "full_name") {
            sex_ = new QComboBox;
            sex_->setObjectName("sex");
            sex_->addItem(tr("Nữ (F)"), "F");
            sex_->addItem(tr("Nam (M)"), "M");
            form->addRow(tr("Giới tính"), sex_);
        }
    }
    auto* photo_row = new QHBoxLayout;
    photo_path_ = line("photo_path", tr("ảnh chân dung JPEG/PNG"));
    auto* choose = button("choose_photo", tr("Chọn ảnh…"));
    auto* load = button("load_photo", tr("Nạp ảnh"));
    auto* camera = button("take_photo", tr("Chụp ảnh…"));
    photo_row->addWidget(photo_path_, 1);
    photo_row->addWidget(choose);
    photo_row->addWidget(load);
    photo_row->addWidget(camera);
    form->addRow(tr("Ảnh"), photo_row);
    auto* submit = button("enroll", tr("Lưu và gửi hồ sơ"));
    enroll_status_ = label("enroll_status");
    form->addRow(submit);
    form->addRow(enroll_status_);
    columns->addLayout(form, 1);
    photo_preview_ = label("photo_preview");
    photo_preview_->setFixedSize(kPhotoWidth / 2 + 10, kPhotoHeight / 2 + 10);
    photo_preview_->setFrameShape(QFrame::Box);
    columns->addWidget(photo_preview_, 0, Qt::AlignTop);
    connect(choose, &QPushButton::clicked, this, &StationWindow::choose_photo);
    connect(load, &QPushButton::clicked, this, [this] { load_photo(photo_path_->text()); });
    connect(camera, &QPushButton::clicked, this, &StationWindow::take_photo);
    connect(submit, &QPushButton::clicked, this, &StationWindow::submit_enrollment);
    return page;
}

void StationWindow::choose_photo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Ảnh chân dung"), {}, tr("Ảnh (*.jpg *.jpeg *.png)"));
    if (!path.isEmpty()) {
        photo_path_->setText(path);
        load_photo(path);
    }
}

bool StationWindow::load_photo(const QString& path) {
    QImage image(path);
    if (image.isNull()) {
        enroll_status_->setText(tr("Không đọc được ảnh %1").arg(path));
        return false;
    }
    return use_photo(image);
}

void StationWindow::take_photo() {
    QString why_not;
    const QImage image = capture_portrait(this, why_not);
    if (image.isNull()) {
        enroll_status_->setText(why_not);
        return;
    }
    photo_path_->setText(tr("(ảnh chụp từ camera)"));
    use_photo(image);
}

// Crops the centre to the portrait ratio, scales it, and re-encodes it until it fits on the card.
bool StationWindow::use_photo(const QImage& image) {
    if (image.width() < kMinSourceWidth || image.height() < kMinSourceWidth * kPhotoHeight / kPhotoWidth) {
        enroll_status_->setText(tr("Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh")
                                    .arg(image.width())
                                    .arg(image.height())
                                    .arg(kMinSourceWidth)
                                    .arg(kMinSourceWidth * kPhotoHeight / kPhotoWidth));
        return false;
    }
    const double ratio = static_cast<double>(kPhotoWidth) / kPhotoHeight;
    QRect crop = image.rect();
    if (static_cast<double>(image.width()) / image.height() > ratio) {
        const int w = static_cast<int>(image.height() * ratio);
        crop = QRect((image.width() - w) / 2, 0, w, image.height());
    } else {
        const int h = static_cast<int>(image.width() / ratio);
        crop = QRect(0, (image.height() - h) / 2, image.width(), h);
    }
    const QImage portrait = image.copy(crop).scaled(kPhotoWidth, kPhotoHeight, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    QByteArray jpeg;
    for (int quality = 85; quality >= 20; quality -= 5) {
        jpeg.clear();
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        portrait.save(&buffer, "JPEG", quality);
        if (jpeg.size() <= kMaxJpegBytes) break;
    }
    if (jpeg.size() > kMaxJpegBytes) {
        enroll_status_->setText(tr("Ảnh vẫn lớn hơn 20 KB sau khi nén: chọn ảnh khác"));
        return false;
    }
    photo_jpeg_ = jpeg;
    photo_preview_->setPixmap(QPixmap::fromImage(portrait.scaled(kPhotoWidth / 2, kPhotoHeight / 2)));
    enroll_status_->setText(tr("Ảnh đã cắt theo tỉ lệ chân dung: %1 byte").arg(jpeg.size()));
    return true;
}

// The register's record in the form: the officer checks it with the citizen and corrects what changed.
void StationWindow::fill_form(const perso::EnrollmentRecord& record) {
    const boost::json::value v = boost::json::parse(records::to_json(record));
    for (const auto& [key, edit] : fields_) {
        const auto* field = v.as_object().if_contains(key);
        edit->setText(field != nullptr && field->is_string() ? QString::fromStdString(std::string(field->as_string().c_str())) : QString());
    }
    if (const int i = sex_->findData(QString(QChar(record.sex))); i >= 0) sex_->setCurrentIndex(i);
    enroll_status_->setText(tr("Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân, thêm ảnh"));
}

// What is wrong with the form, in the officer's words; empty when it can be queued.
QStringList StationWindow::form_problems() const {
    QStringList problems;
    const auto text = [this](const char* key) { return fields_.at(key)->text().trimmed(); };
    const QString id = text("personal_id"), birth = text("date_of_birth"), expiry = text("date_of_expiry");
    const QRegularExpression iso_date("^\\d{4}-\\d{2}-\\d{2}$");
    if (!QRegularExpression("^\\d{12}$").match(id).hasMatch()) problems << tr("Số định danh phải có đúng 12 chữ số");
    for (const char* required : {"full_name", "date_of_issue", "place_of_origin", "place_of_residence"})
        if (text(required).isEmpty()) problems << tr("Chưa nhập: %1").arg(fields_.at(required)->accessibleName());
    if (!iso_date.match(birth).hasMatch()) problems << tr("Ngày sinh phải có dạng YYYY-MM-DD");
    if (!iso_date.match(text("date_of_issue")).hasMatch()) problems << tr("Ngày cấp phải có dạng YYYY-MM-DD");
    if (expiry != "none" && !iso_date.match(expiry).hasMatch()) problems << tr("Ngày hết hạn phải có dạng YYYY-MM-DD hoặc none");
    const char sex = sex_->currentData().toString().toStdString().front();
    if (problems.isEmpty() && !identity::id_number_agrees(id.toStdString(), sex, birth.toStdString()))
        problems << tr("Số định danh không khớp với mã tỉnh, thế kỷ và giới tính, hoặc năm sinh của công dân");
    if (photo_jpeg_.isEmpty()) problems << tr("Chưa có ảnh chân dung");
    return problems;
}

void StationWindow::submit_enrollment() {
    if (photo_jpeg_.isEmpty() && !photo_path_->text().isEmpty()) load_photo(photo_path_->text());
    if (const QStringList problems = form_problems(); !problems.isEmpty()) {
        enroll_status_->setText(tr("Hồ sơ chưa hợp lệ:") + "\n• " + problems.join("\n• "));
        return;
    }
    if (photo_jpeg_.isEmpty()) {
        enroll_status_->setText(tr("Chưa có ảnh chân dung"));
        return;
    }
    boost::json::object o;
    for (const auto& [key, edit] : fields_) o[key] = edit->text().trimmed().toStdString();
    o["sex"] = sex_->currentData().toString().toStdString();
    perso::EnrollmentRecord record;
    try {
        record = records::parse_enrollment_record(boost::json::serialize(o));
        record.photo_jpeg.assign(photo_jpeg_.begin(), photo_jpeg_.end());
        perso::validate(record);
    } catch (const std::exception& e) {
        enroll_status_->setText(tr("Hồ sơ chưa hợp lệ: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    enroll_status_->setText(tr("Đang lưu hồ sơ…"));
    issue_id_->setText(QString::fromStdString(record.person.personal_id));
    on_worker([w = worker_, record] { w->enroll(record); });
}

QWidget* StationWindow::make_queue_tab() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    queue_table_ = new QTableWidget(0, 6);
    queue_table_->setObjectName("queue_table");
    queue_table_->setHorizontalHeaderLabels(
        {tr("Số"), tr("Số định danh"), tr("Trạng thái"), tr("Thời điểm"), tr("Số thẻ"), tr("Ghi chú")});
    queue_table_->horizontalHeader()->setStretchLastSection(true);
    queue_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* deliver = button("deliver", tr("Gửi hồ sơ đang chờ"));
    delivery_status_ = label("delivery_status");
    layout->addWidget(queue_table_);
    layout->addWidget(deliver);
    layout->addWidget(delivery_status_);
    connect(deliver, &QPushButton::clicked, this, [this] { on_worker([w = worker_] { w->deliver(); }); });
    return page;
}

QWidget* StationWindow::make_issue_tab() {
    auto* page = new QWidget;
    auto* form = new QFormLayout(page);
    reader_ = new QComboBox;
    reader_->setObjectName("reader");
    reader_state_ = label("reader_state");
    connect(reader_, &QComboBox::currentTextChanged, this, [this] { show_reader_state(); });
    issue_id_ = line("issue_personal_id", tr("số định danh của hồ sơ đã gửi"));
    transport_key_ = line("transport_key", tr("tệp khoá vận chuyển của thẻ trắng"));
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
    issue_status_ = label("issue_status");
    pdf_path_ = line("pdf_path", tr("tệp PDF mặt thẻ cho máy in thẻ"));
    auto* pdf = button("card_face_pdf", tr("Xuất mặt thẻ (PDF)"));
    auto* actions = new QHBoxLayout;
    actions->addWidget(personalize_);
    actions->addWidget(cancel_);
    form->addRow(tr("Đầu đọc"), reader_);
    form->addRow(reader_state_);
    form->addRow(tr("Số định danh"), issue_id_);
    form->addRow(tr("Khoá vận chuyển"), transport_key_);
    form->addRow(actions);
    form->addRow(progress_);
    form->addRow(step_);
    form->addRow(tr("Kết quả kiểm tra"), checks_);
    form->addRow(issue_status_);
    auto* verify_row = new QHBoxLayout;
    verify_can_ = line("verify_can", tr("CAN (6 số)"));
    auto* verify = button("verify_card", tr("Kiểm tra thẻ"));
    verify_row->addWidget(verify_can_, 1);
    verify_row->addWidget(verify);
    form->addRow(tr("Kiểm tra một thẻ"), verify_row);
    connect(verify, &QPushButton::clicked, this, [this] {
        issue_status_->setText(tr("Đang đọc và kiểm tra thẻ…"));
        checks_->clear();
        const QString reader = reader_->currentText(), can = verify_can_->text().trimmed();
        on_worker([w = worker_, reader, can] { w->verify_card(reader, can); });
    });
    auto* pdf_row = new QHBoxLayout;
    pdf_row->addWidget(pdf_path_, 1);
    pdf_row->addWidget(pdf);
    form->addRow(pdf_row);
    connect(personalize_, &QPushButton::clicked, this, [this] {
        personalize_->setEnabled(false);
        cancel_->setEnabled(true);
        checks_->clear();
        progress_->setValue(0);
        issue_status_->setText(tr("Đang cá nhân hoá — không nhấc thẻ ra"));
        const QString id = issue_id_->text().trimmed(), key = transport_key_->text().trimmed(), reader = reader_->currentText();
        on_worker([w = worker_, id, key, reader] { w->issue(id, key, reader); });
    });
    connect(cancel_, &QPushButton::clicked, this, [this] { worker_->cancel(); });
    connect(pdf, &QPushButton::clicked, this, &StationWindow::write_card_face);
    return page;
}

void StationWindow::write_card_face() {
    if (photo_jpeg_.isEmpty()) {
        issue_status_->setText(tr("Chưa có hồ sơ để in mặt thẻ"));
        return;
    }
    boost::json::object o;
    for (const auto& [key, edit] : fields_) o[key] = edit->text().trimmed().toStdString();
    o["sex"] = sex_->currentData().toString().toStdString();
    try {
        perso::EnrollmentRecord record = records::parse_enrollment_record(boost::json::serialize(o));
        record.photo_jpeg.assign(photo_jpeg_.begin(), photo_jpeg_.end());
        if (!last_card_number_.isEmpty()) record.person.card_serial = last_card_number_.toStdString();
        const QString path = pdf_path_->text().isEmpty() ? QDir::homePath() + "/the-cccd.pdf" : pdf_path_->text();
        write_card_face_pdf(record, path);
        issue_status_->setText(tr("Đã xuất mặt thẻ: %1").arg(path));
    } catch (const std::exception& e) {
        issue_status_->setText(tr("Không xuất được mặt thẻ: %1").arg(QString::fromStdString(e.what())));
    }
}

QWidget* StationWindow::make_diagnostics_tab() {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    diagnostics_ = new QPlainTextEdit;
    diagnostics_->setObjectName("diagnostics");
    diagnostics_->setReadOnly(true);
    auto* refresh = button("refresh_diagnostics", tr("Kiểm tra lại"));
    auto* bundle = button("export_bundle", tr("Xuất gói hỗ trợ"));
    auto* row = new QHBoxLayout;
    row->addWidget(refresh);
    row->addWidget(bundle);
    layout->addWidget(diagnostics_);
    layout->addLayout(row);
    connect(refresh, &QPushButton::clicked, this, [this] { on_worker([w = worker_] { w->diagnose(); }); });
    connect(bundle, &QPushButton::clicked, this, &StationWindow::export_support_bundle);
    return page;
}

// The identity changes waiting for a second person: the list, and for the selected one each change's
// register value beside the submitted value (the two photos side by side), approve or reject with a
// reason. Keyboard: arrows in the list, Tab to the reason and the buttons, Alt+P / Alt+T, F5 to refresh.
QWidget* StationWindow::make_approvals_tab() {
    auto* page = new QWidget;
    page->setObjectName("approvals_tab");
    auto* layout = new QVBoxLayout(page);
    approvals_table_ = new QTableWidget(0, 5);
    approvals_table_->setObjectName("approvals_table");
    approvals_table_->setHorizontalHeaderLabels(
        {tr("Số định danh"), tr("Cán bộ gửi"), tr("Trạm"), tr("Thời điểm"), tr("Thông tin thay đổi")});
    approvals_table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    approvals_table_->horizontalHeader()->setStretchLastSection(true);
    approvals_table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    approvals_table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    approvals_table_->setSelectionMode(QAbstractItemView::SingleSelection);
    approvals_table_->setTabKeyNavigation(false);  // Tab leaves the list for the details and the buttons
    approvals_table_->setAccessibleName(tr("Hồ sơ chờ phê duyệt"));
    approvals_table_->setMaximumHeight(170);
    auto* refresh = button("refresh_approvals", tr("&Làm mới"));
    approvals_status_ = label("approvals_status");
    auto* top = new QHBoxLayout;
    top->addWidget(refresh);
    top->addWidget(approvals_status_, 1);

    approval_changes_ = new QTableWidget(0, 3);
    approval_changes_->setObjectName("approval_changes");
    approval_changes_->setHorizontalHeaderLabels({tr("Thông tin"), tr("Trong cơ sở dữ liệu dân cư"), tr("Hồ sơ gửi duyệt")});
    approval_changes_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    approval_changes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    approval_changes_->setTabKeyNavigation(false);
    approval_changes_->setAccessibleName(tr("Thông tin thay đổi"));
    approval_changes_->setMaximumHeight(130);

    approval_photos_ = new QWidget;
    approval_photos_->setObjectName("approval_photos");
    auto* photos = new QHBoxLayout(approval_photos_);
    for (auto [photo, name, caption] : {std::tuple{&registered_photo_, "registered_photo", tr("Ảnh trong cơ sở dữ liệu dân cư")},
                                        std::tuple{&submitted_photo_, "submitted_photo", tr("Ảnh trong hồ sơ gửi duyệt")}}) {
        auto* column = new QVBoxLayout;
        *photo = label(name);
        (*photo)->setFixedSize(kPhotoWidth / 2 + 10, kPhotoHeight / 2 + 10);
        (*photo)->setFrameShape(QFrame::Box);
        (*photo)->setAlignment(Qt::AlignCenter);
        (*photo)->setAccessibleName(caption);
        column->addWidget(new QLabel(caption));
        column->addWidget(*photo);
        photos->addLayout(column);
    }
    photos->addStretch(1);
    approval_photos_->setVisible(false);

    approval_note_ = label("approval_note");
    decision_status_ = label("decision_status");
    reject_reason_ = line("reject_reason", tr("lý do từ chối (bắt buộc khi từ chối)"));
    reject_reason_->setMaxLength(200);  // the server keeps at most 200 characters
    reject_reason_->setAccessibleName(tr("Lý do từ chối"));
    approve_ = button("approve", tr("&Phê duyệt"));
    reject_ = button("reject", tr("&Từ chối"));
    auto* decisions = new QHBoxLayout;
    decisions->addWidget(new QLabel(tr("Lý do từ chối")));
    decisions->addWidget(reject_reason_, 1);
    decisions->addWidget(approve_);
    decisions->addWidget(reject_);

    layout->addWidget(approvals_table_);
    layout->addLayout(top);
    layout->addWidget(approval_changes_);
    layout->addWidget(approval_photos_);
    layout->addWidget(approval_note_);
    layout->addLayout(decisions);
    layout->addWidget(decision_status_);
    layout->addStretch(1);

    auto reload = [this] {
        approvals_status_->setText(tr("Đang tải danh sách…"));
        on_worker([w = worker_] { w->list_approvals(); });
    };
    connect(refresh, &QPushButton::clicked, this, reload);
    auto* f5 = new QShortcut(QKeySequence::Refresh, page, reload);
    f5->setContext(Qt::WidgetWithChildrenShortcut);
    connect(approvals_table_, &QTableWidget::currentCellChanged, this, [this](int row) { show_approval(row); });
    connect(approve_, &QPushButton::clicked, this, [this] { decide(true); });
    connect(reject_, &QPushButton::clicked, this, [this] { decide(false); });
    show_approval(-1);
    return page;
}

void StationWindow::show_approvals(const QList<ApprovalRow>& approvals, const QString& words) {
    const QString selected = approvals_table_->currentRow() >= 0 && approvals_table_->currentRow() < approvals_.size()
                                 ? approvals_[approvals_table_->currentRow()].enrollment_id
                                 : QString();
    approvals_ = approvals;
    const QSignalBlocker quiet(approvals_table_);
    approvals_table_->setRowCount(static_cast<int>(approvals.size()));
    int keep = approvals.isEmpty() ? -1 : 0;
    for (int r = 0; r < approvals.size(); ++r) {
        const ApprovalRow& a = approvals[r];
        QStringList fields;
        for (const auto& c : a.changes) fields << OutcomeWords::field(c.field);
        const QStringList cells{a.personal_id, a.officer_id + (a.submitted_by_you ? tr(" (chính cán bộ)") : QString()), a.station_id,
                                a.created_at, fields.join(", ")};
        for (int c = 0; c < cells.size(); ++c) approvals_table_->setItem(r, c, new QTableWidgetItem(cells[c]));
        if (a.enrollment_id == selected) keep = r;
    }
    approvals_table_->setCurrentCell(keep, 0);
    show_approval(keep);
    if (!words.isEmpty()) approvals_status_->setText(words);
}

void StationWindow::show_approval(int row) {
    approval_changes_->setRowCount(0);
    registered_photo_->clear();
    submitted_photo_->clear();
    approval_photos_->setVisible(false);
    const bool chosen = row >= 0 && row < approvals_.size();
    const bool own = chosen && approvals_[row].submitted_by_you;
    approve_->setEnabled(chosen && !own && !deciding_);
    reject_->setEnabled(chosen && !own && !deciding_);
    reject_reason_->setEnabled(chosen && !own);
    approval_note_->setText(!chosen ? tr("Chọn một hồ sơ trong danh sách")
                            : own   ? tr("Hồ sơ do chính cán bộ gửi: cần một lãnh đạo khác phê duyệt hoặc từ chối")
                                    : tr("Đối chiếu từng thông tin với giấy tờ của công dân trước khi quyết định"));
    if (!chosen) return;
    for (const ApprovalChange& c : approvals_[row].changes) {
        const int r = approval_changes_->rowCount();
        approval_changes_->insertRow(r);
        const bool photo = c.field == "photo";
        const auto sex = [](const QString& v) { return v == "F" ? tr("Nữ") : v == "M" ? tr("Nam") : v; };
        const QStringList cells{OutcomeWords::field(c.field),
                                photo ? tr("(ảnh bên dưới)") : c.field == "sex" ? sex(c.registered) : c.registered,
                                photo ? tr("(ảnh bên dưới)") : c.field == "sex" ? sex(c.submitted) : c.submitted};
        for (int k = 0; k < cells.size(); ++k) approval_changes_->setItem(r, k, new QTableWidgetItem(cells[k]));
        if (photo) {
            for (auto [target, jpeg] : {std::pair{registered_photo_, c.registered_photo}, std::pair{submitted_photo_, c.submitted_photo}}) {
                QPixmap pixmap;
                if (pixmap.loadFromData(jpeg, "JPEG"))
                    target->setPixmap(pixmap.scaled(kPhotoWidth / 2, kPhotoHeight / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation));
                else
                    target->setText(tr("(không đọc được ảnh)"));
            }
            approval_photos_->setVisible(true);
        }
    }
}

void StationWindow::decide(bool approve) {
    const int row = approvals_table_->currentRow();
    if (row < 0 || row >= approvals_.size() || approvals_[row].submitted_by_you || deciding_) return;
    const QString reason = reject_reason_->text().trimmed();
    if (!approve && reason.isEmpty()) {
        decision_status_->setText(tr("Nhập lý do từ chối"));
        reject_reason_->setFocus();
        return;
    }
    deciding_ = true;
    approve_->setEnabled(false);
    reject_->setEnabled(false);
    decision_status_->setText(approve ? tr("Đang gửi phê duyệt…") : tr("Đang gửi từ chối…"));
    const QString id = approvals_[row].enrollment_id;
    on_worker([w = worker_, id, approve, reason] { w->decide(id, approve, approve ? QString() : reason); });
}

// What support needs and nothing personal: the diagnostics (readers, ATRs, errors in words, which
// never carry names or ID numbers), the version and the configuration's non-secret settings.
void StationWindow::export_support_bundle() {
    const QString path = QDir::tempPath() + "/cccd-station-support-" + QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss") + ".txt";
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        diagnostics_->appendPlainText(tr("Không ghi được %1").arg(path));
        return;
    }
    QString text = "cccd-station support bundle\nserver: " + QString::fromStdString(config_.server) +
                   "\nreader setting: " + QString::fromStdString(config_.reader) + "\n\n" + diagnostics_->toPlainText() + "\n";
    file.write(text.toUtf8());
    diagnostics_->appendPlainText(tr("Gói hỗ trợ: %1").arg(path));
}

}  // namespace cccd::station
