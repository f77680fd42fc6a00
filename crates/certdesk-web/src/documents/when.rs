//! Exam times and dates as the documents write them, in the programme's zone (T1), the date
//! spelled out with its weekday: `2027年4月10日（星期六）09:00–11:00（北京时间）` and
//! `Saturday, 10 April 2027, 09:00–11:00 (Beijing time, UTC+8)`.

use certdesk_domain::Locale;
use certdesk_domain::time::{format_date, programme_zone};
use jiff::Timestamp;
use jiff::civil::Weekday;

fn weekday(w: Weekday, locale: Locale) -> &'static str {
    let (zh, en) = match w {
        Weekday::Monday => ("星期一", "Monday"),
        Weekday::Tuesday => ("星期二", "Tuesday"),
        Weekday::Wednesday => ("星期三", "Wednesday"),
        Weekday::Thursday => ("星期四", "Thursday"),
        Weekday::Friday => ("星期五", "Friday"),
        Weekday::Saturday => ("星期六", "Saturday"),
        Weekday::Sunday => ("星期日", "Sunday"),
    };
    match locale {
        Locale::ZhCn => zh,
        Locale::En => en,
    }
}

/// The exam's date, weekday and times (an exam that ends on a later day says so).
pub(crate) fn exam_time(starts_at: Timestamp, ends_at: Timestamp, locale: Locale) -> String {
    let zone = programme_zone();
    let (s, e) = (starts_at.to_zoned(zone.clone()), ends_at.to_zoned(zone));
    let date = format_date(s.date(), locale);
    let day = weekday(s.weekday(), locale);
    let start = format!("{:02}:{:02}", s.hour(), s.minute());
    let end = if e.date() == s.date() {
        format!("{:02}:{:02}", e.hour(), e.minute())
    } else {
        format!(
            "{} {:02}:{:02}",
            format_date(e.date(), locale),
            e.hour(),
            e.minute()
        )
    };
    match locale {
        Locale::ZhCn => format!("{date}（{day}）{start}–{end}（北京时间）"),
        Locale::En => format!("{day}, {date}, {start}–{end} (Beijing time, UTC+8)"),
    }
}

/// A date with its weekday, as slot pickers write it: `2027年4月10日（星期六）` /
/// `Saturday, 10 April 2027` (I3: candidates pick weekdays).
pub(crate) fn day(ts: Timestamp, locale: Locale) -> String {
    let z = ts.to_zoned(programme_zone());
    let date = format_date(z.date(), locale);
    let day = weekday(z.weekday(), locale);
    match locale {
        Locale::ZhCn => format!("{date}（{day}）"),
        Locale::En => format!("{day}, {date}"),
    }
}

/// A date as certificates write it: `2027年4月11日` / `11 April 2027`.
pub(crate) fn date(ts: Timestamp, locale: Locale) -> String {
    format_date(ts.to_zoned(programme_zone()).date(), locale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exam_times_are_beijing_time_with_the_weekday_spelled_out() {
        let s: Timestamp = "2027-04-10T01:00:00Z".parse().unwrap();
        let e: Timestamp = "2027-04-10T03:00:00Z".parse().unwrap();
        assert_eq!(
            exam_time(s, e, Locale::ZhCn),
            "2027年4月10日（星期六）09:00–11:00（北京时间）"
        );
        assert_eq!(
            exam_time(s, e, Locale::En),
            "Saturday, 10 April 2027, 09:00–11:00 (Beijing time, UTC+8)"
        );
        // 23:00 Beijing time on the 9th, UTC date still the 9th: the local date counts.
        let late: Timestamp = "2027-04-09T16:30:00Z".parse().unwrap();
        assert_eq!(date(late, Locale::ZhCn), "2027年4月10日");
        assert_eq!(day(late, Locale::ZhCn), "2027年4月10日（星期六）");
        assert_eq!(day(late, Locale::En), "Saturday, 10 April 2027");
    }
}
