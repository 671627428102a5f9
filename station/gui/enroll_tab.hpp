#pragma once
// Thu nhận hồ sơ, a guided enrollment, one step at a time, the same for a first card, a renewal and a
// child with a legal representative:
//
//   1 Tra cứu      the citizen looked up in the population register (ID number or name), Enter to search,
//                  arrows to choose, Enter to take
//   2 Đối chiếu    the register's record checked with the citizen, what changed corrected; the date of
//                  issue is today and the expiry the validity rule's (read-only, with the rule); the
//                  procedure (cấp, cấp đổi, cấp lại) from whether the citizen holds a card
//   3 Ảnh          from the desk camera (checked as it is taken) or the newest picture the camera saved;
//                  skipped under 6 (no photo)
//   4 Xem lại      the card's data as it will be written, and what changed from the register
//   5 Phiếu        the receipt CC01 and the appointment slip CC02, printed or saved as PDF; the citizen
//                  signs before anything is sent
//   6 Gửi          queued at once, sent when the server answers; "Hồ sơ mới" clears everything
//
// Each step says what is missing before it lets the officer on. From the keyboard alone: Enter goes on
// (the default button), Alt+T goes on, Alt+Q goes back, Tab moves between fields. No date and no path is
// typed. The card profile follows from the date of birth and today (identity::profile_for_card); the
// form's refusals are identity::record_profile_problems' lines.
#include <QByteArray>
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "identity/enrollment_record.hpp"
#include "identity/validity.hpp"
#include "station/core/station_config.hpp"
#include "station/gui/receipts.hpp"
#include "station/gui/station_worker.hpp"

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QStackedWidget;

namespace cccd::station {

class PhotoCheckView;

class EnrollTab : public QWidget {
    Q_OBJECT
public:
    // The wizard's steps, in order.
    enum Step { kLookupStep, kCheckStep, kPhotoStep, kReviewStep, kReceiptStep, kSubmitStep };

    EnrollTab(StationWorker* worker, StationConfig config);

    // The record on the form with its portrait, for the card face; nothing before a portrait is taken.
    // InvalidArgument/ParseError when the form does not make a record.
    std::optional<identity::EnrollmentRecord> record_on_form() const;

    // What is wrong with the form, in the officer's words; empty when it can be queued. With
    // `photo_later`, a missing portrait is not counted (the photo step comes after the check).
    QStringList form_problems() const;
    QStringList form_problems(bool photo_later) const;

    // Clears everything of the last citizen and goes back to the lookup: "Hồ sơ mới", a logout, another
    // officer logging in.
    void start_over();

    // The validity rule that gave the expiry, in the officer's words ("Đến ngày công dân đủ 25 tuổi ...").
    static QString validity_rule_words(const identity::CardValidity& validity);

Q_SIGNALS:
    // An enrollment went to the worker to be queued and sent: the ID number to issue its card for.
    void submitted(const QString& personal_id);

private:
    void go_to(int step);
    void show_progress();  // "Bước 2/6: 1. Tra cứu → 2. Đối chiếu → ..." (the photo struck out under 6)
    void next_step();
    bool skip_photo_back() const;
    void use_selected_citizen();
    void fill_review();
    void fill_receipt_summary();
    QStringList changed_fields(const identity::EnrollmentRecord& record) const;
    ReceiptContext receipt_context();
    void with_receipts(const std::function<void(const identity::EnrollmentRecord&, const ReceiptContext&)>& output);
    void save_receipts();
    void print_receipts_now();
    void submit_enrollment();
    identity::EnrollmentRecord form_record() const;
    // The date of birth on the form as YYYY-MM-DD (typed dd/mm/yyyy or YYYY-MM-DD); empty when malformed.
    std::string birth_iso() const;
    // The profile, expiry, photo step and representative's rows for the date of birth on the form.
    void follow_date_of_birth();
    void fill_form(const identity::EnrollmentRecord& record);
    void choose_photo();
    void pick_birth_date(QLineEdit* field, QWidget* under);
    void use_newest_inbox_photo();
    bool refuse_photo(const QString& why);
    bool load_photo(const QString& path);
    void take_photo();
    bool use_photo(const QImage& image);

    StationWorker* worker_;
    StationConfig config_;
    QString officer_, station_;  // from the login, for the receipts
    QLabel* progress_ = nullptr;
    QStackedWidget* steps_ = nullptr;
    QPushButton* back_ = nullptr;
    QPushButton* next_ = nullptr;
    QLineEdit* search_ = nullptr;
    QListWidget* search_results_ = nullptr;
    QList<FoundCitizen> found_;
    std::optional<identity::EnrollmentRecord> register_record_;  // as the register holds the citizen
    std::map<std::string, QLineEdit*> fields_;
    QComboBox* sex_ = nullptr;
    QComboBox* procedure_ = nullptr;
    QFormLayout* form_ = nullptr;
    QLineEdit* date_of_issue_ = nullptr;   // today, read-only
    QLabel* profile_ = nullptr;
    QLineEdit* expiry_ = nullptr;          // read-only, dd/mm/yyyy
    QLabel* expiry_rule_ = nullptr;        // the rule that gave it
    const identity::CardProfile* card_profile_ = nullptr;  // for the date of birth on the form; none: not yet
    std::string expiry_iso_;               // as the record writes it
    bool photo_step_ = true;               // false under 6: no photo
    QLineEdit* rep_personal_id_ = nullptr;
    QLineEdit* rep_full_name_ = nullptr;
    QComboBox* rep_relationship_ = nullptr;
    PhotoCheckView* photo_preview_ = nullptr;  // the portrait and its checks (photo_check_view.hpp)
    QByteArray photo_jpeg_;
    QLabel* review_ = nullptr;
    QLabel* review_photo_ = nullptr;
    QLabel* receipt_summary_ = nullptr;
    QCheckBox* signed_ = nullptr;
    QString receipt_code_;
    QLabel* submitted_ = nullptr;
    QLabel* status_ = nullptr;
};

}  // namespace cccd::station
