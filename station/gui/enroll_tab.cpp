#include "station/gui/enroll_tab.hpp"

#include <QBuffer>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QListWidget>
#include <QPixmap>
#include <QRegularExpression>

#include <algorithm>
#include <vector>

#include <boost/json.hpp>

#include "identity/id_number.hpp"
#include "identity/record_json.hpp"
#include "station/gui/camera_dialog.hpp"
#include "station/gui/widgets.hpp"

namespace cccd::station {

EnrollTab::EnrollTab(StationWorker* worker) : worker_(worker) {
    auto* columns = new QHBoxLayout(this);
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
        on_worker_thread(worker_, [text](StationWorker& w) { w.search(text); });
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
    status_ = label("enroll_status");
    form->addRow(submit);
    form->addRow(status_);
    columns->addLayout(form, 1);
    photo_preview_ = label("photo_preview");
    photo_preview_->setFixedSize(kPhotoWidth / 2 + 10, kPhotoHeight / 2 + 10);
    photo_preview_->setFrameShape(QFrame::Box);
    columns->addWidget(photo_preview_, 0, Qt::AlignTop);
    connect(choose, &QPushButton::clicked, this, &EnrollTab::choose_photo);
    connect(load, &QPushButton::clicked, this, [this] { load_photo(photo_path_->text()); });
    connect(camera, &QPushButton::clicked, this, &EnrollTab::take_photo);
    connect(submit, &QPushButton::clicked, this, &EnrollTab::submit_enrollment);

    connect(worker_, &StationWorker::found, this, [this](const QList<FoundCitizen>& citizens, const QString& words) {
        found_ = citizens;
        search_results_->clear();
        for (const auto& c : citizens)
            search_results_->addItem(c.personal_id + "  " + c.full_name + "  " + c.date_of_birth + "  (" + c.status + ")");
        if (!citizens.isEmpty()) search_results_->setCurrentRow(0);
        status_->setText(words);
    });
    connect(worker_, &StationWorker::enrolled, status_, &QLabel::setText);
    connect(worker_, &StationWorker::problem, status_, &QLabel::setText);
    connect(worker_, &StationWorker::deliveryDone, this, [this](const QString& summary) { status_->setText(status_->text() + "\n" + summary); });
}

void EnrollTab::choose_photo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Ảnh chân dung"), {}, tr("Ảnh (*.jpg *.jpeg *.png)"));
    if (!path.isEmpty()) {
        photo_path_->setText(path);
        load_photo(path);
    }
}

bool EnrollTab::load_photo(const QString& path) {
    QImage image(path);
    if (image.isNull()) {
        status_->setText(tr("Không đọc được ảnh %1").arg(path));
        return false;
    }
    return use_photo(image);
}

void EnrollTab::take_photo() {
    QString why_not;
    const QImage image = capture_portrait(this, why_not);
    if (image.isNull()) {
        status_->setText(why_not);
        return;
    }
    photo_path_->setText(tr("(ảnh chụp từ camera)"));
    use_photo(image);
}

// Crops the centre to the portrait ratio, scales it, and re-encodes it until it fits on the card.
bool EnrollTab::use_photo(const QImage& image) {
    if (image.width() < kMinSourceWidth || image.height() < kMinSourceWidth * kPhotoHeight / kPhotoWidth) {
        status_->setText(tr("Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh")
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
        status_->setText(tr("Ảnh vẫn lớn hơn 20 KB sau khi nén: chọn ảnh khác"));
        return false;
    }
    photo_jpeg_ = jpeg;
    photo_preview_->setPixmap(QPixmap::fromImage(portrait.scaled(kPhotoWidth / 2, kPhotoHeight / 2)));
    status_->setText(tr("Ảnh đã cắt theo tỉ lệ chân dung: %1 byte").arg(jpeg.size()));
    return true;
}

// The register's record in the form: the officer checks it with the citizen and corrects what changed.
void EnrollTab::fill_form(const identity::EnrollmentRecord& record) {
    const boost::json::value v = boost::json::parse(identity::to_json(record));
    for (const auto& [key, edit] : fields_) {
        const auto* field = v.as_object().if_contains(key);
        edit->setText(field != nullptr && field->is_string() ? QString::fromStdString(std::string(field->as_string().c_str())) : QString());
    }
    if (const int i = sex_->findData(QString(QChar(record.sex))); i >= 0) sex_->setCurrentIndex(i);
    status_->setText(tr("Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân, thêm ảnh"));
}

// What is wrong with the form, in the officer's words; empty when it can be queued.
QStringList EnrollTab::form_problems() const {
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

// The form's fields and portrait as a record (InvalidArgument/ParseError when they do not make one).
identity::EnrollmentRecord EnrollTab::form_record() const {
    boost::json::object o;
    for (const auto& [key, edit] : fields_) o[key] = edit->text().trimmed().toStdString();
    o["sex"] = sex_->currentData().toString().toStdString();
    identity::EnrollmentRecord record = identity::parse_enrollment_record(boost::json::serialize(o));
    record.photo_jpeg.assign(photo_jpeg_.begin(), photo_jpeg_.end());
    return record;
}

std::optional<identity::EnrollmentRecord> EnrollTab::record_on_form() const {
    if (photo_jpeg_.isEmpty()) return std::nullopt;
    return form_record();
}

void EnrollTab::submit_enrollment() {
    if (photo_jpeg_.isEmpty() && !photo_path_->text().isEmpty()) load_photo(photo_path_->text());
    if (const QStringList problems = form_problems(); !problems.isEmpty()) {
        status_->setText(tr("Hồ sơ chưa hợp lệ:") + "\n• " + problems.join("\n• "));
        return;
    }
    if (photo_jpeg_.isEmpty()) {
        status_->setText(tr("Chưa có ảnh chân dung"));
        return;
    }
    identity::EnrollmentRecord record;
    try {
        record = form_record();
        perso::validate(record);
    } catch (const Error& e) {
        status_->setText(tr("Hồ sơ chưa hợp lệ: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    status_->setText(tr("Đang lưu hồ sơ…"));
    Q_EMIT submitted(QString::fromStdString(record.person.personal_id));
    on_worker_thread(worker_, [record](StationWorker& w) { w.enroll(record); });
}

}  // namespace cccd::station
