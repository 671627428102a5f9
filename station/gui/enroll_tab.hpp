#pragma once
// Thu nhận hồ sơ: the citizen looked up in the population register (by ID number or by name) and the
// form filled from the record; the enrollment form (every DG13 field, the old CMND and cancelled ID
// numbers), the portrait from the camera or a file, cropped and re-encoded as the card holds it, and
// refused unless it passes every photo check (PhotoCheckView beside the form says which failed); checked
// in the officer's words, then queued and sent by the worker.
//
// The card profile follows from the date of birth and today, the date of issue (identity::profile_for_card):
// under 6 the photo step is hidden and no photo is sent; below the profile's representative age the legal
// representative's ID number, name and relationship appear and are required; the expiry is the validity
// rule's (identity::card_validity), shown read-only as dd/mm/yyyy. The form's refusals are
// identity::record_profile_problems' lines.
#include <QByteArray>
#include <QImage>
#include <QStringList>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

#include "identity/enrollment_record.hpp"
#include "station/gui/station_worker.hpp"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;

namespace cccd::station {

class PhotoCheckView;

class EnrollTab : public QWidget {
    Q_OBJECT
public:
    explicit EnrollTab(StationWorker* worker);

    // The record on the form with its portrait, for the card face; nothing before a portrait is taken.
    // InvalidArgument/ParseError when the form does not make a record.
    std::optional<identity::EnrollmentRecord> record_on_form() const;

    // What is wrong with the form, in the officer's words; empty when it can be queued.
    QStringList form_problems() const;

Q_SIGNALS:
    // An enrollment went to the worker to be queued and sent: the ID number to issue its card for.
    void submitted(const QString& personal_id);

private:
    void submit_enrollment();
    identity::EnrollmentRecord form_record() const;
    // The date of birth on the form as YYYY-MM-DD (typed dd/mm/yyyy or YYYY-MM-DD); empty when malformed.
    std::string birth_iso() const;
    // The profile, expiry, photo step and representative's rows for the date of birth on the form.
    void follow_date_of_birth();
    void fill_form(const identity::EnrollmentRecord& record);
    void choose_photo();
    bool load_photo(const QString& path);
    void take_photo();
    bool use_photo(const QImage& image);

    StationWorker* worker_;
    QLineEdit* search_ = nullptr;
    QListWidget* search_results_ = nullptr;
    QList<FoundCitizen> found_;
    std::map<std::string, QLineEdit*> fields_;
    QComboBox* sex_ = nullptr;
    QFormLayout* form_ = nullptr;
    QLineEdit* date_of_issue_ = nullptr;   // today, read-only
    QLabel* profile_ = nullptr;
    QLineEdit* expiry_ = nullptr;          // read-only, dd/mm/yyyy
    const identity::CardProfile* card_profile_ = nullptr;  // for the date of birth on the form; none: not yet
    std::string expiry_iso_;               // as the record writes it
    QWidget* photo_row_ = nullptr;
    QLineEdit* rep_personal_id_ = nullptr;
    QLineEdit* rep_full_name_ = nullptr;
    QComboBox* rep_relationship_ = nullptr;
    QLineEdit* photo_path_ = nullptr;
    PhotoCheckView* photo_preview_ = nullptr;  // the portrait and its checks (photo_check_view.hpp)
    QByteArray photo_jpeg_;
    QLabel* status_ = nullptr;
};

}  // namespace cccd::station
