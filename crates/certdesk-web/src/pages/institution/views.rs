//! What the institution pages show of institutions, centres, slots and appointments, worded
//! for the reader. Whether a slot can still be booked is asked of I3's own rule
//! (`check_slot_bookable`), so a page never offers what the booking would refuse for its date
//! or start, and marks full slots as full.

use certdesk_domain::rules::check_slot_bookable;
use certdesk_domain::time::local_date;
use certdesk_domain::{BusinessCalendar, ErrorCode, SlotId};
use certdesk_store::{Institution, InstitutionRegistration, Slot, TestCentre};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::documents::when;
use crate::i18n::T;

/// How many weeks ahead the slot lists reach (I3: appointments are booked weeks ahead).
pub(crate) const SLOT_WEEKS: i64 = 8;

/// An institution's contacts, shown wherever its candidates need help (I8, I9).
#[derive(Debug, Clone)]
pub(crate) struct ContactView {
    pub id: i64,
    pub name: String,
    pub hotline: String,
    pub email: String,
}

impl ContactView {
    pub(crate) fn new(i: &Institution) -> ContactView {
        ContactView {
            id: i.id.get(),
            name: i.name.clone(),
            hotline: i.hotline.clone(),
            email: i.email.clone(),
        }
    }
}

/// A test centre as candidates read it (I2).
#[derive(Debug, Clone)]
pub(crate) struct CentreView {
    pub id: i64,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

impl CentreView {
    pub(crate) fn new(c: &TestCentre) -> CentreView {
        CentreView {
            id: c.id.get(),
            name: c.name.clone(),
            city: c.city.clone(),
            address: c.address.clone(),
            contact_name: c.contact_name.clone(),
            contact_phone: c.contact_phone.clone(),
        }
    }

    /// `深圳 · 福田考点`: how selects name a centre.
    pub(crate) fn label(&self) -> String {
        format!("{} · {}", self.city, self.name)
    }
}

/// One slot in a picker.
#[derive(Debug, Clone)]
pub(crate) struct SlotRow {
    pub id: i64,
    /// The date with its weekday, Beijing time.
    pub day: String,
    /// `09:00`, Beijing time.
    pub time: String,
    pub seats_left: u32,
    pub taken: String,
    /// I3 would refuse it as full (`slot_full`).
    pub full: bool,
    /// The appointment the registration holds now.
    pub current: bool,
}

/// The slots worth showing at `now`: those I3 would book and those only full; a slot that
/// has started (or lies on a day that is no business day) is left out, as booking it is
/// refused whatever happens.
pub(crate) fn slot_rows(
    t: T,
    slots: &[Slot],
    now: Timestamp,
    calendar: &BusinessCalendar,
    current: Option<SlotId>,
) -> Vec<SlotRow> {
    slots
        .iter()
        .filter_map(|s| {
            let full = match check_slot_bookable(s.starts_at, s.seats_left(), now, calendar) {
                Ok(_) => false,
                Err(r) if r.code == ErrorCode::SlotFull => true,
                Err(_) => return None,
            };
            let z = s
                .starts_at
                .to_zoned(certdesk_domain::time::programme_zone());
            Some(SlotRow {
                id: s.id.get(),
                day: when::day(s.starts_at, t.0),
                time: format!("{:02}:{:02}", z.hour(), z.minute()),
                seats_left: s.seats_left(),
                taken: t.slot_taken(s.taken, s.capacity),
                full,
                current: Some(s.id) == current,
            })
        })
        .collect()
}

/// The dates a slot list covers: today (Beijing time) and the `SLOT_WEEKS` weeks after,
/// ending no later than `until`'s date when given.
pub(crate) fn coming_dates(now: Timestamp, until: Option<Timestamp>) -> Option<(Date, Date)> {
    let from = local_date(now);
    let mut to = from
        .checked_add(jiff::Span::new().days(SLOT_WEEKS * 7 - 1))
        .ok()?;
    if let Some(until) = until {
        to = to.min(local_date(until));
    }
    (to >= from).then_some((from, to))
}

/// An appointment as pages say it: the centre, its address, and the exam's date, weekday
/// and times spelled out in Beijing time.
#[derive(Debug, Clone)]
pub(crate) struct AppointmentView {
    pub slot_id: i64,
    pub centre: CentreView,
    pub time: String,
    /// The same, short (`2026年5月18日 09:00（北京时间）`), for tables.
    pub short: String,
}

impl AppointmentView {
    /// `None` before the first booking (or for a centre not in `centres`, which cannot be).
    pub(crate) fn new(
        t: T,
        r: &InstitutionRegistration,
        centres: &[TestCentre],
    ) -> Option<AppointmentView> {
        let slot = r.slot.as_ref()?;
        let centre = centres.iter().find(|c| c.id == slot.test_centre_id)?;
        let ends = r.registration.exam_ends_at.unwrap_or(slot.starts_at);
        Some(AppointmentView {
            slot_id: slot.id.get(),
            centre: CentreView::new(centre),
            time: when::exam_time(slot.starts_at, ends, t.0),
            short: t.instant(slot.starts_at),
        })
    }
}
