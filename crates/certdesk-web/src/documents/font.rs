//! The one font the PDFs embed (O4 tickets, O9 certificates): Noto Sans CJK SC cut down to
//! GB2312, ASCII, Latin-1 and CJK punctuation (`assets/fonts/`, OFL 1.1, rebuilt by
//! `scripts/subset-pdf-font`), compiled into the binary so `cargo run` needs nothing installed.
//!
//! **Decision — a character outside the subset** (a rare hanzi in a name, say 𠮷) is drawn as
//! `□` (U+25A1, in the subset) rather than as an invisible `.notdef`: the reader sees that a
//! character is missing instead of a silently shortened name, and the verification link
//! (certificates) or the ticket number (tickets) leads to the exact record. The PDF is still
//! produced; the count of substituted characters is logged (never the text: it may be a name).

use std::sync::OnceLock;

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// The subset's bytes.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-GB2312.otf");

/// What stands for a character the font lacks.
pub(crate) const MISSING: char = '\u{25A1}';

/// krilla's handle on the embedded font (parsed once).
pub(crate) fn pdf_font() -> Font {
    static FONT: OnceLock<Font> = OnceLock::new();
    FONT.get_or_init(|| {
        Font::new(FONT_BYTES.into(), 0).expect("the embedded PDF font is a valid OpenType font")
    })
    .clone()
}

fn font_ref() -> FontRef<'static> {
    FontRef::from_index(FONT_BYTES, 0).expect("the embedded PDF font is a valid OpenType font")
}

/// Whether the embedded font draws `c`.
#[cfg(test)]
pub(crate) fn covers(c: char) -> bool {
    font_ref().charmap().map(c).is_some()
}

/// `text` as the font can draw it: control characters dropped, every character the font
/// lacks replaced by [`MISSING`].
pub(crate) fn drawable(text: &str) -> String {
    let charmap = font_ref().charmap();
    let mut missing = 0usize;
    let out: String = text
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c == ' ' || charmap.map(c).is_some() {
                c
            } else {
                missing += 1;
                MISSING
            }
        })
        .collect();
    if missing > 0 {
        tracing::warn!(
            missing,
            "PDF text has characters outside the embedded font; drawn as □"
        );
    }
    out
}

/// The width of `text` at `size` points (the font's advances, no kerning: close enough to
/// centre and wrap lines).
pub(crate) fn width(text: &str, size: f32) -> f32 {
    let font = font_ref();
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size)
        })
        .sum()
}

/// `text` broken into lines no wider than `max` points: anywhere between hanzi (Chinese has
/// no spaces to break at), but never inside a run of Latin letters, digits or ASCII marks
/// (`Associate`, `09:00`), which moves to the next line whole; spaces at a break are dropped.
pub(crate) fn wrap(text: &str, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        if width(&candidate, size) <= max || line.is_empty() {
            line = candidate;
            continue;
        }
        if c == ' ' {
            lines.push(std::mem::take(&mut line));
            continue;
        }
        // The unbreakable run the new character extends (ASCII, no spaces).
        let run = if c.is_ascii_graphic() {
            line.chars()
                .rev()
                .take_while(char::is_ascii_graphic)
                .map(char::len_utf8)
                .sum::<usize>()
        } else {
            0
        };
        let at = line.len() - run;
        if run > 0 && at > 0 {
            let rest = line[at..].to_owned();
            lines.push(line[..at].trim_end().to_owned());
            line = rest;
        } else {
            lines.push(line.trim_end().to_owned());
            line = String::new();
        }
        line.push(c);
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_covers_gb2312_names_ascii_and_cjk_punctuation() {
        for c in "张三李雷韩梅梅欧阳娜娜亍丌ABCxyz0189@-.,，。、：；（）《》“”".chars()
        {
            assert!(covers(c), "{c} is not in the embedded font");
        }
        assert!(covers(MISSING));
    }

    #[test]
    fn a_character_outside_the_subset_is_drawn_as_a_box() {
        // 𠮷 (U+20BB7) is a real surname character outside GB2312.
        assert!(!covers('𠮷'));
        assert_eq!(drawable("𠮷张三\n"), "□张三");
    }

    #[test]
    fn long_text_wraps_between_hanzi_and_at_latin_spaces() {
        let zh = "广东省深圳市南山区科技园科苑路八号腾讯滨海大厦考点三楼";
        let lines = wrap(zh, 10.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), zh);
        assert!(lines.iter().all(|l| width(l, 10.0) <= 100.0));
        let en = wrap("Tencent Cloud Certified Developer Associate", 10.0, 120.0);
        assert!(en.iter().all(|l| !l.starts_with(' ') && !l.ends_with(' ')));
        assert_eq!(en.join(" "), "Tencent Cloud Certified Developer Associate");
        // A time stays whole: the line breaks before `09:00–11:00`, not inside it.
        let time = "2027年4月10日（星期六）09:00–11:00（北京时间）";
        let lines = wrap(time, 12.0, 200.0);
        assert_eq!(lines.concat(), time);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("09:00") || l.starts_with("11:00")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .all(|l| !l.ends_with(":0") && !l.ends_with("11:0")),
            "{lines:?}"
        );
    }
}
