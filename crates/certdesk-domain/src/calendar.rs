//! B1/B2: the business calendar — which dates are working days — shipped with the official
//! holiday data (holiday-cn, MIT; see `data/holiday-cn/SOURCE.md`) and editable by operators
//! in memory (persisting the edits is the store's job).
//!
//! A year is *known* when its announcement file lists days (or an operator declares it known).
//! A date in an unknown year is judged Monday–Friday only, and every answer says whether such a
//! fallback was used, so the admin dashboard can warn (B1).

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::sync::OnceLock;

/// How a listed date differs from the Monday–Friday rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday or a rest day of one (法定节假日及调休休息日): not a business day.
    Holiday,
    /// A weekend date declared a working day (调休上班): a business day.
    MakeUpWorkday,
    /// Follows the Monday–Friday rule; an operator uses it to undo a shipped entry.
    Ordinary,
}

/// Operators' edits, kept apart from the shipped data so they can be saved and re-applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarOverrides {
    /// Dates whose kind an operator set; they win over the shipped data.
    pub days: BTreeMap<Date, DayKind>,
    /// Years an operator declared complete (e.g. after entering the State Council's notice).
    pub known_years: BTreeSet<i16>,
}

/// An answer of the calendar, with whether it leaned on the Monday–Friday fallback (B1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judged<T> {
    pub value: T,
    /// True when some date that decided the answer lies in a year the calendar does not know
    /// and is not listed: it was judged Monday–Friday only.
    pub fallback: bool,
}

/// One listed date, for the operators' calendar page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedDay {
    pub date: Date,
    pub kind: DayKind,
    /// The holiday's name from the shipped data (`春节`), if any.
    pub name: Option<String>,
    /// True when an operator's edit decided it.
    pub overridden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Shipped {
    days: BTreeMap<Date, (DayKind, String)>,
    known_years: BTreeSet<i16>,
}

/// B1: the business calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    shipped: &'static Shipped,
    overrides: CalendarOverrides,
}

#[derive(serde::Deserialize)]
struct HolidayFile {
    year: i16,
    days: Vec<HolidayDay>,
}

#[derive(serde::Deserialize)]
struct HolidayDay {
    name: String,
    date: Date,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// The holiday-cn files, keyed by announcement year (2023.json also holds 2022-12-31).
const HOLIDAY_FILES: &[&str] = &[
    include_str!("../data/holiday-cn/2023.json"),
    include_str!("../data/holiday-cn/2024.json"),
    include_str!("../data/holiday-cn/2025.json"),
    include_str!("../data/holiday-cn/2026.json"),
    include_str!("../data/holiday-cn/2027.json"),
];

fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let mut out = Shipped {
            days: BTreeMap::new(),
            known_years: BTreeSet::new(),
        };
        for text in HOLIDAY_FILES {
            // The files are compiled in and checked by tests; a bad one is a build defect.
            let file: HolidayFile =
                serde_json::from_str(text).expect("bundled holiday file parses");
            // An empty file is an unannounced year (2027 today), not a year without holidays.
            if !file.days.is_empty() {
                out.known_years.insert(file.year);
            }
            for day in file.days {
                let kind = if day.is_off_day {
                    DayKind::Holiday
                } else {
                    DayKind::MakeUpWorkday
                };
                out.days.insert(day.date, (kind, day.name));
            }
        }
        out
    })
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar::bundled()
    }
}

impl BusinessCalendar {
    /// The shipped official data, without edits.
    pub fn bundled() -> BusinessCalendar {
        BusinessCalendar {
            shipped: shipped(),
            overrides: CalendarOverrides::default(),
        }
    }

    /// The shipped data with operators' edits applied on top.
    pub fn with_overrides(overrides: CalendarOverrides) -> BusinessCalendar {
        BusinessCalendar {
            shipped: shipped(),
            overrides,
        }
    }

    /// An operator sets one date's kind (in memory).
    pub fn set_day(&mut self, date: Date, kind: DayKind) {
        self.overrides.days.insert(date, kind);
    }

    /// Undoes an operator's edit: the shipped data decides again.
    pub fn clear_day(&mut self, date: Date) {
        self.overrides.days.remove(&date);
    }

    /// An operator declares a year complete: its unlisted dates are no longer a fallback.
    pub fn mark_year_known(&mut self, year: i16) {
        self.overrides.known_years.insert(year);
    }

    pub fn overrides(&self) -> &CalendarOverrides {
        &self.overrides
    }

    /// B1: whether the calendar has the official data for `year`.
    pub fn knows_year(&self, year: i16) -> bool {
        self.shipped.known_years.contains(&year) || self.overrides.known_years.contains(&year)
    }

    /// The years touched by `range` that the calendar does not know (for the dashboard's
    /// warning), ascending.
    pub fn unknown_years_in(&self, range: RangeInclusive<Date>) -> Vec<i16> {
        (range.start().year()..=range.end().year())
            .filter(|y| !self.knows_year(*y))
            .collect()
    }

    /// The listed kind of `date`: an operator's edit, else the shipped entry.
    fn listed(&self, date: Date) -> Option<DayKind> {
        self.overrides
            .days
            .get(&date)
            .copied()
            .or_else(|| self.shipped.days.get(&date).map(|d| d.0))
    }

    /// B1: whether `date` is a business day, and whether that was a Monday–Friday fallback.
    pub fn judge(&self, date: Date) -> Judged<bool> {
        let weekday = !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday);
        match self.listed(date) {
            Some(DayKind::Holiday) => Judged {
                value: false,
                fallback: false,
            },
            Some(DayKind::MakeUpWorkday) => Judged {
                value: true,
                fallback: false,
            },
            Some(DayKind::Ordinary) => Judged {
                value: weekday,
                fallback: false,
            },
            None => Judged {
                value: weekday,
                fallback: !self.knows_year(date.year()),
            },
        }
    }

    /// B1.
    pub fn is_business_day(&self, date: Date) -> bool {
        self.judge(date).value
    }

    /// The `n`-th business day strictly after `date` (n = 0 → `date` itself). Saturates at
    /// the end of jiff's range rather than panicking.
    pub fn judge_nth_business_day_after(&self, date: Date, n: u32) -> Judged<Date> {
        let mut fallback = false;
        let mut day = date;
        let mut left = n;
        while left > 0 {
            let Ok(next) = day.tomorrow() else { break };
            day = next;
            let j = self.judge(day);
            fallback |= j.fallback;
            if j.value {
                left -= 1;
            }
        }
        Judged {
            value: day,
            fallback,
        }
    }

    pub fn nth_business_day_after(&self, date: Date, n: u32) -> Date {
        self.judge_nth_business_day_after(date, n).value
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day_after(&self, date: Date) -> Date {
        self.nth_business_day_after(date, 1)
    }

    /// The last business day strictly before `date`.
    pub fn judge_previous_business_day(&self, date: Date) -> Judged<Date> {
        let mut fallback = false;
        let mut day = date;
        while let Ok(prev) = day.yesterday() {
            day = prev;
            let j = self.judge(day);
            fallback |= j.fallback;
            if j.value {
                break;
            }
        }
        Judged {
            value: day,
            fallback,
        }
    }

    pub fn previous_business_day(&self, date: Date) -> Date {
        self.judge_previous_business_day(date).value
    }

    /// B2: "within `n` business days after `ts`" — the end (24:00) of the n-th business day
    /// after the date of `ts` in `zone`, an exclusive deadline (T4). Friday 15:00 before a
    /// normal weekend, n = 1 → Monday 24:00.
    pub fn judge_end_of_nth_business_day_after(
        &self,
        ts: Timestamp,
        n: u32,
        zone: &TimeZone,
    ) -> Judged<Timestamp> {
        let date = crate::time::local_date_in(ts, zone);
        let day = self.judge_nth_business_day_after(date, n);
        Judged {
            value: crate::time::end_of_day_in(day.value, zone),
            fallback: day.fallback,
        }
    }

    pub fn end_of_nth_business_day_after(
        &self,
        ts: Timestamp,
        n: u32,
        zone: &TimeZone,
    ) -> Timestamp {
        self.judge_end_of_nth_business_day_after(ts, n, zone).value
    }

    /// Every listed date of `year` (shipped and edited), ascending.
    pub fn listed_days(&self, year: i16) -> Vec<ListedDay> {
        let in_year = |d: &&Date| d.year() == year;
        let dates: BTreeSet<Date> = self
            .shipped
            .days
            .keys()
            .filter(in_year)
            .chain(self.overrides.days.keys().filter(in_year))
            .copied()
            .collect();
        dates
            .into_iter()
            .filter_map(|date| {
                let name = self.shipped.days.get(&date).map(|d| d.1.clone());
                Some(ListedDay {
                    date,
                    kind: self.listed(date)?,
                    name,
                    overridden: self.overrides.days.contains_key(&date),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn b1_shipped_data_parses_with_expected_counts() {
        let cal = BusinessCalendar::bundled();
        let make_up = |y| {
            cal.listed_days(y)
                .iter()
                .filter(|d| d.kind == DayKind::MakeUpWorkday)
                .count()
        };
        // SOURCE.md: make-up workdays 2023: 7, 2024: 8, 2025: 5, 2026: 6 (2023's 7 includes none
        // from 2022, whose 12-31 is a holiday).
        assert_eq!(
            [make_up(2023), make_up(2024), make_up(2025), make_up(2026)],
            [7, 8, 5, 6]
        );
        for y in 2023..=2026 {
            assert!(cal.knows_year(y), "{y}");
        }
        assert!(!cal.knows_year(2027));
        assert!(!cal.knows_year(2022));
    }

    #[test]
    fn b1_date_listed_in_next_years_file() {
        // 2022-12-31 is a Saturday listed in 2023.json as 元旦.
        let cal = BusinessCalendar::bundled();
        let j = cal.judge(date(2022, 12, 31));
        assert_eq!(
            j,
            Judged {
                value: false,
                fallback: false
            }
        );
        let listed = cal.listed_days(2022);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name.as_deref(), Some("元旦"));
    }

    #[test]
    fn b1_saturates_at_the_end_of_time() {
        let cal = BusinessCalendar::bundled();
        assert_eq!(cal.nth_business_day_after(Date::MAX, 3), Date::MAX);
        assert_eq!(cal.previous_business_day(Date::MIN), Date::MIN);
    }
}
