#pragma once
// Cá nhân hoá thẻ: the reader picker with its live state (the ReaderMonitor's thread reports readers
// and cards coming and going and pcscd restarting), personalization with a step per bar and a verdict
// per check in the officer's words (icon, colour and words), cancel; the blank cards' batch manifests
// imported once per batch (the card's transport key is then found by its chip serial: nothing to type
// per card); any card checked with its CAN; the card face as PDF for the card printer.
#include <QWidget>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "card/reader/monitor.hpp"
#include "identity/enrollment_record.hpp"
#include "station/core/station_config.hpp"
#include "station/gui/station_worker.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;

namespace cccd::station {

class IssueTab : public QWidget {
    Q_OBJECT
public:
    // `record_on_form`: the enrollment form's record with its portrait, for the card face (nothing
    // before a portrait is taken; throws when the form does not make a record).
    IssueTab(StationWorker* worker, const StationConfig& config,
             std::function<std::optional<identity::EnrollmentRecord>()> record_on_form);
    ~IssueTab() override;

    // The ID number of the enrollment to issue the card for.
    void set_personal_id(const QString& personal_id);

private:
    void on_reader_event(const reader::ReaderEvent& event);
    void show_reader_state();
    void write_card_face();
    void import_batch();

    StationWorker* worker_;
    std::string configured_reader_;
    std::filesystem::path card_faces_dir_;  // the card faces' PDFs for the card printer
    std::function<std::optional<identity::EnrollmentRecord>()> record_on_form_;
    QComboBox* reader_ = nullptr;
    QLabel* reader_state_ = nullptr;
    QLineEdit* personal_id_ = nullptr;
    QLabel* transport_keys_ = nullptr;  // how many blank cards' keys the station holds
    QPushButton* personalize_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* step_ = nullptr;
    QListWidget* checks_ = nullptr;
    QLabel* status_ = nullptr;
    QLineEdit* verify_can_ = nullptr;
    QString last_card_number_;
    std::map<QString, bool> card_in_reader_;  // what the reader monitor last said
    QString service_problem_;
    std::unique_ptr<reader::ReaderMonitor> monitor_;  // its own thread; events come back queued
};

}  // namespace cccd::station
