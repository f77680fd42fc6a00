//! O4: admission tickets (准考证) — their numbers and how a period's candidates are seated.

use std::fmt;

use crate::ids::{ExamPeriodId, VenueId};

/// An admission ticket number: the exam period (at least 6 digits), the ticket's place in the
/// period's issue order (6 digits), and an ISO 7064 MOD 11-10 check digit, e.g.
/// `0000420001237`. Unique by construction — one period, one sequence — and a mistyped digit
/// (or two swapped neighbours) at a check-in desk is caught before any lookup.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct TicketNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TicketNumberError {
    #[error("a ticket number has 13 or more digits")]
    Format,
    #[error("the ticket number's check digit does not match")]
    CheckDigit,
}

/// How many tickets one period can number (the sequence's 6 digits).
pub const MAX_TICKETS_PER_PERIOD: u32 = 999_999;

/// ISO 7064 MOD 11-10 (a pure system over digits, check character a digit).
pub(crate) fn mod_11_10(digits: &[u8]) -> u8 {
    let mut p: u32 = 10;
    for &d in digits {
        let s = (p + u32::from(d)) % 10;
        let s = if s == 0 { 10 } else { s };
        p = (s * 2) % 11;
    }
    ((11 - p) % 10) as u8
}

impl TicketNumber {
    /// The number of the `sequence`-th ticket (1-based) of a period; `None` beyond
    /// [`MAX_TICKETS_PER_PERIOD`] or for an id that is not positive.
    pub fn new(period: ExamPeriodId, sequence: u32) -> Option<TicketNumber> {
        if period.get() <= 0 || sequence == 0 || sequence > MAX_TICKETS_PER_PERIOD {
            return None;
        }
        let body = format!("{:06}{sequence:06}", period.get());
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        Some(TicketNumber(format!("{body}{}", mod_11_10(&digits))))
    }

    /// Parses a typed or scanned number: spaces and hyphens are ignored.
    pub fn parse(input: &str) -> Result<TicketNumber, TicketNumberError> {
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if s.len() < 13 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TicketNumberError::Format);
        }
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let (body, check) = digits.split_at(digits.len() - 1);
        if mod_11_10(body) != check[0] {
            return Err(TicketNumberError::CheckDigit);
        }
        Ok(TicketNumber(s))
    }

    /// The period the number was issued for.
    pub fn period(&self) -> ExamPeriodId {
        let period = &self.0[..self.0.len() - 7];
        ExamPeriodId(period.parse().unwrap_or(0))
    }

    /// The ticket's place in its period's issue order (1-based).
    pub fn sequence(&self) -> u32 {
        let n = self.0.len();
        self.0[n - 7..n - 1].parse().unwrap_or(0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for TicketNumber {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TicketNumber::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A venue of a city as O4's seating sees it: its seats, and how many of them this period has
/// already given out (earlier tickets keep theirs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VenueSeats {
    pub venue: VenueId,
    pub seats: u32,
    pub taken: u32,
}

/// One seat: a venue and a seat number in it (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    pub venue: VenueId,
    pub number: u32,
}

/// O4: the venues of a city hold fewer free seats than there are candidates to seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{missing} more seats are needed in the venues of this city")]
pub struct SeatShortfall {
    pub missing: usize,
}

/// O4: seats for `wanted` candidates, in order: the venues are filled in the order given (the
/// operator's), each from its first free seat on, never beyond its seats. Deterministic — the
/// same venues and count always give the same seats — so a retried issuing job seats everyone
/// where the first try would have. All or nothing: too few seats is a [`SeatShortfall`]
/// (an operator must add venues; nobody is half-seated).
pub fn assign_seats(venues: &[VenueSeats], wanted: usize) -> Result<Vec<Seat>, SeatShortfall> {
    let free: usize = venues
        .iter()
        .map(|v| v.seats.saturating_sub(v.taken) as usize)
        .sum();
    if free < wanted {
        return Err(SeatShortfall {
            missing: wanted - free,
        });
    }
    let mut seats = Vec::with_capacity(wanted);
    for venue in venues {
        for number in venue.taken + 1..=venue.seats {
            if seats.len() == wanted {
                return Ok(seats);
            }
            seats.push(Seat {
                venue: venue.venue,
                number,
            });
        }
    }
    Ok(seats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o4_ticket_numbers_carry_period_sequence_and_check_digit() {
        let t = TicketNumber::new(ExamPeriodId(42), 123).unwrap();
        assert_eq!(t.as_str().len(), 13);
        assert!(t.as_str().starts_with("000042000123"));
        assert_eq!(t.period(), ExamPeriodId(42));
        assert_eq!(t.sequence(), 123);
        assert_eq!(TicketNumber::parse(t.as_str()).unwrap(), t);
        assert_eq!(TicketNumber::parse(&format!(" {} ", t)).unwrap(), t);
        let big = TicketNumber::new(ExamPeriodId(12_345_678), MAX_TICKETS_PER_PERIOD).unwrap();
        assert_eq!(big.period(), ExamPeriodId(12_345_678));
        assert_eq!(big.sequence(), MAX_TICKETS_PER_PERIOD);
        assert_eq!(TicketNumber::parse(big.as_str()).unwrap(), big);
        assert!(TicketNumber::new(ExamPeriodId(1), 0).is_none());
        assert!(TicketNumber::new(ExamPeriodId(1), MAX_TICKETS_PER_PERIOD + 1).is_none());
        assert!(TicketNumber::new(ExamPeriodId(0), 1).is_none());
    }

    #[test]
    fn o4_every_single_digit_error_and_neighbour_swap_is_caught() {
        let t = TicketNumber::new(ExamPeriodId(7), 4_321).unwrap();
        let digits: Vec<u8> = t.as_str().bytes().collect();
        for i in 0..digits.len() {
            for d in b'0'..=b'9' {
                if d == digits[i] {
                    continue;
                }
                let mut wrong = digits.clone();
                wrong[i] = d;
                let wrong = String::from_utf8(wrong).unwrap();
                assert!(TicketNumber::parse(&wrong).is_err(), "{wrong}");
            }
        }
        for i in 0..digits.len() - 1 {
            if digits[i] == digits[i + 1] {
                continue;
            }
            let mut swapped = digits.clone();
            swapped.swap(i, i + 1);
            let swapped = String::from_utf8(swapped).unwrap();
            assert!(TicketNumber::parse(&swapped).is_err(), "{swapped}");
        }
    }

    #[test]
    fn o4_malformed_ticket_numbers_are_refused() {
        assert_eq!(TicketNumber::parse(""), Err(TicketNumberError::Format));
        assert_eq!(TicketNumber::parse("12345"), Err(TicketNumberError::Format));
        assert_eq!(
            TicketNumber::parse("00004200012x7"),
            Err(TicketNumberError::Format)
        );
        assert_eq!(
            TicketNumber::parse("０００００１０００００１０"),
            Err(TicketNumberError::Format),
            "full-width digits"
        );
    }

    fn venue(id: i64, seats: u32, taken: u32) -> VenueSeats {
        VenueSeats {
            venue: VenueId(id),
            seats,
            taken,
        }
    }

    #[test]
    fn o4_seats_fill_venues_in_order_after_earlier_tickets() {
        let venues = [venue(1, 3, 1), venue(2, 2, 0), venue(3, 5, 0)];
        let seats = assign_seats(&venues, 4).unwrap();
        let got: Vec<(i64, u32)> = seats.iter().map(|s| (s.venue.get(), s.number)).collect();
        assert_eq!(got, vec![(1, 2), (1, 3), (2, 1), (2, 2)]);
        assert_eq!(assign_seats(&venues, 4).unwrap(), seats, "deterministic");
        assert_eq!(assign_seats(&venues, 0).unwrap(), vec![]);
    }

    #[test]
    fn o4_seating_never_goes_beyond_a_venues_seats() {
        let venues = [venue(1, 2, 0), venue(2, 1, 0)];
        assert_eq!(assign_seats(&venues, 3).unwrap().len(), 3, "exactly full");
        assert_eq!(
            assign_seats(&venues, 4),
            Err(SeatShortfall { missing: 1 }),
            "one over: nobody is seated"
        );
        assert_eq!(
            assign_seats(&[venue(1, 2, 5)], 1),
            Err(SeatShortfall { missing: 1 }),
            "a venue whose seats shrank below what it gave out offers none"
        );
        assert_eq!(assign_seats(&[], 1), Err(SeatShortfall { missing: 1 }));
    }
}
