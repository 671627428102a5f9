#include "station/gui/enroll_tab.hpp"

#include <QBuffer>
#include <QCalendarWidget>
#include <QCheckBox>
#include <QComboBox>
#include <QDate>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLocale>
#include <QListWidget>
#include <QPixmap>
#include <QRegularExpression>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>
#include <array>
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

namespace {

// A page of the wizard: its widgets in a vertical layout, with a heading saying what the step is for.
// `fill`: the content takes the page's height (a long form, the photo); otherwise it stays at the top.
QWidget* page(const QString& name, const QString& heading, QLayout* content, bool fill = false) {
    auto* w = new QWidget;
    w->setObjectName(name);
    auto* layout = new QVBoxLayout(w);
    auto* title = new QLabel("<b>" + heading.toHtmlEscaped() + "</b>");
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addLayout(content, fill ? 1 : 0);
    if (!fill) layout->addStretch(1);
    return w;
}

}  // namespace

EnrollTab::EnrollTab(StationWorker* worker, StationConfig config) : worker_(worker), config_(std::move(config)) {
    auto* outer = new QVBoxLayout(this);
    progress_ = label("enroll_progress");
    progress_->setTextFormat(Qt::RichText);
    outer->addWidget(progress_);
    steps_ = new QStackedWidget;
    steps_->setObjectName("enroll_steps");
    outer->addWidget(steps_, 1);
    status_ = label("enroll_status");
    outer->addWidget(status_);
    auto* buttons = new QHBoxLayout;
    back_ = button("enroll_back", tr("&Quay lại"));
    next_ = button("enroll_next", tr("&Tiếp tục"));
    next_->setDefault(true);
    buttons->addWidget(back_);
    buttons->addStretch(1);
    buttons->addWidget(next_);
    outer->addLayout(buttons);
    connect(back_, &QPushButton::clicked, this, [this] { go_to(std::max(0, steps_->currentIndex() - 1 - (skip_photo_back() ? 1 : 0))); });
    connect(next_, &QPushButton::clicked, this, &EnrollTab::next_step);

    // 1. Lookup in the population register.
    auto* lookup = new QVBoxLayout;
    auto* search_row = new QHBoxLayout;
    search_ = line("search", tr("số định danh hoặc họ tên"));
    auto* search_button = button("search_button", tr("Tra cứu"));
    auto* use_result = button("use_result", tr("Dùng hồ sơ đã chọn"));
    search_row->addWidget(search_, 1);
    search_row->addWidget(search_button);
    search_row->addWidget(use_result);
    lookup->addLayout(search_row);
    search_results_ = new QListWidget;
    search_results_->setObjectName("search_results");
    lookup->addWidget(search_results_);
    auto run_search = [this] {
        const QString text = search_->text();
        on_worker_thread(worker_, [text](StationWorker& w) { w.search(text); });
    };
    connect(search_button, &QPushButton::clicked, this, run_search);
    connect(search_, &QLineEdit::returnPressed, this, run_search);
    connect(use_result, &QPushButton::clicked, this, &EnrollTab::use_selected_citizen);
    // Enter on the chosen row takes it, as the button does.
    connect(search_results_, &QListWidget::itemActivated, this, &EnrollTab::use_selected_citizen);
    steps_->addWidget(page("step_lookup", tr("Tra cứu công dân trong cơ sở dữ liệu dân cư: nhập số định danh (hoặc họ tên) rồi "
                                             "nhấn Enter; chọn người đúng bằng phím mũi tên, Enter để dùng"),
                           lookup));

    // 2. The register's record checked with the citizen (or the child's representative).
    auto* form = new QFormLayout;
    form_ = form;
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
        if (key == "date_of_birth") {
            // Typed dd/mm/yyyy, or picked on a calendar.
            auto* row = new QHBoxLayout;
            row->addWidget(edit, 1);
            auto* pick = button("birth_calendar", tr("Lịch…"));
            row->addWidget(pick);
            form->addRow(caption, row);
            connect(pick, &QPushButton::clicked, this, [this, edit, pick] { pick_birth_date(edit, pick); });
        } else {
            form->addRow(caption, edit);
        }
        connect(edit, &QLineEdit::returnPressed, this, &EnrollTab::next_step);
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
            date_of_issue_->setFocusPolicy(Qt::NoFocus);
            date_of_issue_->setText(QDate::currentDate().toString("dd/MM/yyyy"));
            form->addRow(tr("Ngày cấp"), date_of_issue_);
            profile_ = label("card_profile");
            form->addRow(tr("Loại thẻ"), profile_);
            expiry_ = line("date_of_expiry");
            expiry_->setReadOnly(true);
            expiry_->setFocusPolicy(Qt::NoFocus);
            form->addRow(tr("Ngày hết hạn"), expiry_);
            expiry_rule_ = label("expiry_rule");
            form->addRow(QString(), expiry_rule_);
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
    for (QLineEdit* edit : {rep_personal_id_, rep_full_name_}) connect(edit, &QLineEdit::returnPressed, this, &EnrollTab::next_step);
    procedure_ = new QComboBox;
    procedure_->setObjectName("procedure");
    procedure_->addItem(tr("Cấp thẻ căn cước"), static_cast<int>(ReceiptProcedure::Issue));
    procedure_->addItem(tr("Cấp đổi thẻ căn cước"), static_cast<int>(ReceiptProcedure::Renewal));
    procedure_->addItem(tr("Cấp lại thẻ căn cước"), static_cast<int>(ReceiptProcedure::Reissue));
    form->addRow(tr("Thủ tục"), procedure_);
    auto* scroll = new QScrollArea;
    auto* form_widget = new QWidget;
    form_widget->setLayout(form);
    scroll->setWidget(form_widget);
    scroll->setWidgetResizable(true);
    auto* check = new QVBoxLayout;
    check->addWidget(scroll);
    steps_->addWidget(page("step_check", tr("Đối chiếu với công dân: hồ sơ trong cơ sở dữ liệu dân cư, sửa những gì đã thay đổi; "
                                            "ngày cấp là hôm nay, ngày hết hạn theo quy định"),
                           check, true));

    // 3. The photo: from the desk camera first, checked as it is taken.
    auto* photo = new QVBoxLayout;
    auto* photo_row = new QHBoxLayout;
    auto* camera = button("take_photo", tr("Chụp ảnh…"));
    auto* newest = button("newest_photo", tr("Dùng ảnh mới nhất của máy chụp"));
    newest->setVisible(!config_.photo_inbox.empty());
    auto* choose = button("choose_photo", tr("Chọn tệp ảnh…"));
    photo_row->addWidget(camera);
    photo_row->addWidget(newest);
    photo_row->addWidget(choose);
    photo_row->addStretch(1);
    photo->addLayout(photo_row);
    photo_preview_ = new PhotoCheckView;
    photo_preview_->setObjectName("photo_preview");
    photo->addWidget(photo_preview_, 1);
    connect(camera, &QPushButton::clicked, this, &EnrollTab::take_photo);
    connect(newest, &QPushButton::clicked, this, &EnrollTab::use_newest_inbox_photo);
    connect(choose, &QPushButton::clicked, this, &EnrollTab::choose_photo);
    steps_->addWidget(page("step_photo", tr("Ảnh chân dung: chụp bằng camera (ảnh được kiểm tra ngay khi chụp) hoặc dùng ảnh mới "
                                            "nhất của máy chụp"),
                           photo, true));

    // 4. Review with the citizen: the card's data as it will be written, and what changed.
    auto* review = new QHBoxLayout;
    review_ = label("review");
    review_->setTextFormat(Qt::RichText);
    review_photo_ = label("review_photo");
    review_photo_->setFixedSize(kPhotoWidth / 2, kPhotoHeight / 2);
    review->addWidget(review_, 1);
    review->addWidget(review_photo_, 0, Qt::AlignTop);
    steps_->addWidget(page("step_review", tr("Xem lại cùng công dân: thông tin sẽ ghi vào thẻ"), review));

    // 5. The receipt (CC01) to check and sign, and the appointment slip (CC02).
    auto* receipt = new QVBoxLayout;
    receipt_summary_ = label("receipt_summary");
    receipt->addWidget(receipt_summary_);
    auto* receipt_row = new QHBoxLayout;
    auto* print = button("print_receipts", tr("&In phiếu thu nhận và giấy hẹn…"));
    auto* save = button("save_receipts", tr("&Lưu phiếu (PDF)"));
    receipt_row->addWidget(print);
    receipt_row->addWidget(save);
    receipt_row->addStretch(1);
    receipt->addLayout(receipt_row);
    signed_ = new QCheckBox(tr("Công dân (hoặc người đại diện) đã kiểm tra và &ký phiếu thu nhận"));
    signed_->setObjectName("receipt_signed");
    receipt->addWidget(signed_);
    // Ticked: Enter sends the enrollment (the focus goes back to the button that does).
    connect(signed_, &QCheckBox::toggled, this, [this](bool on) {
        if (on) next_->setFocus(Qt::OtherFocusReason);
    });
    connect(print, &QPushButton::clicked, this, &EnrollTab::print_receipts_now);
    connect(save, &QPushButton::clicked, this, &EnrollTab::save_receipts);
    steps_->addWidget(page("step_receipt", tr("Phiếu thu nhận thông tin (CC01) để công dân kiểm tra và ký; giấy hẹn trả kết quả (CC02)"),
                           receipt));

    // 6. Submitted: queued at once, sent when the server answers. Nothing here sends it again: a second
    // press would be a second enrollment.
    auto* done = new QVBoxLayout;
    submitted_ = label("submitted");
    done->addWidget(submitted_);
    steps_->addWidget(page("step_submit", tr("Gửi hồ sơ: lưu vào hàng đợi của trạm và gửi máy chủ"), done));

    follow_date_of_birth();
    go_to(0);

    connect(worker_, &StationWorker::found, this, [this](const QList<FoundCitizen>& citizens, const QString& words) {
        found_ = citizens;
        search_results_->clear();
        for (const auto& c : citizens)
            search_results_->addItem(c.personal_id + "  " + c.full_name + "  " + c.date_of_birth + "  (" + c.status + ")");
        if (!citizens.isEmpty()) {
            search_results_->setCurrentRow(0);
            search_results_->setFocus(Qt::OtherFocusReason);  // Enter takes the first, arrows choose another
        }
        status_->setText(words);
    });
    connect(worker_, &StationWorker::loggedIn, this, [this](const QString& officer, const QString&, const QString& station) {
        // Another officer at the desk sees nothing of the last one's citizen.
        if (!officer_.isEmpty() && officer != officer_) start_over();
        officer_ = officer;
        station_ = station;
    });
    connect(worker_, &StationWorker::enrolled, this, [this](const QString& words) {
        submitted_->setText(words);
        status_->setText(words);
    });
    connect(worker_, &StationWorker::problem, status_, &QLabel::setText);
    connect(worker_, &StationWorker::deliveryDone, this, [this](const QString& summary) {
        submitted_->setText(submitted_->text() + "\n" + summary);
        status_->setText(status_->text() + "\n" + summary);
    });
}

// A calendar under the field, on the date typed (or 30 years ago); a day clicked or Enter fills the field.
void EnrollTab::pick_birth_date(QLineEdit* field, QWidget* under) {
    auto* calendar = new QCalendarWidget(this);
    calendar->setObjectName("birth_calendar_popup");
    calendar->setWindowFlags(Qt::Popup);
    calendar->setAttribute(Qt::WA_DeleteOnClose);
    calendar->setMaximumDate(QDate::currentDate());
    calendar->setLocale(QLocale(QLocale::Vietnamese, QLocale::Vietnam));
    const QDate typed = QDate::fromString(field->text().trimmed(), "dd/MM/yyyy");
    calendar->setSelectedDate(typed.isValid() ? typed : QDate::currentDate().addYears(-30));
    const auto take = [field, calendar](QDate day) {
        field->setText(day.toString("dd/MM/yyyy"));
        calendar->close();
    };
    connect(calendar, &QCalendarWidget::activated, this, take);
    connect(calendar, &QCalendarWidget::clicked, this, take);
    calendar->move(under->mapToGlobal(QPoint(0, under->height())));
    calendar->show();
    calendar->setFocus(Qt::PopupFocusReason);
}

void EnrollTab::choose_photo() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Ảnh chân dung"), {}, tr("Ảnh (*.jpg *.jpeg *.png)"));
    if (!path.isEmpty()) load_photo(path);
}

// The newest picture the desk camera saved into the photo inbox: one click, no path.
void EnrollTab::use_newest_inbox_photo() {
    const QFileInfoList pictures = QDir(QString::fromStdString(config_.photo_inbox.string()))
                                       .entryInfoList({"*.jpg", "*.jpeg", "*.JPG", "*.JPEG", "*.png", "*.PNG"}, QDir::Files, QDir::Time);
    if (pictures.isEmpty()) {
        status_->setText(tr("Máy chụp chưa lưu ảnh nào: chụp rồi bấm lại"));
        return;
    }
    const QString picture = pictures.front().absoluteFilePath();
    const bool taken = load_photo(picture);
    // Taken or refused, the picture leaves the folder: the citizen's face stays in this enrollment only,
    // and the next citizen can never be given it as "the newest picture".
    QFile::remove(picture);
    if (taken && steps_->currentIndex() == kPhotoStep) next_step();
}

// A picture that is no portrait: whatever portrait was there before goes too (what the form shows is what
// it sends), and the officer is told why.
bool EnrollTab::refuse_photo(const QString& why) {
    photo_jpeg_.clear();
    photo_preview_->clear();
    status_->setText(why);
    return false;
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
            return refuse_photo(PhotoWords::refusal(refused));
        }
    }
    const QImage image = reader.read();
    if (image.isNull()) return refuse_photo(tr("Không đọc được ảnh %1").arg(path));
    return use_photo(image);
}

void EnrollTab::take_photo() {
    QString why_not;
    const QImage image = capture_portrait(this, why_not);
    if (image.isNull()) {
        status_->setText(why_not);
        return;
    }
    if (use_photo(image) && steps_->currentIndex() == kPhotoStep) next_step();
}

// Crops the centre to the portrait ratio, scales it, checks it (refused unless every check passes), and
// re-encodes it until it fits on the card.
bool EnrollTab::use_photo(const QImage& image) {
    photo_jpeg_.clear();
    if (image.width() < kMinSourceWidth || image.height() < kMinSourceWidth * kPhotoHeight / kPhotoWidth) {
        return refuse_photo(tr("Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh")
                                .arg(image.width())
                                .arg(image.height())
                                .arg(kMinSourceWidth)
                                .arg(kMinSourceWidth * kPhotoHeight / kPhotoWidth));
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
    expiry_rule_->clear();
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
            expiry_rule_->setText(validity_rule_words(validity));
            profile_->setText(OutcomeWords::profile(profile));
            photo = profile.enrollment.photo;
            representative = validity.age_at_issue < profile.enrollment.representative_below_age;
        } catch (const Error&) {
            profile_->setText(tr("Ngày sinh sau ngày cấp"));
        }
    }
    photo_step_ = photo;
    show_progress();
    for (QWidget* w : std::initializer_list<QWidget*>{rep_personal_id_, rep_full_name_, rep_relationship_})
        form_->setRowVisible(w, representative);
}

// The register's record in the form: the officer checks it with the citizen and corrects what changed.
void EnrollTab::fill_form(const identity::EnrollmentRecord& record) {
    register_record_ = record;
    // A citizen who holds a card has it renewed (cấp đổi); one who never had one is issued a first card.
    procedure_->setCurrentIndex(procedure_->findData(static_cast<int>(record.person.date_of_issue.empty() ? ReceiptProcedure::Issue
                                                                                                   : ReceiptProcedure::Renewal)));
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
                         : tr("Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân"));
}

QStringList EnrollTab::form_problems() const { return form_problems(false); }

QStringList EnrollTab::form_problems(bool photo_later) const {
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
        identity::EnrollmentRecord record = form_record();
        // Before the photo step the portrait is yet to come: only the rest is checked.
        if (photo_later && card_profile_->enrollment.photo && record.photo_jpeg.empty()) record.photo_jpeg = {0xFF, 0xD8, 0xFF, 0xD9};
        for (const auto& line : identity::record_profile_problems(record)) problems << QString::fromStdString(line);
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
    submitted_->setText(tr("Đang lưu hồ sơ…"));
    go_to(kSubmitStep);
    Q_EMIT submitted(QString::fromStdString(record.person.personal_id));
    on_worker_thread(worker_, [record](StationWorker& w) { w.enroll(record); });
}

QString EnrollTab::validity_rule_words(const identity::CardValidity& validity) {
    if (validity.for_life()) return tr("Không thời hạn: cấp từ đủ 58 tuổi trở lên");
    QString words = tr("Đến ngày công dân đủ %1 tuổi (tuổi đổi thẻ theo Luật Căn cước)").arg(*validity.renewal_age);
    if (validity.skipped_age)
        words += "; " + tr("bỏ qua tuổi %1 vì thẻ cấp trong vòng 2 năm trước tuổi đó").arg(*validity.skipped_age);
    return words;
}

bool EnrollTab::skip_photo_back() const { return steps_->currentIndex() == kReviewStep && !photo_step_; }

void EnrollTab::show_progress() {
    const int step = steps_->currentIndex();
    static const std::array<const char*, 6> names{QT_TR_NOOP("Tra cứu"), QT_TR_NOOP("Đối chiếu"), QT_TR_NOOP("Ảnh"),
                                                  QT_TR_NOOP("Xem lại"), QT_TR_NOOP("Phiếu thu nhận"), QT_TR_NOOP("Gửi")};
    QStringList shown;
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
        QString name = QString::number(i + 1) + ". " + tr(names[static_cast<std::size_t>(i)]);
        if (i == kPhotoStep && !photo_step_) name = "<s>" + name + "</s>";  // under 6: no photo
        shown << (i == step ? "<b><u>" + name + "</u></b>" : name);
    }
    progress_->setText(tr("Bước %1/%2").arg(step + 1).arg(names.size()) + ": " + shown.join(" → "));
}

void EnrollTab::go_to(int step) {
    steps_->setCurrentIndex(step);
    show_progress();
    back_->setEnabled(step > 0 && step < kSubmitStep);
    next_->setText(step == kReceiptStep ? tr("Lưu và &gửi hồ sơ") : step == kSubmitStep ? tr("Hồ sơ &mới") : tr("&Tiếp tục"));
    if (step == kLookupStep) search_->setFocus(Qt::OtherFocusReason);
    if (step == kCheckStep) fields_.at("full_name")->setFocus(Qt::OtherFocusReason);
    if (step == kReviewStep) fill_review();
    if (step == kReceiptStep) fill_receipt_summary();
    if (step != kLookupStep && step != kCheckStep) next_->setFocus(Qt::OtherFocusReason);
}

void EnrollTab::next_step() {
    switch (steps_->currentIndex()) {
        case kLookupStep: use_selected_citizen(); return;
        case kCheckStep: {
            if (const QStringList problems = form_problems(true); !problems.isEmpty()) {
                status_->setText(tr("Còn thiếu hoặc chưa đúng:") + "\n• " + problems.join("\n• "));
                return;
            }
            status_->clear();
            go_to(photo_step_ ? kPhotoStep : kReviewStep);
            return;
        }
        case kPhotoStep:
            if (photo_jpeg_.isEmpty()) {
                status_->setText(tr("Chưa có ảnh chân dung đạt yêu cầu: chụp ảnh hoặc dùng ảnh mới nhất của máy chụp"));
                return;
            }
            go_to(kReviewStep);
            return;
        case kReviewStep: go_to(kReceiptStep); return;
        case kReceiptStep:
            if (!signed_->isChecked()) {
                status_->setText(tr("Công dân chưa ký phiếu thu nhận: in phiếu, đưa công dân kiểm tra và ký, rồi đánh dấu ô đã ký"));
                return;
            }
            submit_enrollment();
            return;
        default: start_over(); return;
    }
}

void EnrollTab::use_selected_citizen() {
    const int row = search_results_->currentRow();
    if (row < 0 || row >= found_.size()) {
        status_->setText(tr("Chưa chọn công dân: tra cứu bằng số định danh hoặc họ tên rồi chọn một người"));
        search_->setFocus(Qt::OtherFocusReason);
        return;
    }
    fill_form(found_[row].record);
    go_to(kCheckStep);
}

// The next citizen: everything of the last one is cleared from the window.
void EnrollTab::start_over() {
    for (auto& [key, edit] : fields_) edit->clear();
    for (QLineEdit* edit : {rep_personal_id_, rep_full_name_, search_}) edit->clear();
    rep_relationship_->setCurrentIndex(0);
    search_results_->clear();
    found_.clear();
    register_record_.reset();
    photo_jpeg_.clear();
    photo_preview_->clear();
    signed_->setChecked(false);
    review_->clear();
    review_photo_->clear();
    receipt_summary_->clear();
    submitted_->clear();
    status_->clear();
    receipt_code_.clear();
    go_to(kLookupStep);
}

void EnrollTab::fill_review() {
    try {
        const identity::EnrollmentRecord record = form_record();
        const auto row = [](const QString& label, const QString& value) {
            return "<tr><td>" + label.toHtmlEscaped() + "</td><td><b>" + value.toHtmlEscaped() + "</b></td></tr>";
        };
        const auto q = [](const std::string& s) { return QString::fromStdString(s); };
        QString html = "<table cellspacing=4>";
        html += row(tr("Loại thẻ"), profile_->text());
        html += row(tr("Thủ tục"), procedure_->currentText());
        html += row(tr("Số định danh"), q(record.person.personal_id));
        html += row(tr("Họ, chữ đệm và tên"), q(record.person.full_name));
        html += row(tr("Ngày sinh"), fields_.at("date_of_birth")->text());
        html += row(tr("Giới tính"), sex_->currentText());
        html += row(tr("Quê quán"), q(record.person.place_of_origin));
        html += row(tr("Nơi cư trú"), q(record.person.place_of_residence));
        html += row(tr("Ngày cấp"), date_of_issue_->text());
        html += row(tr("Ngày hết hạn"), expiry_->text() + " — " + expiry_rule_->text());
        if (record.representative)
            html += row(tr("Người đại diện"), q(record.representative->full_name + " (" + record.representative->relationship + ")"));
        html += row(tr("Ảnh chân dung"), record.photo_jpeg.empty() ? tr("không có (dưới 6 tuổi)") : tr("đã chụp, đạt mọi yêu cầu"));
        html += "</table>";
        const QStringList changes = changed_fields(record);
        html += "<p>" + (changes.isEmpty() ? tr("Không thay đổi so với cơ sở dữ liệu dân cư")
                                           : tr("Thay đổi so với cơ sở dữ liệu dân cư: %1").arg(changes.join(", ")).toHtmlEscaped()) +
                "</p>";
        review_->setText(html);
        QPixmap portrait;
        if (portrait.loadFromData(photo_jpeg_)) review_photo_->setPixmap(portrait.scaled(review_photo_->size(), Qt::KeepAspectRatio));
        else review_photo_->clear();
    } catch (const Error& e) {
        review_->setText(tr("Hồ sơ chưa hợp lệ: %1").arg(QString::fromStdString(e.what())).toHtmlEscaped());
    }
}

// The captions of the fields the officer changed from the register's record.
QStringList EnrollTab::changed_fields(const identity::EnrollmentRecord& record) const {
    QStringList changed;
    if (!register_record_) return changed;
    const boost::json::value now = boost::json::parse(identity::to_json(record));
    const boost::json::value before = boost::json::parse(identity::to_json(*register_record_));
    for (const auto& [key, edit] : fields_) {
        const auto* a = now.as_object().if_contains(key);
        const auto* b = before.as_object().if_contains(key);
        const bool same = (a == nullptr && b == nullptr) || (a != nullptr && b != nullptr && *a == *b);
        if (!same) changed << edit->accessibleName();
    }
    return changed;
}

ReceiptContext EnrollTab::receipt_context() {
    ReceiptContext context;
    if (receipt_code_.isEmpty())  // one code per enrollment, kept if the receipt is printed again
        receipt_code_ = (station_.isEmpty() ? QString("TRAM") : station_) + "-" +
                        QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss");
    context.receipt_code = receipt_code_.toStdString();
    context.office = config_.office;
    context.superior_office = config_.superior_office;
    context.locality = config_.locality;
    context.officer_name = officer_.toStdString();
    context.officer_id = officer_.toStdString();
    context.procedure = static_cast<ReceiptProcedure>(procedure_->currentData().toInt());
    context.received_on = QDate::currentDate();
    context.return_on = add_working_days(context.received_on, kReturnWorkingDays);
    context.card_return = CardReturn::InPerson;
    context.return_place = config_.return_place;
    return context;
}

void EnrollTab::fill_receipt_summary() {
    const ReceiptContext context = receipt_context();
    QStringList lines{tr("Mã hồ sơ: %1").arg(QString::fromStdString(context.receipt_code)),
                      tr("Ngày hẹn trả thẻ: %1 (%2 ngày làm việc)").arg(context.return_on.toString("dd/MM/yyyy")).arg(kReturnWorkingDays)};
    if (!context.return_place.empty()) lines << tr("Nơi trả thẻ: %1").arg(QString::fromStdString(context.return_place));
    for (const ReceiptGap gap : receipt_gaps(context)) lines << tr("Thiếu để in phiếu: %1").arg(receipt_gap_words(gap));
    receipt_summary_->setText(lines.join("\n"));
}

// The record and the receipts' context, both complete, to `output`; what is missing said in the officer's
// words instead (a gap of the context, or a form that makes no record).
void EnrollTab::with_receipts(const std::function<void(const identity::EnrollmentRecord&, const ReceiptContext&)>& output) {
    try {
        const ReceiptContext context = receipt_context();
        if (const auto gaps = receipt_gaps(context); !gaps.empty()) {
            status_->setText(tr("Chưa in được phiếu: %1").arg(receipt_gap_words(gaps.front())));
            return;
        }
        output(form_record(), context);
    } catch (const Error& e) {
        status_->setText(tr("Chưa in được phiếu: %1").arg(QString::fromStdString(e.what())));
    }
}

void EnrollTab::save_receipts() {
    with_receipts([this](const identity::EnrollmentRecord& record, const ReceiptContext& context) {
        const QString dir = QString::fromStdString(config_.receipts_dir.string());
        QDir().mkpath(dir);
        const QString base = dir + "/" + QString::fromStdString(context.receipt_code);
        write_receipt_cc01_pdf(record, context, base + "-CC01.pdf");
        write_appointment_cc02_pdf(record, context, base + "-CC02.pdf");
        status_->setText(tr("Đã lưu phiếu thu nhận và giấy hẹn: %1").arg(base + "-CC01.pdf, -CC02.pdf"));
    });
}

void EnrollTab::print_receipts_now() {
    with_receipts([this](const identity::EnrollmentRecord& record, const ReceiptContext& context) {
        if (print_receipts(this, record, context)) status_->setText(tr("Đã gửi phiếu thu nhận và giấy hẹn tới máy in"));
    });
}

}  // namespace cccd::station
