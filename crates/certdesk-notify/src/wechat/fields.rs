//! Fitting values to the limits of template keywords. A value that breaks its keyword's
//! limits makes the vendor refuse the whole message (errcode 47003), so values are cut here
//! rather than lost there.
//!
//! Limits (the "类目模板消息" parameter table the send-message doc links to; the keyword type
//! is the name's prefix, `thing1` is a `thing`):
//! - `thing`: ≤ 20 characters, Chinese, letters, digits or symbols;
//! - `character_string`: ≤ 32 digits, letters or symbols, no Chinese;
//! - `time`: 24-hour time, optionally with the date: `15:01` or `2019年10月1日 15:01`;
//! - others we do not use yet: `number` ≤ 32 digits, `phrase` ≤ 5 Chinese characters,
//!   `amount` a currency sign and ≤ 10 digits, `phone_number` ≤ 17, `name` ≤ 10 Chinese.
//!
//! No value may hold a line break or other control character.

use certdesk_domain::time::programme_zone;
use jiff::Timestamp;

pub const THING_MAX_CHARS: usize = 20;
pub const CHARACTER_STRING_MAX_CHARS: usize = 32;

/// A `thing` value: control characters dropped, cut to 20 characters with `…` as the last.
pub fn thing(value: &str) -> String {
    let clean: Vec<char> = value.chars().filter(|c| !c.is_control()).collect();
    if clean.len() <= THING_MAX_CHARS {
        return clean.into_iter().collect();
    }
    let mut cut: String = clean[..THING_MAX_CHARS - 1].iter().collect();
    cut.push('…');
    cut
}

/// A `character_string` value: printable ASCII only (no spaces), cut to 32.
pub fn character_string(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_graphic)
        .take(CHARACTER_STRING_MAX_CHARS)
        .collect()
}

/// A `time` value in Beijing time, as the docs write it: `2026年12月12日 09:00`.
pub fn time(at: Timestamp) -> String {
    at.to_zoned(programme_zone())
        .strftime("%Y年%-m月%-d日 %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thing_is_cut_to_twenty_characters() {
        assert_eq!(thing("CAA-101 云架构师"), "CAA-101 云架构师");
        let long = thing("云计算架构师认证考试(高级)北京第一考点二号楼三层");
        assert_eq!(long.chars().count(), 20);
        assert!(long.starts_with("云计算架构师认证考试"));
        assert!(long.ends_with('…'));
        assert_eq!(thing("第一行\n第二行"), "第一行第二行");
        assert_eq!(thing(&"字".repeat(20)), "字".repeat(20));
    }

    #[test]
    fn a_character_string_keeps_printable_ascii_up_to_32() {
        assert_eq!(character_string("REG-2026-000042"), "REG-2026-000042");
        assert_eq!(character_string("编号 A-1"), "A-1");
        assert_eq!(character_string(&"9".repeat(40)).len(), 32);
    }

    #[test]
    fn a_time_is_written_in_beijing_time() {
        let at: Timestamp = "2026-12-12T01:00:00Z".parse().unwrap();
        assert_eq!(time(at), "2026年12月12日 09:00");
        let at: Timestamp = "2026-09-30T16:05:00Z".parse().unwrap();
        assert_eq!(time(at), "2026年10月1日 00:05");
    }
}
