#pragma once
// Taking the portrait with the station's camera (Qt Multimedia): a live preview, cropped to the card
// portrait as it will be stored, checked a few times a second (PhotoCheckView beside it: one face,
// centred, the head's size, the background, sharpness, exposure, each line in the officer's words), and
// the shutter, enabled only while the frame passes every check; what it takes is the very frame that
// passed. The multimedia backend is loaded only when the officer asks for the camera, so a desk without
// one (or a test display) never pays for it; a photo from a file stays possible in the enrollment form,
// checked the same way.
#include <QDialog>
#include <QImage>

#include <memory>

class QCameraDevice;
class QLabel;
class QPushButton;
class QTimer;

namespace cccd::station {

class PhotoCheckView;

class CameraDialog : public QDialog {
    Q_OBJECT
public:
    explicit CameraDialog(QWidget* parent = nullptr);
    ~CameraDialog() override;

    // Starts `camera`; its frames reach show_frame() at most every kCheckIntervalMs.
    void start(const QCameraDevice& camera);
    // A frame (from the camera, or a test): cropped to the portrait, checked and shown; the shutter is
    // enabled when it passes.
    void show_frame(const QImage& frame);
    // The portrait taken (300 x 386, passed every check); null before the shutter was pressed.
    QImage taken() const { return taken_; }
    // The camera's own error, in its words; empty when none.
    QString camera_error() const { return camera_error_; }

    static constexpr int kCheckIntervalMs = 250;

private:
    struct Camera;
    std::unique_ptr<Camera> camera_;
    PhotoCheckView* view_;
    QPushButton* shutter_;
    QTimer* tick_;
    QImage latest_frame_;  // the camera's newest frame, not checked yet
    QImage passed_;        // the portrait of the last frame checked, when it passed
    QImage taken_;
    QString camera_error_;
};

// Opens the dialog on the first camera: the portrait taken, or a null image when there is no camera or
// the officer closed the dialog; `why_not` then says which, in the officer's words.
QImage capture_portrait(QWidget* parent, QString& why_not);

}  // namespace cccd::station
