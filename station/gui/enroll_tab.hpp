#pragma once
// Thu nhận hồ sơ: the citizen looked up in the population register (by ID number or by name) and the
// form filled from the record; the enrollment form (every DG13 field), the portrait from a file or the
// camera, cropped and re-encoded as the card holds it; checked in the officer's words, then queued and
// sent by the worker.
#include <QByteArray>
#include <QImage>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

#include "identity/enrollment_record.hpp"
#include "station/gui/station_worker.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace cccd::station {

class EnrollTab : public QWidget {
    Q_OBJECT
public:
    explicit EnrollTab(StationWorker* worker);

    // The record on the form with its portrait, for the card face; nothing before a portrait is taken.
    // InvalidArgument/ParseError when the form does not make a record.
    std::optional<identity::EnrollmentRecord> record_on_form() const;

Q_SIGNALS:
    // An enrollment went to the worker to be queued and sent: the ID number to issue its card for.
    void submitted(const QString& personal_id);

private:
    void submit_enrollment();
    QStringList form_problems() const;
    identity::EnrollmentRecord form_record() const;
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
    QLineEdit* photo_path_ = nullptr;
    QLabel* photo_preview_ = nullptr;
    QByteArray photo_jpeg_;
    QLabel* status_ = nullptr;
};

}  // namespace cccd::station
