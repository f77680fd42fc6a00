//! O4's storage contract: venues (考点) and admission tickets (准考证), and the check-in that
//! a ticket is scanned for.

use async_trait::async_trait;
use certdesk_domain::{AccountId, ExamPeriodId, RegistrationId, TicketNumber, VenueId, VenueSeats};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::records::{NewAuditEntry, NewInboxMessage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVenue {
    pub city: String,
    pub name: String,
    pub address: String,
    pub seats: u32,
    pub created_at: Timestamp,
}

/// A venue of a city; every period held in the city seats its candidates in the city's venues,
/// in the operators' order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venue {
    pub id: VenueId,
    pub city: String,
    pub name: String,
    pub address: String,
    pub seats: u32,
    pub created_at: Timestamp,
}

/// A confirmed registration of a period that has no ticket yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unseated {
    pub registration_id: RegistrationId,
    /// The account that bought it (its ticket notice goes to that inbox).
    pub account_id: AccountId,
}

/// One city of a period, as issuing its tickets sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityToSeat {
    pub city: String,
    /// By registration id: the order tickets are numbered and seated in.
    pub unseated: Vec<Unseated>,
    /// The city's venues in the operators' order, with the seats this period gave out in each.
    pub venues: Vec<VenueSeats>,
}

/// What issuing a period's tickets works from (`TicketStore::load_ticket_plan`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketPlan {
    pub period_id: ExamPeriodId,
    /// The highest ticket sequence the period has given out (0: none yet).
    pub last_sequence: u32,
    /// Only cities with someone to seat, in the period's order of cities.
    pub cities: Vec<CityToSeat>,
}

/// One ticket to write, with the notice that tells its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTicket {
    pub registration_id: RegistrationId,
    pub number: TicketNumber,
    pub venue_id: VenueId,
    pub seat: u32,
    pub inbox: NewInboxMessage,
}

/// O4: tickets of one period, written together (`TicketStore::commit_tickets`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketIssue {
    pub period_id: ExamPeriodId,
    pub tickets: Vec<NewTicket>,
    pub issued_at: Timestamp,
}

/// An issued admission ticket, with what its holder needs to find their seat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdmissionTicket {
    pub registration_id: RegistrationId,
    pub period_id: ExamPeriodId,
    pub number: TicketNumber,
    pub venue: Venue,
    pub seat: u32,
    /// The sitting's start, as the registration holds it.
    pub starts_at: Timestamp,
    pub issued_at: Timestamp,
    /// The first check-in at the venue, if any.
    pub checked_in_at: Option<Timestamp>,
}

/// Venues, admission tickets and check-in (O4).
#[async_trait]
pub trait TicketStore {
    /// Adds a venue at the end of its city's list, audited. `Conflict::VenueNameTaken` for a
    /// second venue of that name in the city.
    async fn commit_venue(&self, venue: NewVenue, audit: NewAuditEntry) -> StoreResult<Venue>;
    /// A city's venues in the operators' order, or every venue: cities in the order their
    /// first venue was added (a collation-free order), each in the operators' order.
    async fn list_venues(&self, city: Option<&str>) -> StoreResult<Vec<Venue>>;
    /// Periods whose exam starts after `now` and no later than `until`, and that have a
    /// confirmed registration without a ticket: by start, then id.
    async fn list_periods_awaiting_tickets(
        &self,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExamPeriodId>>;
    /// The confirmed registrations of a period that hold no ticket, per city, with the
    /// city's venues and the seats the period already gave out in each. `NotFound` for an
    /// unknown period.
    async fn load_ticket_plan(&self, period: ExamPeriodId) -> StoreResult<TicketPlan>;
    /// Writes tickets in one transaction: each registration still `confirmed` gets its
    /// ticket, turns `ticket_issued`, has its admission-ticket promise kept at `issued_at`
    /// (P1) and its notice in the inbox; one refunded meanwhile gets nothing (skipped, not an
    /// error). Answers the registrations that got a ticket. A number, sequence or seat given
    /// twice is `Conflict::TicketTaken` (another issue won the race), and nothing is written.
    async fn commit_tickets(&self, issue: TicketIssue) -> StoreResult<Vec<RegistrationId>>;
    async fn find_ticket(
        &self,
        registration: RegistrationId,
    ) -> StoreResult<Option<AdmissionTicket>>;
    async fn find_ticket_by_number(
        &self,
        number: &TicketNumber,
    ) -> StoreResult<Option<AdmissionTicket>>;
    /// Records the holder's presence (the first check-in's time stays; a second scan changes
    /// nothing), audited, and answers the ticket. `NotFound` for an unknown number.
    async fn commit_check_in(
        &self,
        number: &TicketNumber,
        at: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<AdmissionTicket>;
}
