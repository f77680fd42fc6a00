//! B1/B2 on the official 2026 calendar, the Monday–Friday fallback for unknown 2027, and edits.

use super::at;
use certdesk_domain::time::programme_zone;
use certdesk_domain::{BusinessCalendar, CalendarOverrides, DayKind, Judged};
use jiff::civil::date;

#[test]
fn b1_2026_make_up_workdays_are_business_days() {
    let cal = BusinessCalendar::bundled();
    for (m, d) in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)] {
        assert_eq!(
            cal.judge(date(2026, m, d)),
            Judged {
                value: true,
                fallback: false
            },
            "2026-{m}-{d}"
        );
    }
}

#[test]
fn b1_2026_holidays_are_not_business_days() {
    let cal = BusinessCalendar::bundled();
    let holidays = [
        (1, 1),
        (1, 2),
        (2, 16),
        (2, 20),
        (2, 23),
        (4, 6),
        (5, 1),
        (5, 4),
        (5, 5),
        (6, 19),
        (9, 25),
        (10, 1),
        (10, 5),
        (10, 7),
    ];
    for (m, d) in holidays {
        assert_eq!(
            cal.judge(date(2026, m, d)),
            Judged {
                value: false,
                fallback: false
            },
            "2026-{m}-{d}"
        );
    }
    // Ordinary days keep the Monday–Friday rule, without fallback.
    assert_eq!(
        cal.judge(date(2026, 3, 7)),
        Judged {
            value: false,
            fallback: false
        }
    ); // Saturday
    assert_eq!(
        cal.judge(date(2026, 3, 9)),
        Judged {
            value: true,
            fallback: false
        }
    ); // Monday
}

#[test]
fn b1_unknown_2027_falls_back_to_monday_to_friday_and_says_so() {
    let cal = BusinessCalendar::bundled();
    assert!(!cal.knows_year(2027));
    // 2027-02-08 is a Monday (in reality likely Spring Festival, but 2027 is not announced).
    assert_eq!(
        cal.judge(date(2027, 2, 8)),
        Judged {
            value: true,
            fallback: true
        }
    );
    assert_eq!(
        cal.judge(date(2027, 2, 6)),
        Judged {
            value: false,
            fallback: true
        }
    );
    assert_eq!(
        cal.unknown_years_in(date(2026, 12, 1)..=date(2027, 3, 31)),
        vec![2027]
    );
    // B2 from Friday 2027-01-29 → Monday 02-01 24:00, flagged as a fallback.
    let due = cal.judge_end_of_nth_business_day_after(at("2027-01-29 15:00"), 1, &programme_zone());
    assert_eq!(
        due,
        Judged {
            value: at("2027-02-02 00:00"),
            fallback: true
        }
    );
    // An answer that only touches 2026 is not a fallback, even if it starts near the year end.
    let due = cal.judge_end_of_nth_business_day_after(at("2026-12-29 15:00"), 1, &programme_zone());
    assert_eq!(
        due,
        Judged {
            value: at("2026-12-31 00:00"),
            fallback: false
        }
    );
}

#[test]
fn b2_friday_15_00_before_a_normal_weekend_is_monday_24_00() {
    let cal = BusinessCalendar::bundled();
    let due = cal.end_of_nth_business_day_after(at("2026-03-13 15:00"), 1, &programme_zone());
    assert_eq!(due, at("2026-03-17 00:00"));
}

#[test]
fn b2_across_spring_festival_2026() {
    let cal = BusinessCalendar::bundled();
    let z = programme_zone();
    // Thursday 02-12 → Friday 02-13, make-up Saturday 02-14, then nothing until Tuesday 02-24.
    assert_eq!(
        cal.nth_business_day_after(date(2026, 2, 12), 1),
        date(2026, 2, 13)
    );
    assert_eq!(
        cal.nth_business_day_after(date(2026, 2, 12), 2),
        date(2026, 2, 14)
    );
    assert_eq!(
        cal.nth_business_day_after(date(2026, 2, 12), 3),
        date(2026, 2, 24)
    );
    assert_eq!(
        cal.end_of_nth_business_day_after(at("2026-02-14 17:00"), 1, &z),
        at("2026-02-25 00:00")
    );
    assert_eq!(
        cal.previous_business_day(date(2026, 2, 24)),
        date(2026, 2, 14)
    );
    // Make-up Saturday 02-28 follows Friday 02-27.
    assert_eq!(
        cal.next_business_day_after(date(2026, 2, 27)),
        date(2026, 2, 28)
    );
}

#[test]
fn b2_across_national_day_2026() {
    let cal = BusinessCalendar::bundled();
    let z = programme_zone();
    assert_eq!(
        cal.next_business_day_after(date(2026, 9, 30)),
        date(2026, 10, 8)
    );
    assert_eq!(
        cal.nth_business_day_after(date(2026, 9, 30), 3),
        date(2026, 10, 10)
    );
    assert_eq!(
        cal.nth_business_day_after(date(2026, 9, 30), 4),
        date(2026, 10, 12)
    );
    assert_eq!(
        cal.end_of_nth_business_day_after(at("2026-09-30 23:59:59"), 1, &z),
        at("2026-10-09 00:00")
    );
    // Mid-Autumn then National Day: from Thursday 09-24 the next business day is Monday 09-28.
    assert_eq!(
        cal.next_business_day_after(date(2026, 9, 24)),
        date(2026, 9, 28)
    );
    assert_eq!(
        cal.previous_business_day(date(2026, 10, 8)),
        date(2026, 9, 30)
    );
}

#[test]
fn b1_dates_before_2023_use_the_next_years_file() {
    let cal = BusinessCalendar::bundled();
    // 2022-12-30 is a Friday, unlisted, in unknown 2022; 2022-12-31 is listed in 2023.json.
    assert_eq!(
        cal.judge(date(2022, 12, 30)),
        Judged {
            value: true,
            fallback: true
        }
    );
    assert_eq!(
        cal.judge(date(2022, 12, 31)),
        Judged {
            value: false,
            fallback: false
        }
    );
    assert!(!cal.is_business_day(date(2023, 1, 2)));
}

#[test]
fn b1_operators_can_edit_and_undo() {
    let mut cal = BusinessCalendar::bundled();
    let d = date(2027, 2, 8); // a Monday in unknown 2027
    assert_eq!(
        cal.judge(d),
        Judged {
            value: true,
            fallback: true
        }
    );
    cal.set_day(d, DayKind::Holiday);
    assert_eq!(
        cal.judge(d),
        Judged {
            value: false,
            fallback: false
        }
    );
    cal.clear_day(d);
    assert!(cal.is_business_day(d));
    cal.mark_year_known(2027);
    assert_eq!(
        cal.judge(d),
        Judged {
            value: true,
            fallback: false
        }
    );
    assert!(
        cal.unknown_years_in(date(2026, 6, 1)..=date(2027, 6, 1))
            .is_empty()
    );
    // Undo a shipped holiday: 2026-10-01 (Thursday) becomes ordinary.
    cal.set_day(date(2026, 10, 1), DayKind::Ordinary);
    assert!(cal.is_business_day(date(2026, 10, 1)));
    let again = BusinessCalendar::with_overrides(cal.overrides().clone());
    assert_eq!(again, cal);
    let json = serde_json::to_string(cal.overrides()).unwrap();
    let back: CalendarOverrides = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, cal.overrides());
}

#[test]
fn b1_unknown_years_reported() {
    let cal = BusinessCalendar::bundled();
    assert_eq!(
        cal.unknown_years_in(date(2026, 11, 1)..=date(2028, 1, 5)),
        vec![2027, 2028]
    );
    assert!(
        cal.unknown_years_in(date(2024, 1, 1)..=date(2026, 12, 31))
            .is_empty()
    );
}
