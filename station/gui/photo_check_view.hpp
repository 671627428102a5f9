#pragma once
// The portrait's checks for the officer, in one widget the camera dialog and the enrollment's photo step
// both show (and a guided enrollment can move into its photo step): the portrait as it will be stored,
// with the estimated head's outline over it, one line per check, each with an icon and a colour (a tick
// on green, a cross on red, a dash on grey for a check that could not be measured: never colour alone),
// and a summary saying whether the photo can be used.
//
// Every photo the station accepts passes every check: the card issued today is a Căn cước (cc-2024) whose
// portrait goes into the chip (DG2) for face comparison, and ICAO 9303 sets its proportions. The officer
// cannot override a failed check; a photo from a file is checked the same way as a camera frame.
#include <QImage>
#include <QStringList>
#include <QWidget>

#include "station/core/photo_check.hpp"

class QLabel;
class QListWidget;

namespace cccd::station {

// `image` cropped about its centre to the card portrait's ratio and scaled to 300 x 386 (widgets.hpp):
// what the card stores, and so what is checked. A null image stays null.
QImage portrait_crop(const QImage& image);

// The checks of `portrait` with the GUI thread's checker (made, and its cascade loaded, on first use).
// GUI thread only.
PhotoReport check_portrait(const QImage& portrait);

class PhotoCheckView : public QWidget {
    Q_OBJECT
public:
    // The portrait shown `preview_height` pixels high; the checks below it (Qt::Vertical) or beside it.
    explicit PhotoCheckView(int preview_height = 193, Qt::Orientation orientation = Qt::Vertical,
                            QWidget* parent = nullptr);

    // Shows `portrait` and its report (check_portrait's).
    void show_report(const QImage& portrait, const PhotoReport& report);
    void clear();

    bool passed() const { return passed_; }
    const PhotoReport& report() const { return report_; }

private:
    QSize preview_;
    QLabel* image_;
    QListWidget* checks_;
    QLabel* summary_;
    PhotoReport report_;
    bool passed_ = false;
};

}  // namespace cccd::station
