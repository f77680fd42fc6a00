//! I1–I3 set up: operators create institutions (with version 1 of their agreement), publish
//! new agreement versions and open test centres; institution staff publish slots at their
//! own centres. Everyone may read the public parts: institutions' contacts, agreements,
//! centres (I2) and slots with the seats left.

use certdesk_domain::rules::check_slot_bookable;
use certdesk_domain::time::{local_date, start_of_day};
use certdesk_domain::{ErrorCode, InstitutionId, LocalizedText, Refusal, Role, TestCentreId};
use certdesk_store::{
    Account, Agreement, Institution, NewAuditEntry, NewInstitution, NewSlot, NewTestCentre, Slot,
    TestCentre,
};
use jiff::Timestamp;
use jiff::civil::{Date, Time};
use serde_json::json;

use super::{field, require_staff_of};
use crate::App;
use crate::error::{AppResult, require};

/// The longest span of dates one slot listing covers.
const MAX_LISTING_DAYS: i64 = 92;

/// What an operator gives to add an institution.
#[derive(Debug, Clone, Default)]
pub struct InstitutionInput {
    pub name: String,
    pub hotline: String,
    pub email: String,
    pub agreement_text: String,
}

/// What an operator gives to open a test centre (I2).
#[derive(Debug, Clone, Default)]
pub struct TestCentreInput {
    pub institution_id: i64,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

/// What staff give to publish a slot (I3): a date, a local start time (`HH:MM`, Beijing
/// time) or an RFC 3339 instant on that date, and a capacity.
#[derive(Debug, Clone, Default)]
pub struct SlotInput {
    pub centre_id: i64,
    pub date: String,
    pub starts_at: String,
    pub capacity: i64,
}

impl SlotInput {
    /// I3: the seats a slot may have.
    pub const CAPACITY: std::ops::RangeInclusive<u32> = 1..=500;
}

fn audit(
    actor: &Account,
    action: &str,
    kind: &str,
    after: serde_json::Value,
    at: Timestamp,
) -> NewAuditEntry {
    NewAuditEntry {
        actor: Some(actor.id),
        action: action.into(),
        target_kind: kind.into(),
        target_id: String::new(),
        before: None,
        after: Some(after),
        at,
    }
}

/// I3: the slot's start from a date and a local time or an instant on that date.
fn slot_start(date: &str, starts_at: &str) -> Result<Timestamp, Refusal> {
    let date: Date = date
        .trim()
        .parse()
        .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field("date"))?;
    let input = starts_at.trim();
    if let Ok(instant) = input.parse::<Timestamp>() {
        if local_date(instant) != date {
            return Err(Refusal::new(ErrorCode::InvalidDate)
                .field("starts_at")
                .detail(LocalizedText::fixed(
                    "开始时间不在所填日期（北京时间）。",
                    "The start is not on the given date (Beijing time).",
                )));
        }
        return Ok(instant);
    }
    let time: Time = input
        .parse()
        .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field("starts_at"))?;
    let local = date.to_datetime(time);
    local
        .to_zoned(certdesk_domain::time::programme_zone())
        .map(|z| z.timestamp())
        .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field("starts_at"))
}

impl App {
    /// An operator adds an institution with version 1 of its agreement. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create_institution(
        &self,
        actor: &Account,
        input: InstitutionInput,
    ) -> AppResult<Institution> {
        require(actor.has_role(Role::Admin))?;
        let name = field(&input.name, "name", 100)?;
        let hotline = field(&input.hotline, "hotline", 40)?;
        let email = crate::accounts::parse_email(&input.email)?;
        let text = field(&input.agreement_text, "agreement_text", 20_000)?;
        let now = self.now();
        let after = json!({ "name": name, "hotline": hotline, "email": email.as_str() });
        Ok(self
            .store
            .commit_institution(NewInstitution {
                name,
                hotline,
                email: email.as_str().to_owned(),
                agreement_text: text,
                at: now,
                audit: audit(actor, "institution.create", "institution", after, now),
            })
            .await?)
    }

    /// I1: an operator publishes the next version of an institution's agreement; from then on
    /// only it is accepted. Audited.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, institution_id = %id))]
    pub async fn publish_agreement(
        &self,
        actor: &Account,
        id: InstitutionId,
        text: &str,
    ) -> AppResult<Agreement> {
        require(actor.has_role(Role::Admin))?;
        let text = field(text, "text", 20_000)?;
        let now = self.now();
        let mut entry = audit(actor, "agreement.publish", "institution", json!({}), now);
        entry.target_id = id.to_string();
        Ok(self.store.commit_agreement(id, text, entry).await?)
    }

    pub async fn list_institutions(&self) -> AppResult<Vec<Institution>> {
        Ok(self.store.list_institutions().await?)
    }

    pub async fn get_institution(&self, id: InstitutionId) -> AppResult<Institution> {
        Ok(self.store.get_institution(id).await?)
    }

    /// I1: the current agreement (public).
    pub async fn current_agreement(&self, id: InstitutionId) -> AppResult<Agreement> {
        Ok(self.store.current_agreement(id).await?)
    }

    /// I2: an operator opens a test centre. Audited. `not_found` (field `institution_id`) for
    /// an unknown institution.
    #[tracing::instrument(skip_all, fields(actor = %actor.id))]
    pub async fn create_test_centre(
        &self,
        actor: &Account,
        input: TestCentreInput,
    ) -> AppResult<TestCentre> {
        require(actor.has_role(Role::Admin))?;
        let institution = InstitutionId(input.institution_id);
        self.store
            .get_institution(institution)
            .await
            .map_err(|_| Refusal::new(ErrorCode::NotFound).field("institution_id"))?;
        let name = field(&input.name, "name", 100)?;
        let city = field(&input.city, "city", 40)?;
        let now = self.now();
        let after = json!({ "institution_id": institution, "name": name, "city": city });
        Ok(self
            .store
            .commit_test_centre(NewTestCentre {
                institution_id: institution,
                name,
                city,
                address: field(&input.address, "address", 200)?,
                contact_name: field(&input.contact_name, "contact_name", 40)?,
                contact_phone: field(&input.contact_phone, "contact_phone", 40)?,
                at: now,
                audit: audit(actor, "test_centre.create", "test_centre", after, now),
            })
            .await?)
    }

    /// I2: the public list of test centres, of one city when given.
    pub async fn list_test_centres(&self, city: Option<&str>) -> AppResult<Vec<TestCentre>> {
        let city = city.map(str::trim).filter(|c| !c.is_empty());
        Ok(self.store.list_test_centres(None, city).await?)
    }

    pub async fn get_test_centre(&self, id: TestCentreId) -> AppResult<TestCentre> {
        Ok(self.store.get_test_centre(id).await?)
    }

    /// A staff member's own institution's centres (all of them for an operator).
    pub async fn staff_test_centres(&self, actor: &Account) -> AppResult<Vec<TestCentre>> {
        let institution = super::acting_for(actor)?;
        Ok(self.store.list_test_centres(institution, None).await?)
    }

    /// I3: a centre's slots on the dates `from ..= to` (Beijing time), with the seats left.
    /// `invalid_date` for a reversed or too long span.
    pub async fn list_slots(
        &self,
        centre: TestCentreId,
        from: Date,
        to: Date,
    ) -> AppResult<Vec<Slot>> {
        self.store.get_test_centre(centre).await?;
        if to < from || (to - from).get_days() as i64 > MAX_LISTING_DAYS {
            return Err(Refusal::new(ErrorCode::InvalidDate).field("to").into());
        }
        let end = to
            .tomorrow()
            .map_err(|_| Refusal::new(ErrorCode::InvalidDate).field("to"))?;
        Ok(self
            .store
            .list_slots(centre, start_of_day(from), start_of_day(end))
            .await?)
    }

    /// I3: staff publish a slot at one of their institution's centres: only on a business
    /// day (B1; make-up working days count) and in the future (`slot_not_bookable`), with a
    /// capacity of 1–500 (`invalid_field`). Another institution's centre is `not_found`.
    #[tracing::instrument(skip_all, fields(actor = %actor.id, centre_id = input.centre_id))]
    pub async fn publish_slot(&self, actor: &Account, input: SlotInput) -> AppResult<Slot> {
        let centre = self
            .store
            .get_test_centre(TestCentreId(input.centre_id))
            .await
            .map_err(|_| Refusal::new(ErrorCode::NotFound).field("centre_id"))?;
        require_staff_of(actor, centre.institution_id)?;
        let starts_at = slot_start(&input.date, &input.starts_at)?;
        let capacity = u32::try_from(input.capacity)
            .ok()
            .filter(|c| SlotInput::CAPACITY.contains(c))
            .ok_or_else(|| Refusal::new(ErrorCode::InvalidField).field("capacity"))?;
        let now = self.now();
        // I3: the same rule that refuses a booking refuses publishing what nobody could book.
        check_slot_bookable(starts_at, capacity, now, &self.calendar)?;
        let slot = self
            .store
            .commit_slot(NewSlot {
                test_centre_id: centre.id,
                starts_at,
                capacity,
                created_by: actor.id,
                at: now,
            })
            .await?;
        tracing::info!(slot_id = %slot.id, "slot published");
        Ok(slot)
    }
}
