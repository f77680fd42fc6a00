//! JSON shapes of the institution channel (I1–I9), field names from API.md.

use certdesk_app::institution::{
    InstitutionInput, InstitutionRegistrationInput, SlotInput, TestCentreInput,
};
use certdesk_domain::{RawAmount, RegistrationDeadlines};
use certdesk_store::{
    Agreement, Institution, InstitutionRefund, InstitutionRegistration, Slot, TestCentre,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::orders::RegistrationDto;
use super::rfc3339;

/// An institution's public face (I8, I9).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionDto {
    pub id: i64,
    pub name: String,
    pub hotline: String,
    pub email: String,
    /// I1: the only version a registration may accept.
    pub agreement_version: u32,
}

impl InstitutionDto {
    pub(crate) fn new(i: &Institution) -> InstitutionDto {
        InstitutionDto {
            id: i.id.get(),
            name: i.name.clone(),
            hotline: i.hotline.clone(),
            email: i.email.clone(),
            agreement_version: i.agreement_version,
        }
    }
}

/// I1: an agreement version.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AgreementDto {
    pub version: u32,
    pub text: String,
    #[schema(format = DateTime)]
    pub published_at: String,
}

impl AgreementDto {
    pub(crate) fn new(a: &Agreement) -> AgreementDto {
        AgreementDto {
            version: a.version,
            text: a.text.clone(),
            published_at: rfc3339(a.published_at),
        }
    }
}

/// I2: a public test centre.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TestCentreDto {
    pub id: i64,
    pub institution_id: i64,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

impl TestCentreDto {
    pub(crate) fn new(c: &TestCentre) -> TestCentreDto {
        TestCentreDto {
            id: c.id.get(),
            institution_id: c.institution_id.get(),
            name: c.name.clone(),
            city: c.city.clone(),
            address: c.address.clone(),
            contact_name: c.contact_name.clone(),
            contact_phone: c.contact_phone.clone(),
        }
    }
}

/// I3: a slot with the seats left.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SlotDto {
    pub id: i64,
    pub test_centre_id: i64,
    /// The slot's date in Beijing time.
    #[schema(format = Date)]
    pub date: String,
    #[schema(format = DateTime)]
    pub starts_at: String,
    pub capacity: u32,
    pub seats_left: u32,
}

impl SlotDto {
    pub(crate) fn new(s: &Slot) -> SlotDto {
        SlotDto {
            id: s.id.get(),
            test_centre_id: s.test_centre_id.get(),
            date: certdesk_domain::time::local_date(s.starts_at).to_string(),
            starts_at: rfc3339(s.starts_at),
            capacity: s.capacity,
            seats_left: s.seats_left(),
        }
    }
}

/// `GET /api/v1/test-centres?city=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CentreQuery {
    pub city: Option<String>,
}

/// `GET /api/v1/test-centres/{id}/slots?from=&to=`: dates in Beijing time, both included;
/// at most 92 days.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SlotQuery {
    #[param(format = Date)]
    pub from: String,
    #[param(format = Date)]
    pub to: String,
}

/// `POST /api/v1/institution-registrations` (no login).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct InstitutionRegistrationBody {
    pub institution_id: i64,
    #[schema(example = "TCCA-ARC-P")]
    pub certification: String,
    /// The agreement version the candidate read and accepted: the current one only.
    pub agreement_version: i64,
    #[schema(example = "李雷")]
    pub real_name: String,
    #[schema(example = "110105199001011234")]
    pub id_number: String,
    #[schema(example = "13800138000")]
    pub phone: String,
    pub email: String,
}

impl InstitutionRegistrationBody {
    pub(crate) fn into_input(self) -> InstitutionRegistrationInput {
        InstitutionRegistrationInput {
            institution_id: self.institution_id,
            certification: self.certification,
            agreement_version: self.agreement_version,
            real_name: self.real_name,
            id_number: self.id_number,
            phone: self.phone,
            email: self.email,
        }
    }
}

/// The payment an institution registration awaits.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionPaymentDto {
    pub id: i64,
    pub amount_fen: i64,
    /// `pending`, `succeeded`, `cancelled`.
    pub status: String,
}

/// I9: where the candidate gets help.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionContactDto {
    pub name: String,
    pub hotline: String,
    pub email: String,
}

impl InstitutionContactDto {
    pub(crate) fn new(i: &Institution) -> InstitutionContactDto {
        InstitutionContactDto {
            name: i.name.clone(),
            hotline: i.hotline.clone(),
            email: i.email.clone(),
        }
    }
}

/// `201` of `POST /api/v1/institution-registrations`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionRegisteredDto {
    pub registration_id: i64,
    /// A bearer token for this registration and the retake that follows from it, nothing
    /// else; the confirmation email carries the same link (I1).
    pub manage_token: String,
    pub payment: InstitutionPaymentDto,
    pub institution: InstitutionContactDto,
}

/// `POST /api/v1/registrations/{id}/appointment` and the institution retake.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AppointmentBody {
    pub slot_id: i64,
}

/// `POST /api/v1/institution-registrations/{id}/manage-link`: the link is sent again to the
/// registration's email, when it is that email.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct ResendBody {
    pub email: String,
}

/// An appointment: its slot and centre.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AppointmentDto {
    pub slot_id: i64,
    pub test_centre_id: i64,
    #[schema(format = DateTime)]
    pub starts_at: String,
}

/// An institution registration as its candidate (through the link) and staff see it: the
/// registration with its appointment, its institution's contacts (I9) and what was paid.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionRegistrationDto {
    #[serde(flatten)]
    pub registration: RegistrationDto,
    pub appointment: Option<AppointmentDto>,
    pub institution_id: i64,
    pub agreement_version: u32,
    pub paid_fen: i64,
    pub refunded_fen: i64,
    /// The first attempt whose purchase this is (the registration itself, or the one its
    /// retake follows).
    pub enrolment_id: i64,
    pub real_name: String,
    pub email: String,
    pub phone: Option<String>,
    /// I3: when staff checked the candidate in at the test centre.
    #[schema(format = DateTime)]
    pub checked_in_at: Option<String>,
}

impl InstitutionRegistrationDto {
    pub(crate) fn new(
        r: &InstitutionRegistration,
        deadlines: &RegistrationDeadlines,
    ) -> InstitutionRegistrationDto {
        InstitutionRegistrationDto {
            registration: RegistrationDto::new(&r.registration, deadlines),
            appointment: r.slot.as_ref().map(|s| AppointmentDto {
                slot_id: s.id.get(),
                test_centre_id: s.test_centre_id.get(),
                starts_at: rfc3339(s.starts_at),
            }),
            institution_id: r.enrolment.institution_id.get(),
            agreement_version: r.enrolment.agreement_version,
            paid_fen: r.enrolment.paid.get(),
            refunded_fen: r.enrolment.refunded.get(),
            enrolment_id: r.enrolment.registration_id.get(),
            real_name: r.real_name.clone(),
            email: r.email.as_str().to_owned(),
            phone: r.phone.as_ref().map(|p| p.masked()),
            checked_in_at: r.checked_in_at.map(rfc3339),
        }
    }
}

/// `{items}` of staff's registrations (newest first, at most 200).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionRegistrationListDto {
    pub items: Vec<InstitutionRegistrationDto>,
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/admin/institutions`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct InstitutionBody {
    pub name: String,
    pub hotline: String,
    pub email: String,
    /// Version 1 of its agreement.
    pub agreement_text: String,
}

impl InstitutionBody {
    pub(crate) fn into_input(self) -> InstitutionInput {
        InstitutionInput {
            name: self.name,
            hotline: self.hotline,
            email: self.email,
            agreement_text: self.agreement_text,
        }
    }
}

/// `PUT /api/v1/admin/institutions/{id}/agreement`: the next version.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct AgreementBody {
    pub text: String,
}

/// `POST /api/v1/admin/test-centres`.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct TestCentreBody {
    pub institution_id: i64,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

impl TestCentreBody {
    pub(crate) fn into_input(self) -> TestCentreInput {
        TestCentreInput {
            institution_id: self.institution_id,
            name: self.name,
            city: self.city,
            address: self.address,
            contact_name: self.contact_name,
            contact_phone: self.contact_phone,
        }
    }
}

/// `POST /api/v1/institution/slots` (staff).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct SlotBody {
    pub centre_id: i64,
    #[schema(format = Date, example = "2027-03-15")]
    pub date: String,
    /// `HH:MM` Beijing time, or an RFC 3339 instant on `date`.
    #[schema(example = "09:00")]
    pub starts_at: String,
    #[schema(schema_with = crate::openapi::constraints::slot_capacity)]
    pub capacity: i64,
}

impl SlotBody {
    pub(crate) fn into_input(self) -> SlotInput {
        SlotInput {
            centre_id: self.centre_id,
            date: self.date,
            starts_at: self.starts_at,
            capacity: self.capacity,
        }
    }
}

/// `POST /api/v1/institution/registrations/{id}/appointment` (staff): with a reason.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StaffMoveBody {
    pub slot_id: i64,
    pub reason: String,
}

/// `POST /api/v1/institution/registrations/{id}/refund` (staff, I8).
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct StaffRefundBody {
    #[schema(schema_with = crate::openapi::constraints::positive_amount)]
    pub amount_fen: RawAmount,
    pub reason: String,
}

/// I8: a refund made.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct InstitutionRefundDto {
    pub id: i64,
    pub registration_id: i64,
    pub amount_fen: i64,
    pub reason: String,
    #[schema(format = DateTime)]
    pub at: String,
    /// What remains refundable after it.
    pub remaining_fen: i64,
    /// Nothing remained and the registration's exam was ahead: it was cancelled.
    pub cancelled: bool,
}

impl InstitutionRefundDto {
    pub(crate) fn new(r: &InstitutionRefund) -> InstitutionRefundDto {
        InstitutionRefundDto {
            id: r.id,
            registration_id: r.registration_id.get(),
            amount_fen: r.amount.get(),
            reason: r.reason.clone(),
            at: rfc3339(r.at),
            remaining_fen: r.remaining.get(),
            cancelled: r.cancelled,
        }
    }
}
