#include "station/gui/camera_dialog.hpp"

#include <QCamera>
#include <QImageCapture>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QPushButton>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace cccd::station {

QImage capture_portrait(QWidget* parent, QString& why_not) {
    const auto cameras = QMediaDevices::videoInputs();
    if (cameras.isEmpty()) {
        why_not = QObject::tr("Không tìm thấy camera: chọn ảnh từ tệp");
        return {};
    }
    QDialog dialog(parent);
    dialog.setObjectName("camera_dialog");
    dialog.setWindowTitle(QObject::tr("Chụp ảnh chân dung"));
    auto* layout = new QVBoxLayout(&dialog);
    auto* preview = new QVideoWidget;
    preview->setMinimumSize(480, 360);
    auto* shoot = new QPushButton(QObject::tr("Chụp"));
    shoot->setObjectName("shoot");
    layout->addWidget(preview);
    layout->addWidget(shoot);

    QCamera camera(cameras.front());
    QImageCapture capture;
    QMediaCaptureSession session;
    session.setCamera(&camera);
    session.setImageCapture(&capture);
    session.setVideoOutput(preview);
    QImage taken;
    QObject::connect(shoot, &QPushButton::clicked, &dialog, [&] { capture.capture(); });
    QObject::connect(&capture, &QImageCapture::imageCaptured, &dialog, [&](int, const QImage& image) {
        taken = image;
        dialog.accept();
    });
    QObject::connect(&capture, &QImageCapture::errorOccurred, &dialog,
                     [&](int, QImageCapture::Error, const QString& message) { why_not = message; });
    camera.start();
    if (dialog.exec() != QDialog::Accepted || taken.isNull()) {
        if (why_not.isEmpty()) why_not = QObject::tr("Chưa chụp ảnh");
        return {};
    }
    return taken;
}

}  // namespace cccd::station
