//! The institution channel (I1–I9): `setup.rs` (institutions, agreements, centres, slots),
//! `enrol.rs` (registration without an account, its payment, the management link),
//! `appointment.rs` (booking and moving, the retake at the same centre), `staff.rs` (the
//! staff portal's actions: appointments moved with a reason, refunds).
//!
//! Who may act: a candidate of this channel holds no account — the signed management link
//! is their key, to their registration and the retake that follows from it, nothing else
//! (I1). Staff act for their own institution only: another institution's centre, slot or
//! candidate is `not_found` to them, as if it did not exist. Operators (`admin`) may act for
//! any institution.

mod applications;
mod appointment;
mod enrol;
pub(crate) mod refund_report;
mod setup;
mod staff;

use certdesk_domain::{ErrorCode, InstitutionId, Refusal, Role};
use certdesk_store::Account;

pub use applications::ApplicationView;
pub use enrol::{InstitutionRegistrationInput, Registered};
pub use setup::{InstitutionInput, SlotInput, TestCentreInput};

use crate::error::AppResult;

/// A required text field, trimmed, of at most `max` characters, on one line unless it is an
/// agreement's text (`invalid_field` otherwise).
pub(crate) fn field(input: &str, name: &'static str, max: usize) -> Result<String, Refusal> {
    let value = input.trim();
    let multiline = matches!(name, "agreement_text" | "text");
    if value.is_empty()
        || value.chars().count() > max
        || (!multiline && value.chars().any(char::is_control))
    {
        return Err(Refusal::new(ErrorCode::InvalidField).field(name));
    }
    Ok(value.to_owned())
}

/// Whom `actor` acts for on the institution channel: `None` for an operator (any
/// institution), their own institution for staff, `forbidden` for anyone else. Every staff
/// check derives from this one answer.
pub(crate) fn acting_for(actor: &Account) -> AppResult<Option<InstitutionId>> {
    if actor.has_role(Role::Admin) {
        return Ok(None);
    }
    match actor.institution_id {
        Some(own) if actor.has_role(Role::InstitutionStaff) => Ok(Some(own)),
        _ => Err(ErrorCode::Forbidden.into()),
    }
}

/// Staff of `institution` (or an operator). Other staff are refused as if the thing did not
/// exist (`not_found`): another institution's ids reveal nothing.
pub(crate) fn require_staff_of(actor: &Account, institution: InstitutionId) -> AppResult<()> {
    match acting_for(actor)? {
        Some(own) if own != institution => Err(ErrorCode::NotFound.into()),
        _ => Ok(()),
    }
}
