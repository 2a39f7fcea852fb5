//! QR codes of invites: in the terminal (Unicode half blocks) and as SVG.

use qrcode::render::{svg, unicode};
use qrcode::{EcLevel, QrCode};
use sanad_client::messenger::MessengerError;

/// The text does not fit in a QR code (shown by `errors::describe` as
/// `error-qr-too-long`).
#[derive(Debug, thiserror::Error)]
#[error("the text is too long for a QR code")]
pub struct QrTooLong;

fn code(text: &str) -> Result<QrCode, MessengerError> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L).map_err(|_| {
        MessengerError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            QrTooLong,
        ))
    })
}

/// The QR code drawn with half blocks (dark on light, with a quiet zone).
pub fn terminal(text: &str) -> Result<String, MessengerError> {
    Ok(code(text)?
        .render::<unicode::Dense1x2>()
        .dark_color(unicode::Dense1x2::Light)
        .light_color(unicode::Dense1x2::Dark)
        .quiet_zone(true)
        .build())
}

/// The QR code as an SVG document.
pub fn svg(text: &str) -> Result<String, MessengerError> {
    Ok(code(text)?
        .render::<svg::Color<'_>>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build())
}
