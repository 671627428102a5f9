#pragma once
// Chẩn đoán: is pcscd running, which readers, which ATR, the last errors; Xuất gói hỗ trợ writes them
// (no names, no ID numbers) with the configuration's non-secret settings to a file for support.
#include <QWidget>

#include "station/core/station_config.hpp"
#include "station/gui/station_worker.hpp"

class QPlainTextEdit;

namespace cccd::station {

class DiagnosticsTab : public QWidget {
    Q_OBJECT
public:
    DiagnosticsTab(StationWorker* worker, const StationConfig& config);

private:
    void export_support_bundle();

    StationWorker* worker_;
    std::string server_, reader_setting_;
    QPlainTextEdit* diagnostics_ = nullptr;
};

}  // namespace cccd::station
