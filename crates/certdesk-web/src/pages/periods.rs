//! The exam periods of one certification as its page lists them (O1–O3): the exam time and
//! the registration window in Beijing time (E3: the closing instant is shown before it
//! passes), each city with its seats left and, for a verified candidate, a "报名" link.

use certdesk_domain::{IdentityStatus, Window, WindowPhase};
use certdesk_store::ExamPeriod;
use jiff::Timestamp;

use crate::i18n::T;
use crate::pages::encode_component;

/// What the candidate may do from the period list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Buyer {
    /// Not signed in: "log in to register".
    Anonymous,
    /// Signed in, identity not verified (A1): "verify first", linking to `/identity`.
    Unverified,
    /// May buy.
    Verified,
}

impl Buyer {
    pub(crate) fn new(signed_in: bool, identity: Option<IdentityStatus>) -> Buyer {
        match (signed_in, identity) {
            (false, _) => Buyer::Anonymous,
            (true, Some(IdentityStatus::Verified)) => Buyer::Verified,
            (true, _) => Buyer::Unverified,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CityView {
    pub name: String,
    pub seats_left: u32,
    pub capacity: u32,
    /// `/checkout?period=…&city=…` when the candidate can register here now.
    pub register_url: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct PeriodView {
    pub id: i64,
    pub exam_time: String,
    pub opens: String,
    pub closes: String,
    /// `open`, `not_open`, `closed`.
    pub state: &'static str,
    pub state_label: &'static str,
    pub cities: Vec<CityView>,
}

impl PeriodView {
    pub(crate) fn new(t: T, p: &ExamPeriod, now: Timestamp, buyer: Buyer) -> PeriodView {
        let window = Window::new(p.registration_opens_at, p.registration_closes_at);
        let (state, state_label) = match window.phase(now) {
            WindowPhase::Open => ("open", t.period_open()),
            WindowPhase::NotOpen => ("not_open", t.period_not_open()),
            WindowPhase::Closed => ("closed", t.period_closed()),
        };
        let cities = p
            .cities
            .iter()
            .map(|c| CityView {
                name: c.city.clone(),
                seats_left: c.seats_left(),
                capacity: c.capacity,
                register_url: (buyer == Buyer::Verified && state == "open" && c.seats_left() > 0)
                    .then(|| {
                        format!(
                            "/checkout?period={}&city={}",
                            p.id.get(),
                            encode_component(&c.city)
                        )
                    }),
            })
            .collect();
        PeriodView {
            id: p.id.get(),
            exam_time: exam_time(t, p.starts_at, p.ends_at),
            opens: t.instant(p.registration_opens_at),
            closes: t.instant(p.registration_closes_at),
            state,
            state_label,
            cities,
        }
    }
}

/// `2027年6月12日 09:00（北京时间）– 11:00`: the sitting, its end as a time of day.
pub(crate) fn exam_time(t: T, starts: Timestamp, ends: Timestamp) -> String {
    let end = ends.to_zoned(certdesk_domain::time::programme_zone());
    format!(
        "{} – {:02}:{:02}",
        t.instant(starts),
        end.hour(),
        end.minute()
    )
}
