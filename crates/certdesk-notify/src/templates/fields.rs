//! The short facts SMS and WeChat templates carry: names, instants and amounts in the
//! recipient's language, Beijing time.

use certdesk_domain::Locale;
use certdesk_domain::time::{format_date, programme_zone};
use jiff::Timestamp;

use crate::message::CertificationNames;

/// `2027年3月10日 09:00` / `10 March 2027 09:00`, Beijing time.
pub(crate) fn when(ts: Timestamp, locale: Locale) -> String {
    let z = ts.to_zoned(programme_zone());
    format!(
        "{} {:02}:{:02}",
        format_date(z.date(), locale),
        z.hour(),
        z.minute()
    )
}

pub(crate) fn name(certification: &CertificationNames, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => certification.zh.clone(),
        Locale::En => certification.en.clone(),
    }
}

/// At most `max` characters, an ellipsis marking a cut (vendors refuse longer variables).
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub(crate) fn pick(locale: Locale, zh: &str, en: &str) -> String {
    match locale {
        Locale::ZhCn => zh.to_owned(),
        Locale::En => en.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_beijing_time_and_clips_count_characters() {
        let t: Timestamp = "2027-03-10T01:00:00Z".parse().unwrap();
        assert_eq!(when(t, Locale::ZhCn), "2027年3月10日 09:00");
        assert_eq!(when(t, Locale::En), "10 March 2027 09:00");
        assert_eq!(clip("云计算架构师认证", 5), "云计算架…");
        assert_eq!(clip("短", 5), "短");
    }
}
