//! QR codes (O4's check-in code, O9's verification link) as a grid of dark modules, drawn as
//! inline SVG on pages and as filled squares in the PDFs.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light margin around the code (ISO/IEC 18004's quiet zone).
pub(crate) const QUIET: usize = 4;

/// A QR code's modules: `width` × `width`, row by row, `true` for dark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QrGrid {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl QrGrid {
    /// The code of `text` at error-correction level M (15 %: a crumpled printout still
    /// scans). `None` only for text too long for any QR version (never ours: a ticket code
    /// is ~50 characters, a verification link ~60).
    pub(crate) fn new(text: &str) -> Option<QrGrid> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Some(QrGrid { width, dark })
    }

    /// The dark modules' (column, row).
    pub(crate) fn dark_modules(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.dark
            .iter()
            .enumerate()
            .filter(|(_, d)| **d)
            .map(|(i, _)| (i % self.width, i / self.width))
    }

    /// An inline SVG (no script, no style attribute: the CSP allows it), the quiet zone
    /// included, scaled by CSS.
    pub(crate) fn svg(&self, label: &str) -> String {
        let size = self.width + 2 * QUIET;
        let mut d = String::new();
        for (x, y) in self.dark_modules() {
            d.push_str(&format!("M{} {}h1v1h-1z", x + QUIET, y + QUIET));
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
             class=\"qr\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\">\
             <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"{d}\"/></svg>",
            escape(label)
        )
    }
}

/// `label` safe inside an attribute (the SVG is inserted unescaped into the page).
fn escape(label: &str) -> String {
    label
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_code_fits_a_small_code_and_renders_as_svg() {
        let grid = QrGrid::new("CDT1:T2027040100001234:abcdefghijklmnopqrstuv").unwrap();
        assert!(grid.width <= 41, "version ≤ 6 for a code this short");
        // The three finder patterns: the top-left module is dark.
        assert!(grid.dark[0]);
        let svg = grid.svg("准考证 <\"x\">");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("aria-label=\"准考证 &lt;&quot;x&quot;&gt;\""));
        assert!(!svg.contains("style"));
    }
}
