#include "station/gui/enroll_tab.hpp"

#include <QBuffer>
#include <QComboBox>
#include <QDate>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QListWidget>
#include <QPixmap>
#include <QRegularExpression>

#include <algorithm>
#include <initializer_list>
#include <vector>

#include <boost/json.hpp>

#include "identity/card_profile.hpp"
#include "identity/id_number.hpp"
#include "identity/record_json.hpp"
#include "identity/validity.hpp"
#include "station/gui/camera_dialog.hpp"
#include "station/gui/photo_check_view.hpp"
#include "station/gui/widgets.hpp"
#include "station/words/outcome_words.hpp"
#include "station/words/photo_words.hpp"

namespace cccd::station {

EnrollTab::EnrollTab(StationWorker* worker) : worker_(worker) {
    auto* columns = new QHBoxLayout(this);
    auto* form = new QFormLayout;
    form_ = form;
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
        {"date_of_birth", tr("Ngày sinh (dd/mm/yyyy)")},
        {"ethnicity", tr("Dân tộc")},                        {"religion", tr("Tôn giáo")},
        {"place_of_origin", tr("Quê quán")},                 {"place_of_residence", tr("Nơi cư trú")},
        {"identifying_features", tr("Đặc điểm nhận dạng")}, {"father_name", tr("Họ tên cha")},
        {"mother_name", tr("Họ tên mẹ")},                    {"old_id", tr("Số CMND cũ (9 số, nếu có)")},
        {"cancelled_ids", tr("Số định danh đã hủy (nếu có, cách nhau bởi dấu phẩy)")}};
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
        if (key == "date_of_birth") {
            // The card is issued today: the profile and the expiry follow from the date of birth.
            date_of_issue_ = line("date_of_issue");
            date_of_issue_->setReadOnly(true);
            date_of_issue_->setText(QDate::currentDate().toString("dd/MM/yyyy"));
            form->addRow(tr("Ngày cấp"), date_of_issue_);
            profile_ = label("card_profile");
            form->addRow(tr("Loại thẻ"), profile_);
            expiry_ = line("date_of_expiry");
            expiry_->setReadOnly(true);
            form->addRow(tr("Ngày hết hạn"), expiry_);
            connect(edit, &QLineEdit::textChanged, this, &EnrollTab::follow_date_of_birth);
        }
    }
    rep_personal_id_ = line("representative_personal_id", tr("12 số"));
    rep_full_name_ = line("representative_full_name");
    rep_relationship_ = new QComboBox;
    rep_relationship_->setObjectName("representative_relationship");
    rep_relationship_->setEditable(true);
    rep_relationship_->addItems({QString(), "Cha", "Mẹ", "Người giám hộ"});
    form->addRow(tr("Số định danh người đại diện"), rep_personal_id_);
    form->addRow(tr("Họ tên người đại diện"), rep_full_name_);
    form->addRow(tr("Quan hệ với người được cấp thẻ"), rep_relationship_);
    auto* photo_row = new QHBoxLayout;
    photo_path_ = line("photo_path", tr("ảnh chân dung JPEG/PNG"));
    auto* choose = button("choose_photo", tr("Chọn ảnh…"));
    auto* load = button("load_photo", tr("Nạp ảnh"));
    auto* camera = button("take_photo", tr("Chụp ảnh…"));
    // The camera first: it checks the portrait as it is taken.
    photo_row->addWidget(camera);
    photo_row->addWidget(photo_path_, 1);
    photo_row->addWidget(choose);
    photo_row->addWidget(load);
    photo_row_ = new QWidget;
    photo_row_->setObjectName("photo_row");
    photo_row_->setLayout(photo_row);
    photo_row->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Ảnh"), photo_row_);
    auto* submit = button("enroll", tr("Lưu và gửi hồ sơ"));
    status_ = label("enroll_status");
    form->addRow(submit);
    form->addRow(status_);
    columns->addLayout(form, 1);
    photo_preview_ = new PhotoCheckView;
    photo_preview_->setObjectName("photo_preview");
    photo_preview_->setFixedWidth(kPhotoWidth + 40);
    columns->addWidget(photo_preview_, 0);
    connect(choose, &QPushButton::clicked, this, &EnrollTab::choose_photo);
    connect(load, &QPushButton::clicked, this, [this] { load_photo(photo_path_->text()); });
    connect(camera, &QPushButton::clicked, this, &EnrollTab::take_photo);
    connect(submit, &QPushButton::clicked, this, &EnrollTab::submit_enrollment);
    follow_date_of_birth();

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
    QImageReader reader(path);
    // The size the file claims, refused before it is decoded when no camera makes such a photo.
    if (const QSize claimed = reader.size(); claimed.isValid()) {
        PhotoReport refused;
        refused.width = claimed.width();
        refused.height = claimed.height();
        refused.refusal = photo_size_refusal(claimed.width(), claimed.height());
        if (refused.refusal == PhotoRefusal::TooLarge || refused.refusal == PhotoRefusal::WrongShape) {
            photo_jpeg_.clear();
            photo_preview_->clear();
            status_->setText(PhotoWords::refusal(refused));
            return false;
        }
    }
    const QImage image = reader.read();
    if (image.isNull()) {
        photo_jpeg_.clear();
        photo_preview_->clear();
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

// Crops the centre to the portrait ratio, scales it, checks it (refused unless every check passes), and
// re-encodes it until it fits on the card.
bool EnrollTab::use_photo(const QImage& image) {
    photo_jpeg_.clear();
    if (image.width() < kMinSourceWidth || image.height() < kMinSourceWidth * kPhotoHeight / kPhotoWidth) {
        photo_preview_->clear();
        status_->setText(tr("Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh")
                             .arg(image.width())
                             .arg(image.height())
                             .arg(kMinSourceWidth)
                             .arg(kMinSourceWidth * kPhotoHeight / kPhotoWidth));
        return false;
    }
    const QImage portrait = portrait_crop(image);
    photo_preview_->show_report(portrait, check_portrait(portrait));
    // Every card issued today is a Căn cước whose portrait goes into the chip (DG2) for face comparison:
    // no override for a failed check.
    if (!photo_preview_->passed()) {
        status_->setText(tr("Ảnh không dùng được cho thẻ Căn cước: ảnh chân dung được ghi vào chip để đối chiếu "
                            "khuôn mặt nên phải đạt mọi yêu cầu (ICAO 9303). Chụp lại hoặc chọn ảnh khác.") +
                         "\n• " + PhotoWords::failures(photo_preview_->report()).join("\n• "));
        return false;
    }
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
    status_->setText(tr("Ảnh đạt mọi yêu cầu, đã cắt theo tỉ lệ chân dung: %1 byte").arg(jpeg.size()));
    return true;
}

std::string EnrollTab::birth_iso() const {
    const QString text = fields_.at("date_of_birth")->text().trimmed();
    const QRegularExpressionMatch dmy = QRegularExpression("^(\\d{2})/(\\d{2})/(\\d{4})$").match(text);
    const std::string iso = dmy.hasMatch() ? (dmy.captured(3) + "-" + dmy.captured(2) + "-" + dmy.captured(1)).toStdString()
                                           : text.toStdString();
    return identity::parse_iso_day(iso) ? iso : std::string();
}

// The profile of a card issued today to a holder born on the form's date: what the form asks for.
void EnrollTab::follow_date_of_birth() {
    card_profile_ = nullptr;
    expiry_iso_.clear();
    expiry_->clear();
    bool photo = true, representative = false;
    const std::string birth = birth_iso(), today = QDate::currentDate().toString(Qt::ISODate).toStdString();
    if (birth.empty()) {
        profile_->setText(tr("(theo ngày sinh)"));
    } else {
        try {
            const identity::CardProfile& profile = identity::profile_for_card(birth, today);
            const identity::CardValidity validity = identity::card_validity(profile.generation, birth, today);
            card_profile_ = &profile;
            expiry_iso_ = identity::record_expiry(validity);
            expiry_->setText(QString::fromStdString(identity::printed_expiry(validity)));
            profile_->setText(OutcomeWords::profile(profile));
            photo = profile.enrollment.photo;
            representative = validity.age_at_issue < profile.enrollment.representative_below_age;
        } catch (const Error&) {
            profile_->setText(tr("Ngày sinh sau ngày cấp"));
        }
    }
    form_->setRowVisible(photo_row_, photo);
    photo_preview_->setVisible(photo);
    for (QWidget* w : std::initializer_list<QWidget*>{rep_personal_id_, rep_full_name_, rep_relationship_})
        form_->setRowVisible(w, representative);
}

// The register's record in the form: the officer checks it with the citizen and corrects what changed.
void EnrollTab::fill_form(const identity::EnrollmentRecord& record) {
    const boost::json::value v = boost::json::parse(identity::to_json(record));
    for (const auto& [key, edit] : fields_) {
        const auto* field = v.as_object().if_contains(key);
        edit->setText(field != nullptr && field->is_string() ? QString::fromStdString(std::string(field->as_string().c_str())) : QString());
    }
    if (const auto day = identity::parse_iso_day(record.date_of_birth))
        fields_.at("date_of_birth")->setText(QString::fromStdString(identity::vietnamese_day(*day)));
    QStringList cancelled;
    for (const auto& id : record.person.cancelled_ids) cancelled << QString::fromStdString(id);
    fields_.at("cancelled_ids")->setText(cancelled.join(", "));
    const identity::Representative rep = record.representative.value_or(identity::Representative{});
    rep_personal_id_->setText(QString::fromStdString(rep.personal_id));
    rep_full_name_->setText(QString::fromStdString(rep.full_name));
    rep_relationship_->setCurrentText(QString::fromStdString(rep.relationship));
    if (const int i = sex_->findData(QString(QChar(record.sex))); i >= 0) sex_->setCurrentIndex(i);
    status_->setText(card_profile_ != nullptr && !card_profile_->enrollment.photo
                         ? tr("Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với người đại diện")
                         : tr("Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân, thêm ảnh"));
}

QStringList EnrollTab::form_problems() const {
    QStringList problems;
    const auto text = [this](const char* key) { return fields_.at(key)->text().trimmed(); };
    const QString id = text("personal_id");
    if (!QRegularExpression("^\\d{12}$").match(id).hasMatch()) problems << tr("Số định danh phải có đúng 12 chữ số");
    for (const char* required : {"full_name", "ethnicity", "place_of_origin", "place_of_residence"})
        if (text(required).isEmpty()) problems << tr("Chưa nhập: %1").arg(fields_.at(required)->accessibleName());
    const std::string birth = birth_iso();
    if (birth.empty()) problems << tr("Ngày sinh phải có dạng dd/mm/yyyy");
    else if (card_profile_ == nullptr) problems << tr("Ngày sinh sau ngày cấp");
    const QString old_id = text("old_id");
    if (!old_id.isEmpty() && !QRegularExpression("^\\d{9}$").match(old_id).hasMatch()) problems << tr("Số CMND cũ phải có đúng 9 chữ số");
    const char sex = sex_->currentData().toString().toStdString().front();
    if (problems.isEmpty() && !identity::id_number_agrees(id.toStdString(), sex, birth))
        problems << tr("Số định danh không khớp với mã tỉnh, thế kỷ và giới tính, hoặc năm sinh của công dân");
    if (card_profile_ == nullptr) return problems;
    // The profile's own rules, in identity's words: the photo, the representative, the cancelled numbers.
    try {
        for (const auto& line : identity::record_profile_problems(form_record())) problems << QString::fromStdString(line);
    } catch (const Error& e) {
        problems << QString::fromStdString(e.what());
    }
    return problems;
}

// The form's fields and portrait as a record (InvalidArgument/ParseError when they do not make one).
identity::EnrollmentRecord EnrollTab::form_record() const {
    boost::json::object o;
    for (const auto& [key, edit] : fields_) {
        const std::string value = edit->text().trimmed().toStdString();
        if (key == "cancelled_ids") {
            boost::json::array ids;
            for (const QString& id : edit->text().split(QRegularExpression("[,;\\s]+"), Qt::SkipEmptyParts)) ids.emplace_back(id.toStdString());
            if (!ids.empty()) o[key] = std::move(ids);
        } else if (key != "old_id" || !value.empty()) {
            o[key] = value;
        }
    }
    o["date_of_birth"] = birth_iso();
    o["date_of_issue"] = QDate::currentDate().toString(Qt::ISODate).toStdString();
    o["date_of_expiry"] = expiry_iso_;
    o["sex"] = sex_->currentData().toString().toStdString();
    if (card_profile_ != nullptr) o["card_profile"] = std::string(card_profile_->code);
    const QString rep_id = rep_personal_id_->text().trimmed(), rep_name = rep_full_name_->text().trimmed(),
                  rep_relationship = rep_relationship_->currentText().trimmed();
    // Only below the representative age: the rows are hidden above it.
    if (form_->isRowVisible(rep_personal_id_) && !(rep_id.isEmpty() && rep_name.isEmpty() && rep_relationship.isEmpty())) {
        o["representative"] = boost::json::object{{"personal_id", rep_id.toStdString()},
                                                  {"full_name", rep_name.toStdString()},
                                                  {"relationship", rep_relationship.toStdString()}};
    }
    identity::EnrollmentRecord record = identity::parse_enrollment_record(boost::json::serialize(o));
    // No photo for a profile that takes none (a child under 6), whatever was loaded before.
    if (card_profile_ == nullptr || card_profile_->enrollment.photo) record.photo_jpeg.assign(photo_jpeg_.begin(), photo_jpeg_.end());
    return record;
}

std::optional<identity::EnrollmentRecord> EnrollTab::record_on_form() const {
    const bool photo = card_profile_ == nullptr || card_profile_->enrollment.photo;
    if (photo && photo_jpeg_.isEmpty()) return std::nullopt;
    return form_record();
}

void EnrollTab::submit_enrollment() {
    const bool photo = card_profile_ == nullptr || card_profile_->enrollment.photo;
    if (photo && photo_jpeg_.isEmpty() && !photo_path_->text().isEmpty()) load_photo(photo_path_->text());
    if (const QStringList problems = form_problems(); !problems.isEmpty()) {
        status_->setText(tr("Hồ sơ chưa hợp lệ:") + "\n• " + problems.join("\n• "));
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
