#include "station/gui/print_text.hpp"

#include <qrencode.h>

#include <QFontMetricsF>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>

#include "base/error.hpp"

namespace cccd::station {

namespace {

// `text` wrapped at spaces for `width`; a word wider than the box is broken between characters when
// `break_words`, else the layout fails (nothing).
std::optional<QStringList> wrap(const QString& text, const QFontMetricsF& metrics, double width, bool break_words) {
    QStringList lines;
    QString line;
    for (const QString& word : text.simplified().split(' ', Qt::SkipEmptyParts)) {
        const QString candidate = line.isEmpty() ? word : line + ' ' + word;
        if (metrics.horizontalAdvance(candidate) <= width) {
            line = candidate;
            continue;
        }
        if (!line.isEmpty()) lines << line;
        line = word;
        while (metrics.horizontalAdvance(line) > width) {
            if (!break_words) return std::nullopt;
            qsizetype n = line.size() - 1;
            while (n > 1 && metrics.horizontalAdvance(line.left(n)) > width) --n;
            lines << line.left(n);
            line = line.mid(n);
        }
    }
    if (!line.isEmpty()) lines << line;
    return lines;
}

double block_height(const QFontMetricsF& metrics, qsizetype lines) {
    return lines == 0 ? 0.0 : metrics.height() + static_cast<double>(lines - 1) * metrics.lineSpacing();
}

}  // namespace

QFont print_font(const QString& family, int pixel_size, bool bold) {
    QFont f(family);
    f.setPixelSize(pixel_size);
    f.setBold(bold);
    // Outlines scale exactly with the drawing: the same widths on the PDF, on a PNG and in fit_text.
    f.setHintingPreference(QFont::PreferNoHinting);
    f.setStyleStrategy(QFont::PreferOutline);
    return f;
}

FittedText fit_text(const QString& text, const QFont& font, QSizeF box, int min_pixel_size) {
    FittedText out;
    const int start = std::max(1, font.pixelSize() > 0 ? font.pixelSize() : min_pixel_size);
    QFont f = font;
    // First whole words at every legible size, then words broken between characters at the smallest
    // legible size and below: shrinking is preferred to breaking a word, and both to cutting.
    for (const bool break_words : {false, true}) {
        for (int size = break_words ? std::min(start, std::max(1, min_pixel_size)) : start;
             size >= (break_words ? 1 : std::max(1, min_pixel_size));
             size -= std::max(1, size / 20)) {
            f.setPixelSize(size);
            const QFontMetricsF metrics(f);
            const std::optional<QStringList> lines = wrap(text, metrics, box.width(), break_words);
            if (!lines || block_height(metrics, lines->size()) > box.height()) continue;
            out.lines = *lines;
            out.pixel_size = size;
            out.legible = size >= min_pixel_size;
            return out;
        }
    }
    // Not even at one unit: the smallest size, every word still there.
    f.setPixelSize(1);
    out.lines = wrap(text, QFontMetricsF(f), box.width(), true).value_or(QStringList{});
    out.pixel_size = 1;
    out.legible = false;
    return out;
}

FittedText draw_fitted_text(QPainter& painter, const QRectF& box, const QString& text, QFont font, int min_pixel_size,
                            TextAlign align) {
    const FittedText fit = fit_text(text, font, box.size(), min_pixel_size);
    font.setPixelSize(fit.pixel_size);
    const QFontMetricsF metrics(font);
    painter.setFont(font);
    double baseline = box.top() + metrics.ascent();
    for (const QString& line : fit.lines) {
        const double spare = box.width() - metrics.horizontalAdvance(line);
        const double left = align == TextAlign::Centre ? box.left() + spare / 2
                            : align == TextAlign::Right ? box.left() + spare
                                                        : box.left();
        painter.drawText(QPointF(left, baseline), line);
        baseline += metrics.lineSpacing();
    }
    return fit;
}

double text_block_height(const QFont& font, qsizetype lines) { return block_height(QFontMetricsF(font), lines); }

QImage qr_code_image(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(QRcode_encodeString8bit(utf8.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) throw Error("the QR code cannot hold " + std::to_string(utf8.size()) + " bytes");
    const int side = code->width;
    QImage image(side, side, QImage::Format_Mono);
    image.fill(1);
    for (int row = 0; row < side; ++row)
        for (int col = 0; col < side; ++col)
            if (code->data[row * side + col] & 1) image.setPixel(col, row, 0);
    return image;
}

}  // namespace cccd::station
