#pragma once
// Taking the portrait with the station's camera (Qt Multimedia): a live preview and one button. The
// multimedia backend is loaded only when the officer asks for the camera, so a desk without one (or a
// test display) never pays for it.
#include <QDialog>
#include <QImage>

namespace cccd::station {

// The captured frame, or a null image when there is no camera or the officer closed the dialog;
// `why_not` then says which, in the officer's words.
QImage capture_portrait(QWidget* parent, QString& why_not);

}  // namespace cccd::station
