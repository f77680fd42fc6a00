//! O1/O2/O3: an operator's exam period — its times, its registration window and its cities
//! with seat capacities — parsed into a validated [`ExamPeriodPlan`]; the O3 refusals.

use crate::catalogue::Family;
use crate::policy::Policy;
use crate::refusal::{ErrorCode, LocalizedText, Refusal};
use crate::rules::{Window, registration_window};
use jiff::{SignedDuration, Timestamp};
use std::collections::HashSet;
use std::fmt;

/// Characters that render as nothing (soft hyphen, zero-width and bidi marks, BOM) or break
/// lines: they would make `深圳` and `深圳\u{200B}` two cities that look the same.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// O3: a city an exam period offers (考试城市), e.g. `深圳`. Trimmed (full-width spaces too),
/// 1–32 characters, no control or invisible characters. Case is kept as typed and two cities
/// are the same iff their trimmed forms are equal (`Beijing` ≠ `beijing`: operators choose
/// one spelling; Chinese names, the norm, have no case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct City(String);

impl City {
    pub const MAX_CHARS: usize = 32;

    /// `invalid_field`, field `city`, detail saying what is wrong.
    pub fn parse(input: &str) -> Result<City, Refusal> {
        let city = input.trim();
        let bad = |zh: &'static str, en: &'static str| {
            Refusal::new(ErrorCode::InvalidField)
                .field("city")
                .detail(LocalizedText::fixed(zh, en))
        };
        let n = city.chars().count();
        if n == 0 {
            return Err(bad("请填写城市。", "The city is empty."));
        }
        if n > Self::MAX_CHARS {
            return Err(bad(
                "城市名称最多 32 个字符。",
                "A city name has at most 32 characters.",
            ));
        }
        if city.chars().any(is_invisible) {
            return Err(bad(
                "城市名称含有控制字符或不可见字符。",
                "The city name contains control or invisible characters.",
            ));
        }
        Ok(City(city.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for City {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for City {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        City::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// O3: the seats a (period, city) offers: 1 ..= 100,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Capacity(u32);

impl Capacity {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 100_000;

    /// `invalid_field`, field `capacity`, rule O3.
    pub fn new(seats: i64) -> Result<Capacity, Refusal> {
        match u32::try_from(seats) {
            Ok(n) if (Self::MIN..=Self::MAX).contains(&n) => Ok(Capacity(n)),
            _ => Err(Refusal::new(ErrorCode::InvalidField)
                .field("capacity")
                .rule("O3")
                .detail(LocalizedText::fixed(
                    "考位数须在 1 到 100000 之间。",
                    "The capacity must be between 1 and 100000 seats.",
                ))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// O3: seats left when `confirmed` registrations hold one each (0 when over-full).
    pub fn seats_left(self, confirmed: u64) -> u32 {
        u32::try_from(u64::from(self.0).saturating_sub(confirmed)).unwrap_or(0)
    }
}

impl<'de> serde::Deserialize<'de> for Capacity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        Capacity::new(n).map_err(serde::de::Error::custom)
    }
}

/// One `{city, capacity}` of an operator's period, as typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct CityDraft {
    pub city: String,
    pub capacity: i64,
}

/// An operator's exam period as submitted (`POST /api/v1/admin/exam-periods`; the body's
/// `certification` is the caller's to look up, it gives the [`Family`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ExamPeriodDraft {
    pub starts_at: Timestamp,
    /// The sitting's end; absent, the start plus the certification's exam duration.
    #[serde(default)]
    pub ends_at: Option<Timestamp>,
    pub cities: Vec<CityDraft>,
    #[serde(default)]
    pub registration_opens_at: Option<Timestamp>,
    #[serde(default)]
    pub registration_closes_at: Option<Timestamp>,
}

/// A validated exam period: what the store saves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExamPeriodPlan {
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// O1 (derived) or O2 (the operator's); opens < closes ≤ starts_at.
    pub window: Window,
    /// Unique, in the order given, 1–50 of them.
    pub cities: Vec<(City, Capacity)>,
}

impl ExamPeriodDraft {
    /// At most this many cities per period.
    pub const MAX_CITIES: usize = 50;
    /// An exam sitting lasts at most this long.
    pub const MAX_DURATION: SignedDuration = SignedDuration::from_hours(24);

    /// Validates the draft for a certification of `family` whose exam lasts `exam_duration`:
    /// - ends_at defaults to starts_at + exam_duration, so tickets, calendar files and the
    ///   score promise (O6) use the sitting's real end;
    /// - starts_at + exam_duration ≤ ends_at ≤ starts_at + 24 h (`invalid_period`, field
    ///   `ends_at`): a sitting shorter than its exam cannot hold it;
    /// - O1 (cloud): the window is [`registration_window`]; an operator-supplied window is
    ///   *refused* (`invalid_field`, field `registration_opens_at` or `…_closes_at`, rule O1)
    ///   rather than ignored, so nobody believes a window they typed took effect;
    /// - O2 (specialty): both instants are required (`invalid_field`, rule O2), and
    ///   opens < closes ≤ starts_at (`invalid_period`, rule O2);
    /// - O3: 1–50 cities, each a valid [`City`] with a valid [`Capacity`], no city twice
    ///   (`invalid_field`, field `cities`, the detail naming the city).
    ///
    /// Periods in the past are not refused here: whether one may be created is the caller's.
    pub fn validate(
        &self,
        family: Family,
        exam_duration: SignedDuration,
        policy: &Policy,
    ) -> Result<ExamPeriodPlan, Refusal> {
        let invalid = |field: &'static str, zh: String, en: String| {
            Refusal::new(ErrorCode::InvalidPeriod)
                .field(field)
                .detail(LocalizedText::new(zh, en))
        };
        let ends_at = self.ends_at.unwrap_or(self.starts_at + exam_duration);
        if ends_at <= self.starts_at {
            return Err(invalid(
                "ends_at",
                "结束时间须晚于开始时间。".into(),
                "The end must be after the start.".into(),
            ));
        }
        if ends_at.duration_since(self.starts_at) < exam_duration {
            let minutes = exam_duration.as_mins();
            return Err(invalid(
                "ends_at",
                format!("考试时长 {minutes} 分钟，结束时间不能早于开始后 {minutes} 分钟。"),
                format!("The exam lasts {minutes} minutes; the sitting cannot end sooner."),
            ));
        }
        if ends_at.duration_since(self.starts_at) > Self::MAX_DURATION {
            return Err(invalid(
                "ends_at",
                "一场考试最长 24 小时。".into(),
                "An exam lasts at most 24 hours.".into(),
            ));
        }
        let (window, rule) = self.window(family, policy)?;
        if window.opens_at >= window.closes_at {
            return Err(invalid(
                "registration_closes_at",
                "报名截止时间须晚于报名开放时间。".into(),
                "Registration must close after it opens.".into(),
            )
            .rule(rule));
        }
        if window.closes_at > self.starts_at {
            return Err(invalid(
                "registration_closes_at",
                "报名须在考试开始前截止。".into(),
                "Registration must close no later than the exam starts.".into(),
            )
            .rule(rule));
        }
        Ok(ExamPeriodPlan {
            starts_at: self.starts_at,
            ends_at,
            window,
            cities: self.cities()?,
        })
    }

    /// O1/O2: the window and the rule that decides it.
    fn window(&self, family: Family, policy: &Policy) -> Result<(Window, &'static str), Refusal> {
        let opens = self.registration_opens_at;
        let closes = self.registration_closes_at;
        match family {
            Family::Cloud => {
                let given = match (opens, closes) {
                    (Some(_), _) => Some("registration_opens_at"),
                    (None, Some(_)) => Some("registration_closes_at"),
                    (None, None) => None,
                };
                if let Some(field) = given {
                    let (m, d) = (
                        policy.registration_opens_months_before,
                        policy.registration_closes_days_before,
                    );
                    return Err(Refusal::new(ErrorCode::InvalidField)
                        .field(field)
                        .rule("O1")
                        .detail(LocalizedText::new(
                            format!(
                                "云计算技术认证的报名时间由考试时间决定（考前 {m} 个月开放，考前 {d} 天截止），不能另行设置。"
                            ),
                            format!(
                                "A cloud-family period's registration window follows from its start \
                                 ({m} months to {d} days before) and cannot be set."
                            ),
                        )));
                }
                Ok((registration_window(self.starts_at, policy), "O1"))
            }
            Family::Specialty => {
                let missing = |field: &'static str| {
                    Refusal::new(ErrorCode::InvalidField)
                        .field(field)
                        .rule("O2")
                        .detail(LocalizedText::fixed(
                            "专项认证须设置报名开放和截止时间。",
                            "A specialty period needs its registration opening and closing times.",
                        ))
                };
                let opens = opens.ok_or_else(|| missing("registration_opens_at"))?;
                let closes = closes.ok_or_else(|| missing("registration_closes_at"))?;
                Ok((Window::new(opens, closes), "O2"))
            }
        }
    }

    /// O3: the cities, parsed, capped and unique.
    fn cities(&self) -> Result<Vec<(City, Capacity)>, Refusal> {
        let bad = |detail: LocalizedText| {
            Refusal::new(ErrorCode::InvalidField)
                .field("cities")
                .rule("O3")
                .detail(detail)
        };
        if self.cities.is_empty() {
            return Err(bad(LocalizedText::fixed(
                "请至少提供一个考试城市。",
                "At least one city is required.",
            )));
        }
        if self.cities.len() > Self::MAX_CITIES {
            return Err(bad(LocalizedText::fixed(
                "一个考期最多 50 个城市。",
                "A period offers at most 50 cities.",
            )));
        }
        let mut seen = HashSet::new();
        let mut out = Vec::with_capacity(self.cities.len());
        for (i, draft) in self.cities.iter().enumerate() {
            let n = i + 1;
            let prefixed = |r: Refusal| {
                let d = r.detail.unwrap_or(LocalizedText::fixed("", ""));
                bad(LocalizedText::new(
                    format!("第 {n} 个城市：{}", d.zh),
                    format!("City {n}: {}", d.en),
                ))
            };
            let city = City::parse(&draft.city).map_err(prefixed)?;
            let capacity = Capacity::new(draft.capacity).map_err(prefixed)?;
            if !seen.insert(city.clone()) {
                return Err(bad(LocalizedText::new(
                    format!("城市“{city}”重复。"),
                    format!("The city “{city}” is listed more than once."),
                )));
            }
            out.push((city, capacity));
        }
        Ok(out)
    }
}

/// O3: a `period_id` that names no period (or none on sale): `unknown_period`, 422.
pub fn unknown_period() -> Refusal {
    Refusal::new(ErrorCode::UnknownPeriod)
        .field("period_id")
        .rule("O3")
}

/// O3: the city must be one the period offers (`city_not_offered`, field `city`, 422).
pub fn check_city_offered<'a>(
    offered: impl IntoIterator<Item = &'a City>,
    city: &City,
) -> Result<(), Refusal> {
    if offered.into_iter().any(|c| c == city) {
        Ok(())
    } else {
        Err(Refusal::new(ErrorCode::CityNotOffered)
            .field("city")
            .rule("O3"))
    }
}

/// O3: the (period, city) is full — the store's answer when taking a seat fails.
pub fn no_seats_left() -> Refusal {
    Refusal::new(ErrorCode::NoSeatsLeft)
        .field("city")
        .rule("O3")
}
