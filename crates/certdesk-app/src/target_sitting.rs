//! What O7 (reschedule) and O8 (retake) share about the sitting a candidate asks for: finding
//! it and its city as the API names them, and the cities a page may offer.

use certdesk_domain::{City, ErrorCode, ExamPeriodId, Refusal};
use certdesk_store::{ExamPeriod, PeriodCity, StoreError};

use crate::App;
use crate::error::AppResult;

/// `not_found`, naming the request's field at fault.
pub(crate) fn not_found(field: &str) -> Refusal {
    Refusal::new(ErrorCode::NotFound).field(field)
}

/// The domain names the asked-for sitting `target`; the API names it `period_id`.
pub(crate) fn target_as_period_id(r: &mut Refusal) {
    if r.field.as_deref() == Some("target") {
        r.field = Some("period_id".to_owned());
    }
}

/// The period's cities with a seat left, in the operator's order.
pub(crate) fn cities_with_seats(period: &ExamPeriod) -> Vec<PeriodCity> {
    period
        .cities
        .iter()
        .filter(|c| c.seats_left() > 0)
        .cloned()
        .collect()
}

impl App {
    /// The asked-for sitting and the seats left in its city: `not_found` naming `period_id`
    /// or `city` when either does not exist.
    pub(crate) async fn target_sitting(
        &self,
        target: ExamPeriodId,
        city: &City,
    ) -> AppResult<(ExamPeriod, u32)> {
        let period = match self.store.get_exam_period(target).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => return Err(not_found("period_id").into()),
            Err(e) => return Err(e.into()),
        };
        let seats_left = period
            .cities
            .iter()
            .find(|c| c.city == city.as_str())
            .map(PeriodCity::seats_left)
            .ok_or_else(|| not_found("city"))?;
        Ok((period, seats_left))
    }
}
