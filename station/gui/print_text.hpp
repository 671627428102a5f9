#pragma once
// What every printed page of the station shares (the card face, station/gui/card_face.hpp; the receipts,
// station/gui/receipts.hpp): fonts whose outlines scale exactly with the drawing, text fitted into a box
// (wrapped and shrunk, never cut) and drawn there, and QR codes. The drawings use their own units (the
// card face and the receipts: hundredths of a millimetre); these helpers take sizes in those units.
#include <QFont>
#include <QImage>
#include <QPainter>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

namespace cccd::station {

// A font of `pixel_size` drawing units, without hinting: the same widths on a PDF, on a PNG, on a printer
// and in fit_text.
QFont print_font(const QString& family, int pixel_size, bool bold = false);

// Text laid out in a box.
struct FittedText {
    QStringList lines;       // every word of the text, in order; nothing left out
    int pixel_size = 0;      // the font's size that fits, in the drawing's units
    bool legible = true;     // false: it fits only below the smallest legible size given
};

// Lays `text` out in a box `box` wide and high (the drawing's units) in `font`, starting at the font's
// pixel size: wrapped at spaces (a word wider than the box is broken between characters), and the size
// lowered one step at a time until every line fits the width and the lines together the height. The
// text is never cut: below `min_pixel_size` the size goes on shrinking and `legible` says so.
FittedText fit_text(const QString& text, const QFont& font, QSizeF box, int min_pixel_size);

enum class TextAlign { Left, Centre, Right };

// fit_text, then draws the lines into `box` from its top (the painter's current pen).
FittedText draw_fitted_text(QPainter& painter, const QRectF& box, const QString& text, QFont font, int min_pixel_size,
                            TextAlign align = TextAlign::Left);

// The height of `lines` lines of `font` as draw_fitted_text sets them.
double text_block_height(const QFont& font, qsizetype lines);

// `text` (UTF-8) as a QR code at error correction level M, one pixel per module, black on white.
// Error when it does not fit a QR code.
QImage qr_code_image(const QString& text);

}  // namespace cccd::station
