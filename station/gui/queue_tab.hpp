#pragma once
// Hàng đợi: the station's offline queue, each entry's state and the server's words, and sending the
// waiting entries.
#include <QWidget>

#include "station/gui/station_worker.hpp"

class QLabel;
class QTableWidget;

namespace cccd::station {

class QueueTab : public QWidget {
    Q_OBJECT
public:
    explicit QueueTab(StationWorker* worker);

private:
    void show_queue(const QList<QueueRow>& rows);

    StationWorker* worker_;
    QTableWidget* table_ = nullptr;
    QLabel* delivery_status_ = nullptr;
};

}  // namespace cccd::station
