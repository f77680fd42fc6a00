//! A4 pages for the documents: text in the embedded font (left, centred, wrapped), rules,
//! boxes and QR codes, on krilla. The layouts (`ticket_pdf.rs`, `certificate_pdf.rs`) say
//! where things go; this says how they are drawn.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

use super::font::{drawable, pdf_font, width, wrap};
use super::qr::{QUIET, QrGrid};

/// A4 in points.
pub(crate) const PAGE_W: f32 = 595.28;
pub(crate) const PAGE_H: f32 = 841.89;

/// The colours the documents use.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Ink {
    Black,
    Grey,
    Brand,
}

impl Ink {
    fn color(self) -> rgb::Color {
        match self {
            Ink::Black => rgb::Color::new(0x1f, 0x23, 0x28),
            Ink::Grey => rgb::Color::new(0x5f, 0x66, 0x6d),
            Ink::Brand => rgb::Color::new(0x00, 0x52, 0xd9),
        }
    }

    fn fill(self) -> Fill {
        Fill {
            paint: self.color().into(),
            ..Fill::default()
        }
    }
}

/// One page being drawn; `y` grows downwards from the top edge (krilla's coordinates).
pub(crate) struct Page<'a> {
    surface: Surface<'a>,
}

impl std::fmt::Debug for Page<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page").finish_non_exhaustive()
    }
}

impl Page<'_> {
    /// `text` with its baseline at (x, y).
    pub(crate) fn text(&mut self, x: f32, y: f32, size: f32, ink: Ink, text: &str) {
        let text = drawable(text);
        if text.trim().is_empty() {
            return;
        }
        self.surface.set_fill(Some(ink.fill()));
        self.surface.draw_text(
            Point::from_xy(x, y),
            pdf_font(),
            size,
            &text,
            false,
            TextDirection::Auto,
        );
    }

    /// `text` centred on the page.
    pub(crate) fn centred(&mut self, y: f32, size: f32, ink: Ink, text: &str) {
        let w = width(&drawable(text), size);
        self.text((PAGE_W - w) / 2.0, y, size, ink, text);
    }

    /// `text` wrapped to `max` points wide from (x, y); answers the baseline after the last
    /// line.
    pub(crate) fn wrapped(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        max: f32,
        ink: Ink,
        text: &str,
    ) -> f32 {
        let mut y = y;
        for line in wrap(&drawable(text), size, max) {
            self.text(x, y, size, ink, &line);
            y += size * 1.45;
        }
        y
    }

    /// A horizontal rule.
    pub(crate) fn rule(&mut self, x: f32, y: f32, w: f32, ink: Ink) {
        self.rect(x, y, w, 0.8, ink);
    }

    /// A filled rectangle.
    pub(crate) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, ink: Ink) {
        let Some(rect) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(ink.fill()));
            self.surface.draw_path(&path);
        }
    }

    /// A rectangle's outline.
    pub(crate) fn frame(&mut self, x: f32, y: f32, w: f32, h: f32, line: f32, ink: Ink) {
        let Some(rect) = Rect::from_xywh(x, y, w, h) else {
            return;
        };
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                paint: ink.color().into(),
                width: line,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
        }
    }

    /// A QR code `size` points wide (quiet zone included) with its top-left corner at (x, y).
    pub(crate) fn qr(&mut self, x: f32, y: f32, size: f32, grid: &QrGrid) {
        let module = size / (grid.width + 2 * QUIET) as f32;
        let mut pb = PathBuilder::new();
        for (col, row) in grid.dark_modules() {
            if let Some(r) = Rect::from_xywh(
                x + (col + QUIET) as f32 * module,
                y + (row + QUIET) as f32 * module,
                module,
                module,
            ) {
                pb.push_rect(r);
            }
        }
        if let Some(path) = pb.finish() {
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(Ink::Black.fill()));
            self.surface.draw_path(&path);
        }
    }
}

/// Draws one A4 page with `draw` and answers the PDF's bytes. `title` is the document's title
/// (shown by viewers); `Err` only if krilla cannot write the file (a defect).
pub(crate) fn one_page_pdf(
    title: &str,
    draw: impl FnOnce(&mut Page<'_>),
) -> Result<Vec<u8>, anyhow::Error> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("zh-CN".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| anyhow::anyhow!("A4 is a valid page size"))?;
    {
        let mut page = document.start_page_with(settings);
        {
            let mut canvas = Page {
                surface: page.surface(),
            };
            draw(&mut canvas);
            canvas.surface.finish();
        }
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow::anyhow!("writing the PDF failed: {e:?}"))
}
