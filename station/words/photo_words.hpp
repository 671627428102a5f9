#pragma once
// The portrait's checks (station/core/photo_check.hpp) in the officer's words, through Qt's translation:
// one line per check, saying what was measured against what is asked, and for a failure what to change
// ("Đầu quá nhỏ: chiếm 52% chiều cao ảnh, cần 70–80% — cho công dân lại gần camera"). Qt Core only.
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "station/core/photo_check.hpp"

namespace cccd::station {

class PhotoWords {
    Q_DECLARE_TR_FUNCTIONS(PhotoWords)

public:
    // The check's name: "Khuôn mặt", "Vị trí ngang", "Cỡ đầu", "Phông nền", "Độ nét", "Độ sáng", ...
    static QString name(PhotoCheck check);
    // The check's line, passed or failed, with the measured value and the bound.
    static QString line(const PhotoCheckResult& result);
    // Why no check ran (report.width and report.height where they help); empty for PhotoRefusal::None.
    static QString refusal(const PhotoReport& report);
    // One line for the whole report: "Ảnh đạt mọi yêu cầu của ảnh chân dung", "Ảnh chưa đạt: Cỡ đầu, Độ
    // nét", or the refusal.
    static QString summary(const PhotoReport& report);
    // The lines of the checks that did not pass (failed or not measured), for a status message.
    static QStringList failures(const PhotoReport& report);
};

}  // namespace cccd::station
