#pragma once
// Phê duyệt (supervisors and administrators only): the identity changes waiting for a second person;
// for the selected one each change's register value beside the submitted value (the two photos side by
// side), approve, or reject with a reason. Keyboard: arrows in the list, Tab to the reason and the
// buttons, Alt+P / Alt+T, F5 to refresh.
#include <QWidget>

#include "station/gui/station_worker.hpp"

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace cccd::station {

class ApprovalsTab : public QWidget {
    Q_OBJECT
public:
    explicit ApprovalsTab(StationWorker* worker);
    // Loads the list again (on the worker's thread).
    void reload();
    // Nothing of the last officer's stays (the window locked).
    void clear();

private:
    void show_approvals(const QList<ApprovalRow>& approvals, const QString& words);
    void show_approval(int row);
    void decide(bool approve);

    StationWorker* worker_;
    QTableWidget* table_ = nullptr;
    QTableWidget* changes_ = nullptr;
    QWidget* photos_ = nullptr;
    QLabel* registered_photo_ = nullptr;
    QLabel* submitted_photo_ = nullptr;
    QLabel* note_ = nullptr;
    QLabel* status_ = nullptr;           // the list: how many, or why it could not be loaded
    QLabel* decision_status_ = nullptr;  // the last decision's outcome
    QLineEdit* reject_reason_ = nullptr;
    QPushButton* approve_ = nullptr;
    QPushButton* reject_ = nullptr;
    QList<ApprovalRow> approvals_;
    bool deciding_ = false;  // a decision is on its way: no second click
};

}  // namespace cccd::station
