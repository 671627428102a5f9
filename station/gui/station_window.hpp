#pragma once
// The enrollment station's window: officer login (the station's client certificate identifies the
// desk), the enrollment form with validation in the officer's words, the offline queue, issuing the
// card in a reader with a progress bar per step and a verdict per check, the card face as PDF,
// diagnostics and a support bundle; for supervisors, the identity changes waiting for their approval.
// Every network and card operation runs on the worker's thread.
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMainWindow>
#include <QThread>
#include <QTimer>

#include <map>

#include "card/reader/monitor.hpp"
#include "station/core/station_config.hpp"
#include "station/gui/station_worker.hpp"

class QComboBox;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableWidget;

namespace cccd::station {

class StationWindow : public QMainWindow {
    Q_OBJECT
public:
    StationWindow(StationConfig config, std::chrono::seconds idle_lock);
    ~StationWindow() override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* make_login_page();
    QWidget* make_enroll_tab();
    QWidget* make_queue_tab();
    QWidget* make_issue_tab();
    QWidget* make_diagnostics_tab();
    QWidget* make_approvals_tab();
    void show_approvals(const QList<ApprovalRow>& approvals, const QString& words);
    void show_approval(int row);
    void decide(bool approve);
    void submit_enrollment();
    QStringList form_problems() const;
    void fill_form(const perso::EnrollmentRecord& record);
    void choose_photo();
    bool load_photo(const QString& path);
    void take_photo();
    bool use_photo(const QImage& image);
    void write_card_face();
    void export_support_bundle();
    void lock(const QString& why);
    void on_reader_event(const reader::ReaderEvent& event);
    void show_reader_state();
    template <typename Work>
    void on_worker(Work&& work);

    StationConfig config_;
    QThread thread_;
    StationWorker* worker_ = nullptr;  // lives on thread_
    QTimer idle_timer_;

    QStackedWidget* pages_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QLineEdit* officer_ = nullptr;
    QLineEdit* password_ = nullptr;
    QLabel* login_status_ = nullptr;
    QLabel* session_label_ = nullptr;
    std::map<std::string, QLineEdit*> fields_;
    QComboBox* sex_ = nullptr;
    QLineEdit* photo_path_ = nullptr;
    QLabel* photo_preview_ = nullptr;
    QByteArray photo_jpeg_;
    QLabel* enroll_status_ = nullptr;
    QLineEdit* search_ = nullptr;
    QListWidget* search_results_ = nullptr;
    QList<FoundCitizen> found_;
    QLineEdit* verify_can_ = nullptr;
    QTableWidget* queue_table_ = nullptr;
    QLabel* delivery_status_ = nullptr;
    QComboBox* reader_ = nullptr;
    QLineEdit* issue_id_ = nullptr;
    QLineEdit* transport_key_ = nullptr;
    QPushButton* personalize_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* step_ = nullptr;
    QListWidget* checks_ = nullptr;
    QLabel* issue_status_ = nullptr;
    QLineEdit* pdf_path_ = nullptr;
    QPlainTextEdit* diagnostics_ = nullptr;
    int approvals_tab_ = -1;  // shown to supervisors and administrators only
    QTableWidget* approvals_table_ = nullptr;
    QTableWidget* approval_changes_ = nullptr;
    QWidget* approval_photos_ = nullptr;
    QLabel* registered_photo_ = nullptr;
    QLabel* submitted_photo_ = nullptr;
    QLabel* approval_note_ = nullptr;
    QLabel* approvals_status_ = nullptr;  // the list: how many, or why it could not be loaded
    QLabel* decision_status_ = nullptr;   // the last decision's outcome
    QLineEdit* reject_reason_ = nullptr;
    QPushButton* approve_ = nullptr;
    QPushButton* reject_ = nullptr;
    QList<ApprovalRow> approvals_;
    bool deciding_ = false;  // a decision is on its way: no second click
    QString last_card_number_;
    QLabel* reader_state_ = nullptr;
    std::map<QString, bool> card_in_reader_;  // what the reader monitor last said
    QString service_problem_;
    std::unique_ptr<reader::ReaderMonitor> monitor_;  // its own thread; events come back queued
};

}  // namespace cccd::station
