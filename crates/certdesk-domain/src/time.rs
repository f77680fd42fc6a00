//! T1/T2/T4: the programme's time zone, calendar-month and day arithmetic, and how deadlines
//! are written on pages. Pure: "now" is always passed in (T3).

use crate::refusal::Locale;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp, ToSpan};
use std::sync::OnceLock;

/// T1: `Asia/Shanghai`, from the tzdb bundled into the binary (works on a bare machine).
/// Should even the bundle fail, UTC+8 stands in: Shanghai has had no DST since 1991.
pub fn programme_zone() -> TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| {
        TimeZone::get("Asia/Shanghai").unwrap_or_else(|_| TimeZone::fixed(tz::offset(8)))
    })
    .clone()
}

/// T2: `ts` moved by `n` calendar months in the programme zone, the day clamped to the month's
/// end (2027-05-31 − 3 months = 2027-02-28), the wall-clock time kept.
pub fn add_months(ts: Timestamp, n: i32) -> Timestamp {
    add_months_in(ts, n, &programme_zone())
}

/// [`add_months`] in a given zone. Saturates at jiff's range instead of panicking (E2).
pub fn add_months_in(ts: Timestamp, n: i32, zone: &TimeZone) -> Timestamp {
    ts.to_zoned(zone.clone())
        .checked_add(n.months())
        .map(|z| z.timestamp())
        .unwrap_or(if n < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
}

/// T2: "N days" is N × 24 hours.
pub fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n.saturating_mul(24))
}

/// `ts + d`, saturating at jiff's range (E2: no input makes a rule panic).
pub fn saturating_add(ts: Timestamp, d: SignedDuration) -> Timestamp {
    ts.checked_add(d).unwrap_or(if d.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// `ts - d`, saturating at jiff's range.
pub fn saturating_sub(ts: Timestamp, d: SignedDuration) -> Timestamp {
    ts.checked_sub(d).unwrap_or(if d.is_negative() {
        Timestamp::MAX
    } else {
        Timestamp::MIN
    })
}

/// T1: the date of `ts` in the programme zone.
pub fn local_date(ts: Timestamp) -> Date {
    local_date_in(ts, &programme_zone())
}

pub fn local_date_in(ts: Timestamp, zone: &TimeZone) -> Date {
    ts.to_zoned(zone.clone()).date()
}

/// The start (00:00) of `date` in the programme zone.
pub fn start_of_day(date: Date) -> Timestamp {
    start_of_day_in(date, &programme_zone())
}

pub fn start_of_day_in(date: Date, zone: &TimeZone) -> Timestamp {
    date.to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

/// B2: the end (24:00) of `date` in the programme zone, i.e. the next day's 00:00 — an
/// exclusive deadline (T4).
pub fn end_of_day(date: Date) -> Timestamp {
    end_of_day_in(date, &programme_zone())
}

pub fn end_of_day_in(date: Date, zone: &TimeZone) -> Timestamp {
    date.tomorrow()
        .map(|d| start_of_day_in(d, zone))
        .unwrap_or(Timestamp::MAX)
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date as pages write it: zh `2027年3月10日`, en `10 March 2027`.
pub fn format_date(date: Date, locale: Locale) -> String {
    match locale {
        Locale::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Locale::En => {
            let month = MONTHS_EN[usize::try_from(date.month() - 1).unwrap_or(0)];
            format!("{} {month} {}", date.day(), date.year())
        }
    }
}

/// T4/E3: a deadline instant as pages write it, in the programme zone:
/// zh `2027年3月10日 09:00（北京时间）`, en `09:00, 10 March 2027 (UTC+8)`.
/// Seconds are not shown; deadlines are set on whole minutes.
pub fn format_deadline(ts: Timestamp, locale: Locale) -> String {
    let z = ts.to_zoned(programme_zone());
    let date = format_date(z.date(), locale);
    let hm = format!("{:02}:{:02}", z.hour(), z.minute());
    match locale {
        Locale::ZhCn => format!("{date} {hm}（北京时间）"),
        Locale::En => format!("{hm}, {date} (UTC+8)"),
    }
}

/// T1: an instant as the API speaks it, RFC 3339 with the programme zone's offset
/// (`2027-03-10T09:00:00+08:00`).
pub fn format_rfc3339(ts: Timestamp) -> String {
    ts.to_zoned(programme_zone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(s: &str) -> Timestamp {
        // `s` is a programme-zone wall time: "2027-05-31 09:00".
        let dt: jiff::civil::DateTime = s.parse().unwrap();
        dt.to_zoned(programme_zone()).unwrap().timestamp()
    }

    #[test]
    fn t1_zone_is_shanghai_utc8() {
        let z = programme_zone();
        assert_eq!(z.iana_name(), Some("Asia/Shanghai"));
        let ts: Timestamp = "2027-03-10T01:00:00Z".parse().unwrap();
        assert_eq!(ts.to_zoned(z).hour(), 9);
    }

    #[test]
    fn t2_months_clamp_to_month_end() {
        assert_eq!(
            add_months(at("2027-05-31 09:00"), -3),
            at("2027-02-28 09:00")
        );
        assert_eq!(
            add_months(at("2028-05-31 09:00"), -3),
            at("2028-02-29 09:00")
        );
        assert_eq!(
            add_months(at("2027-11-30 14:30"), 3),
            at("2028-02-29 14:30")
        );
        assert_eq!(
            add_months(at("2027-01-31 09:00"), 1),
            at("2027-02-28 09:00")
        );
        assert_eq!(
            add_months(at("2027-03-15 09:00"), 0),
            at("2027-03-15 09:00")
        );
        assert_eq!(
            add_months(at("2027-12-31 23:59"), 2),
            at("2028-02-29 23:59")
        );
        assert_eq!(add_months(Timestamp::MAX, 1), Timestamp::MAX);
        assert_eq!(add_months(Timestamp::MIN, -1), Timestamp::MIN);
    }

    #[test]
    fn t2_days_are_24_hours() {
        assert_eq!(days(10), SignedDuration::from_hours(240));
        assert_eq!(
            saturating_sub(at("2027-03-20 09:00"), days(10)),
            at("2027-03-10 09:00")
        );
        assert_eq!(saturating_add(Timestamp::MAX, days(1)), Timestamp::MAX);
    }

    #[test]
    fn b2_end_of_day_is_next_midnight() {
        assert_eq!(end_of_day(date(2027, 3, 10)), at("2027-03-11 00:00"));
        assert_eq!(end_of_day(date(2027, 12, 31)), at("2028-01-01 00:00"));
        assert_eq!(start_of_day(date(2027, 3, 10)), at("2027-03-10 00:00"));
        // 23:59:59 local is still that date; 24:00 is the next.
        let last = at("2027-03-10 23:59:59");
        assert_eq!(local_date(last), date(2027, 3, 10));
        assert_eq!(local_date(end_of_day(date(2027, 3, 10))), date(2027, 3, 11));
        // 16:00 UTC is already midnight in Shanghai.
        assert_eq!(
            local_date("2027-03-10T16:00:00Z".parse().unwrap()),
            date(2027, 3, 11)
        );
    }

    #[test]
    fn t4_deadlines_read_as_pages_show_them() {
        let ts = at("2027-03-10 09:00");
        assert_eq!(
            format_deadline(ts, Locale::ZhCn),
            "2027年3月10日 09:00（北京时间）"
        );
        assert_eq!(
            format_deadline(ts, Locale::En),
            "09:00, 10 March 2027 (UTC+8)"
        );
        assert_eq!(
            format_date(date(2026, 12, 1), Locale::En),
            "1 December 2026"
        );
        assert_eq!(
            format_date(date(2026, 12, 1), Locale::ZhCn),
            "2026年12月1日"
        );
        assert_eq!(
            format_deadline(end_of_day(date(2027, 3, 10)), Locale::En),
            "00:00, 11 March 2027 (UTC+8)"
        );
    }
}
