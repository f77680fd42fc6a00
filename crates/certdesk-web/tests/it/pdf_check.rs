//! Reading the PDFs certdesk writes with Debian's poppler tools, independent of the writer:
//! `pdftoppm` renders the page (it must not be blank) and `pdftotext` extracts its text (the
//! Chinese names must come out as written). The tools are required: a missing one fails the
//! test loudly (`scripts/test` installs poppler-utils), never skips it.

use std::path::Path;
use std::process::Command;

fn run(tool: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} could not run ({e}): install poppler-utils (scripts/test does)")
    });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A rendered and extracted PDF.
pub struct Checked {
    /// Share of the page's pixels that are not (near) white.
    pub ink: f64,
    pub text: String,
    /// The texts of the QR codes on the page, read by an independent decoder (rqrr).
    pub qr_codes: Vec<String>,
}

/// Renders the first page of `pdf` at 100 dpi in greyscale, decodes its QR codes and
/// extracts its text.
pub fn check_pdf(pdf: &[u8]) -> Checked {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = dir.path().join("page");
    run(
        "pdftoppm",
        &[
            "-gray".as_ref(),
            "-r".as_ref(),
            "100".as_ref(),
            "-singlefile".as_ref(),
            file.as_os_str(),
            out.as_os_str(),
        ],
    );
    let (w, h, pixels) = pgm(&dir.path().join("page.pgm"));
    let dark = pixels.iter().filter(|p| **p < 160).count();
    let ink = dark as f64 / (w * h) as f64;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let qr_codes = img
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect();
    // For a person to look at: CERTDESK_KEEP_PDF=DIR keeps every PDF checked.
    if let Some(keep) = std::env::var_os("CERTDESK_KEEP_PDF") {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("{}-{n}.pdf", std::process::id());
        let _ = std::fs::write(Path::new(&keep).join(name), pdf);
    }
    let text = run("pdftotext", &[file.as_os_str(), "-".as_ref()]);
    Checked {
        ink,
        text: String::from_utf8(text).expect("pdftotext writes UTF-8"),
        qr_codes,
    }
}

/// A binary PGM (`P5`, 8-bit) as pdftoppm writes it: width, height, pixels.
fn pgm(pgm: &Path) -> (usize, usize, Vec<u8>) {
    let data = std::fs::read(pgm).unwrap();
    // Header: "P5", width, height, maxval, each separated by whitespace, then one byte.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    assert_eq!(fields[0], "P5", "pdftoppm -gray writes PGM");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = data[i + 1..].to_vec();
    assert_eq!(pixels.len(), w * h);
    (w, h, pixels)
}
