//! O4: venues, admission tickets and check-in (`TicketStore`). Tickets of a period are written
//! in chunks of one transaction: the registrations that are still `confirmed` turn
//! `ticket_issued` first (a conditional UPDATE, so one refunded meanwhile is skipped), and only
//! they get a ticket, a kept promise (P1) and a notice.

use async_trait::async_trait;
use certdesk_domain::{AccountId, ExamPeriodId, RegistrationId, TicketNumber, VenueId, VenueSeats};
use certdesk_store::{
    AdmissionTicket, CityToSeat, Conflict, NewAuditEntry, NewVenue, StoreError, StoreResult,
    TicketIssue, TicketPlan, TicketStore, Unseated, Venue,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::convert::{corrupt, from_ts, from_ts_opt, shared_value_groups, to_u32, ts};
use crate::db::{DbError, Exec, Row, Tx, query};

/// Registrations per chunk of statements (5 parameters a ticket, 5 a notice). Not more: binding
/// one SQLite statement costs the square of its parameters (see `shared_value_groups`); with
/// chunks of 300 (2,100 and 2,400 parameters) half of issuing 100,000 tickets was binding.
const CHUNK: usize = 100;

const VENUE_COLUMNS: &str = "id, city, name, address, seats, created_at";

const TICKET_SELECT: &str = "
SELECT t.registration_id, t.period_id, t.number, t.seat, t.issued_at, t.checked_in_at,
       r.exam_starts_at, v.id AS venue_id, v.city AS venue_city, v.name AS venue_name,
       v.address AS venue_address, v.seats AS venue_seats, v.created_at AS venue_created_at
FROM admission_tickets t
JOIN venues v ON v.id = t.venue_id
JOIN registrations r ON r.id = t.registration_id";

fn venue_from_row(row: &Row) -> StoreResult<Venue> {
    Ok(Venue {
        id: VenueId(row.int("id")?),
        city: row.text("city")?,
        name: row.text("name")?,
        address: row.text("address")?,
        seats: to_u32(row.int("seats")?, "seats")?,
        created_at: from_ts(row.int("created_at")?)?,
    })
}

fn ticket_from_row(row: &Row) -> StoreResult<AdmissionTicket> {
    Ok(AdmissionTicket {
        registration_id: RegistrationId(row.int("registration_id")?),
        period_id: ExamPeriodId(row.int("period_id")?),
        number: TicketNumber::parse(&row.text("number")?)
            .map_err(|_| corrupt("ticket number".into()))?,
        venue: Venue {
            id: VenueId(row.int("venue_id")?),
            city: row.text("venue_city")?,
            name: row.text("venue_name")?,
            address: row.text("venue_address")?,
            seats: to_u32(row.int("venue_seats")?, "seats")?,
            created_at: from_ts(row.int("venue_created_at")?)?,
        },
        seat: to_u32(row.int("seat")?, "seat")?,
        starts_at: from_ts(row.int("exam_starts_at")?)?,
        issued_at: from_ts(row.int("issued_at")?)?,
        checked_in_at: from_ts_opt(row.int_opt("checked_in_at")?)?,
    })
}

async fn fetch_ticket<'c>(
    on: impl Exec<'c>,
    filter: &str,
    key: crate::db::Arg<'_>,
) -> StoreResult<Option<AdmissionTicket>> {
    let sql = format!("{TICKET_SELECT} WHERE {filter}");
    let row = query(&sql).bind(key).fetch_optional(on).await?;
    row.as_ref().map(ticket_from_row).transpose()
}

/// A unique key of the tickets table refused a write: another issue of the period won.
fn taken(e: DbError) -> StoreError {
    let names = [
        "admission_tickets_number_unique",
        "admission_tickets_sequence_unique",
        "admission_tickets_seat_unique",
        "admission_tickets_pkey",
    ];
    if names.iter().any(|n| e.is_unique_violation(n)) {
        StoreError::Conflict(Conflict::TicketTaken)
    } else {
        e.into()
    }
}

#[async_trait]
impl TicketStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_venue(&self, venue: NewVenue, audit: NewAuditEntry) -> StoreResult<Venue> {
        let mut tx = self.begin().await?;
        let sql = format!(
            "INSERT INTO venues (city, name, address, seats, position, created_at)
             VALUES ($1, $2, $3, $4,
                     (SELECT COALESCE(MAX(position), -1) + 1 FROM venues WHERE city = $1), $5)
             RETURNING {VENUE_COLUMNS}"
        );
        let row = query(&sql)
            .bind(&venue.city)
            .bind(&venue.name)
            .bind(&venue.address)
            .bind(i64::from(venue.seats))
            .bind(ts(venue.created_at))
            .fetch_one(&mut tx)
            .await
            .map_err(|e| {
                if e.is_unique_violation("venues_city_name_unique") {
                    StoreError::Conflict(Conflict::VenueNameTaken)
                } else {
                    e.into()
                }
            })?;
        let created = venue_from_row(&row)?;
        crate::audit::insert(&mut tx, &audit).await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn list_venues(&self, city: Option<&str>) -> StoreResult<Vec<Venue>> {
        let sql = format!(
            "SELECT {VENUE_COLUMNS} FROM venues v WHERE ($1 IS NULL OR city = $1)
             ORDER BY (SELECT MIN(c.id) FROM venues c WHERE c.city = v.city), position, id"
        );
        let rows = query(&sql).bind(city).fetch_all(self.read()).await?;
        rows.iter().map(venue_from_row).collect()
    }

    async fn list_periods_awaiting_tickets(
        &self,
        now: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ExamPeriodId>> {
        let rows = query(
            "SELECT p.id FROM exam_periods p
             WHERE p.starts_at > $1 AND p.starts_at <= $2
               AND EXISTS (SELECT 1 FROM registrations r
                           WHERE r.period_id = p.id AND r.status = 'confirmed'
                             AND NOT EXISTS (SELECT 1 FROM admission_tickets t
                                             WHERE t.registration_id = r.id))
             ORDER BY p.starts_at, p.id",
        )
        .bind(ts(now))
        .bind(ts(until))
        .fetch_all(self.read())
        .await?;
        rows.iter()
            .map(|row| Ok(ExamPeriodId(row.int("id")?)))
            .collect()
    }

    async fn load_ticket_plan(&self, period: ExamPeriodId) -> StoreResult<TicketPlan> {
        let found = query(
            "SELECT p.id, (SELECT MAX(t.sequence) FROM admission_tickets t WHERE t.period_id = p.id)
                 AS last_sequence
             FROM exam_periods p WHERE p.id = $1",
        )
        .bind(period.get())
        .fetch_optional(self.read())
        .await?
        .ok_or(StoreError::NotFound)?;
        let last_sequence = to_u32(found.int_opt("last_sequence")?.unwrap_or(0), "sequence")?;
        let waiting = query(
            "SELECT r.id, r.account_id, r.city FROM registrations r
             JOIN seat_pools s ON s.id = r.seat_pool_id
             LEFT JOIN admission_tickets t ON t.registration_id = r.id
             WHERE r.period_id = $1 AND r.status = 'confirmed' AND t.registration_id IS NULL
             ORDER BY s.position, r.id",
        )
        .bind(period.get())
        .fetch_all(self.read())
        .await?;
        let mut cities: Vec<CityToSeat> = Vec::new();
        for row in &waiting {
            let city = row.text_opt("city")?.unwrap_or_default();
            let unseated = Unseated {
                registration_id: RegistrationId(row.int("id")?),
                account_id: AccountId(row.int("account_id")?),
            };
            match cities.last_mut() {
                Some(last) if last.city == city => last.unseated.push(unseated),
                _ => cities.push(CityToSeat {
                    city,
                    unseated: vec![unseated],
                    venues: Vec::new(),
                }),
            }
        }
        if cities.is_empty() {
            return Ok(TicketPlan {
                period_id: period,
                last_sequence,
                cities,
            });
        }
        let venues = query(
            "SELECT v.id, v.city, v.seats,
                    COALESCE((SELECT MAX(t.seat) FROM admission_tickets t
                              WHERE t.period_id = $1 AND t.venue_id = v.id), 0) AS taken
             FROM venues v ORDER BY v.position, v.id",
        )
        .bind(period.get())
        .fetch_all(self.read())
        .await?;
        for row in &venues {
            let city = row.text("city")?;
            if let Some(to_seat) = cities.iter_mut().find(|c| c.city == city) {
                to_seat.venues.push(VenueSeats {
                    venue: VenueId(row.int("id")?),
                    seats: to_u32(row.int("seats")?, "seats")?,
                    taken: to_u32(row.int("taken")?, "taken")?,
                });
            }
        }
        Ok(TicketPlan {
            period_id: period,
            last_sequence,
            cities,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, fields(period_id = %issue.period_id, tickets = issue.tickets.len()))]
    async fn commit_tickets(&self, issue: TicketIssue) -> StoreResult<Vec<RegistrationId>> {
        let mut tx = self.begin().await?;
        let mut issued = Vec::with_capacity(issue.tickets.len());
        for chunk in issue.tickets.chunks(CHUNK) {
            let live = still_confirmed(&mut tx, issue.period_id, chunk).await?;
            let chunk: Vec<_> = chunk
                .iter()
                .filter(|t| live.contains(&t.registration_id))
                .collect();
            if chunk.is_empty() {
                continue;
            }
            insert_tickets(&mut tx, &issue, &chunk).await?;
            keep_promises(&mut tx, issue.issued_at, &chunk).await?;
            let notices: Vec<_> = chunk.iter().map(|t| &t.inbox).collect();
            crate::inbox::insert_messages(&mut tx, &notices).await?;
            issued.extend(chunk.iter().map(|t| t.registration_id));
        }
        tx.commit().await?;
        Ok(issued)
    }

    async fn find_ticket(
        &self,
        registration: RegistrationId,
    ) -> StoreResult<Option<AdmissionTicket>> {
        fetch_ticket(
            self.read(),
            "t.registration_id = $1",
            registration.get().into(),
        )
        .await
    }

    async fn find_ticket_by_number(
        &self,
        number: &TicketNumber,
    ) -> StoreResult<Option<AdmissionTicket>> {
        fetch_ticket(self.read(), "t.number = $1", number.as_str().into()).await
    }

    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_check_in(
        &self,
        number: &TicketNumber,
        at: Timestamp,
        audit: NewAuditEntry,
    ) -> StoreResult<AdmissionTicket> {
        let mut tx = self.begin().await?;
        let marked = query(
            "UPDATE admission_tickets SET checked_in_at = COALESCE(checked_in_at, $2) WHERE number = $1",
        )
        .bind(number.as_str())
        .bind(ts(at))
        .execute(&mut tx)
        .await?;
        if marked == 0 {
            return Err(StoreError::NotFound);
        }
        crate::audit::insert(&mut tx, &audit).await?;
        let ticket = fetch_ticket(&mut tx, "t.number = $1", number.as_str().into())
            .await?
            .ok_or_else(|| corrupt("a checked-in ticket vanished".into()))?;
        tx.commit().await?;
        Ok(ticket)
    }
}

/// The registrations of the chunk still `confirmed` on the period, now `ticket_issued`.
async fn still_confirmed(
    tx: &mut Tx,
    period: ExamPeriodId,
    chunk: &[certdesk_store::NewTicket],
) -> StoreResult<Vec<RegistrationId>> {
    let ids: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "UPDATE registrations SET status = 'ticket_issued'
         WHERE period_id = $1 AND status = 'confirmed' AND id IN ({}) RETURNING id",
        ids.join(", ")
    );
    let mut update = query(&sql).bind(period.get());
    for ticket in chunk {
        update = update.bind(ticket.registration_id.get());
    }
    update
        .fetch_all(tx)
        .await?
        .iter()
        .map(|row| Ok(RegistrationId(row.int("id")?)))
        .collect()
}

async fn insert_tickets(
    tx: &mut Tx,
    issue: &TicketIssue,
    chunk: &[&certdesk_store::NewTicket],
) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO admission_tickets (registration_id, number, sequence, venue_id, seat,
             period_id, issued_at) VALUES {}",
        shared_value_groups(3, chunk.len(), 5, "", ", $1, $2")
    );
    let mut insert = query(&sql)
        .bind(issue.period_id.get())
        .bind(ts(issue.issued_at));
    for ticket in chunk {
        insert = insert
            .bind(ticket.registration_id.get())
            .bind(ticket.number.as_str())
            .bind(i64::from(ticket.number.sequence()))
            .bind(ticket.venue_id.get())
            .bind(i64::from(ticket.seat));
    }
    insert.execute(tx).await.map_err(taken)?;
    Ok(())
}

/// P1: the admission-ticket promise of each is kept now (one already kept or voided stays).
/// "Open" is spelt `COALESCE(kept_at, voided_at) IS NULL` so that no planner takes the partial
/// index of open promises (`promises_open` on kind and due date: every open ticket promise of
/// the programme, scanned per statement) over the registration's own index.
async fn keep_promises(
    tx: &mut Tx,
    at: Timestamp,
    chunk: &[&certdesk_store::NewTicket],
) -> StoreResult<()> {
    let ids: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "UPDATE promises SET kept_at = $1
         WHERE registration_id IN ({}) AND kind = 'admission_ticket'
           AND COALESCE(kept_at, voided_at) IS NULL",
        ids.join(", ")
    );
    let mut update = query(&sql).bind(ts(at));
    for ticket in chunk {
        update = update.bind(ticket.registration_id.get());
    }
    update.execute(tx).await?;
    Ok(())
}
