//! O4/P1: the operators' alert that a period's city has fewer free venue seats than it has
//! confirmed registrations waiting for an admission ticket. The issuing job reports the same
//! shortfall only as a failed run (`issue_tickets`, retried); this reads it before and
//! meanwhile, from the same plan and the same seat assignment, without writing anything.

use certdesk_domain::time::{days, saturating_add, saturating_sub};
use certdesk_domain::{ExamPeriodId, Role, SeatShortfall, assign_seats};
use certdesk_store::Account;
use jiff::Timestamp;

use crate::App;
use crate::error::{AppResult, require};

/// How far ahead the alert looks: every period still to come that anyone could hold a seat in.
const HORIZON_DAYS: i64 = 3_660;

/// One city of one period short of venue seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatShortfallAlert {
    pub period_id: ExamPeriodId,
    pub certification_code: String,
    pub starts_at: Timestamp,
    pub city: String,
    /// Confirmed registrations without a ticket.
    pub waiting: usize,
    /// Seats to add before everyone can be seated.
    pub missing: usize,
    /// O4: when tickets are due to be issued (start − the window's opening days); tickets
    /// are being held back now when this has passed.
    pub tickets_from: Timestamp,
}

impl App {
    /// O4/P1: every upcoming period's city whose venues lack seats for the registrations
    /// waiting for a ticket, soonest exam first. Admin only.
    pub async fn venue_seat_shortfalls(
        &self,
        actor: &Account,
    ) -> AppResult<Vec<SeatShortfallAlert>> {
        require(actor.has_role(Role::Admin))?;
        let now = self.now();
        let until = saturating_add(now, days(HORIZON_DAYS));
        let mut out = Vec::new();
        for period_id in self.store.list_periods_awaiting_tickets(now, until).await? {
            let period = self.store.get_exam_period(period_id).await?;
            let plan = self.store.load_ticket_plan(period_id).await?;
            for city in &plan.cities {
                if let Err(SeatShortfall { missing }) =
                    assign_seats(&city.venues, city.unseated.len())
                {
                    out.push(SeatShortfallAlert {
                        period_id,
                        certification_code: period.certification_code.to_string(),
                        starts_at: period.starts_at,
                        city: city.city.clone(),
                        waiting: city.unseated.len(),
                        missing,
                        tickets_from: saturating_sub(
                            period.starts_at,
                            days(self.policy.ticket_window_opens_days_before),
                        ),
                    });
                }
            }
        }
        Ok(out)
    }
}
