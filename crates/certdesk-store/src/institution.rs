//! The institution channel's storage contract (I1–I9): institutions and their versioned
//! agreements, public test centres, dated slots, registrations bought without an account and
//! paid through the institution's gateway, appointments booked and moved, the retake at the
//! same centre and staff refunds. Every `commit_*` is one transaction.

use async_trait::async_trait;
use certdesk_domain::{
    AccountId, CertificationId, Email, Fen, InstitutionId, Phone, RegistrationId, SlotId,
    TestCentreId,
};
use jiff::Timestamp;

use crate::error::StoreResult;
use crate::official::{NewPromise, Payment, Registration};
use crate::records::{NewAuditEntry, NewInboxMessage, NewJob};

/// An authorised exam institution with its current agreement version (I1, I8, I9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub id: InstitutionId,
    pub name: String,
    /// I8/I9: where its candidates get help.
    pub hotline: String,
    pub email: String,
    /// I1: the current (newest) agreement version.
    pub agreement_version: u32,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstitution {
    pub name: String,
    pub hotline: String,
    pub email: String,
    /// Version 1 of its agreement.
    pub agreement_text: String,
    pub at: Timestamp,
    pub audit: NewAuditEntry,
}

/// I1: one version of an institution's agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    pub institution_id: InstitutionId,
    pub version: u32,
    pub text: String,
    pub published_at: Timestamp,
}

/// I2: a public test centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCentre {
    pub id: TestCentreId,
    pub institution_id: InstitutionId,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTestCentre {
    pub institution_id: InstitutionId,
    pub name: String,
    pub city: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub at: Timestamp,
    pub audit: NewAuditEntry,
}

/// I3: a dated slot at a centre, with its capacity and the seats taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub id: SlotId,
    pub test_centre_id: TestCentreId,
    /// The centre's institution (staff authorization).
    pub institution_id: InstitutionId,
    pub starts_at: Timestamp,
    pub capacity: u32,
    pub taken: u32,
}

impl Slot {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.taken)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    pub test_centre_id: TestCentreId,
    pub starts_at: Timestamp,
    pub capacity: u32,
    pub created_by: AccountId,
    pub at: Timestamp,
}

/// I1: what a registration without an account commits: a contact (an account row of kind
/// `contact` that cannot sign in), the person's identity (found by its blind index or
/// created) verified for that contact, the registration awaiting payment, the payment
/// through the institution's gateway and what was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInstitutionRegistration {
    pub institution_id: InstitutionId,
    /// Refused with `Conflict::AgreementOutdated` unless it is the current version when the
    /// transaction reads it.
    pub agreement_version: u32,
    pub certification_id: CertificationId,
    pub fee: Fen,
    pub gateway: String,
    pub email: Email,
    pub phone: Phone,
    /// The language the candidate registered in (their notices are written in it).
    pub locale: String,
    pub real_name: String,
    pub blind_index: Vec<u8>,
    pub id_number_ciphertext: Vec<u8>,
    pub id_number_masked: String,
    pub at: Timestamp,
}

/// I1/I8: the purchase behind an institution registration (the first attempt's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The first attempt.
    pub registration_id: RegistrationId,
    pub institution_id: InstitutionId,
    pub agreement_version: u32,
    pub agreement_accepted_at: Timestamp,
    pub payment_id: certdesk_domain::PaymentId,
    pub paid: Fen,
    pub refunded: Fen,
}

/// An institution registration as its candidate and staff see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRegistration {
    pub registration: Registration,
    /// The first attempt's enrolment (a retake shares its first attempt's).
    pub enrolment: Enrolment,
    /// The appointment's slot, once booked.
    pub slot: Option<Slot>,
    /// The contact the candidate gave (I1).
    pub real_name: String,
    pub email: Email,
    pub phone: Option<Phone>,
    /// I3: when staff checked the candidate in at the test centre.
    pub checked_in_at: Option<Timestamp>,
}

/// I1/I4: the payment is reported paid: the registration is confirmed, with its promise
/// (I4's confirmation email, kept by the email job) and jobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionPaymentCommit {
    pub payment_id: certdesk_domain::PaymentId,
    pub gateway_ref: String,
    pub at: Timestamp,
    pub promises: Vec<NewPromise>,
    pub jobs: Vec<NewJob>,
    pub inbox: Option<NewInboxMessage>,
}

/// What a gateway report changed: `confirmed` is false on a repeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionPaymentOutcome {
    pub payment: Payment,
    pub registration_id: RegistrationId,
    pub confirmed: bool,
}

/// I3/I5: book an appointment or move it, by the candidate or by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentCommit {
    pub registration_id: RegistrationId,
    /// The slot the caller saw the registration on (None: not booked yet). A registration
    /// on another slot by now is `Conflict::RegistrationChanged`, nothing written.
    pub from_slot: Option<SlotId>,
    pub to_slot: SlotId,
    /// The exam's length: the sitting ends this long after the slot starts.
    pub duration_minutes: u32,
    /// Staff who moved it, with their reason; None when the candidate did.
    pub staff: Option<(AccountId, String)>,
    pub at: Timestamp,
    pub jobs: Vec<NewJob>,
}

/// I6: the free retake, booked at once on a slot of the first attempt's centre.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRetakeCommit {
    pub first_registration_id: RegistrationId,
    pub slot_id: SlotId,
    pub duration_minutes: u32,
    pub promises: Vec<NewPromise>,
    pub jobs: Vec<NewJob>,
    pub at: Timestamp,
}

/// I8: a staff refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRefundCommit {
    /// The first attempt (the enrolment's registration).
    pub registration_id: RegistrationId,
    pub amount: Fen,
    pub reason: String,
    pub staff_id: AccountId,
    pub at: Timestamp,
    pub audit: NewAuditEntry,
    pub jobs: Vec<NewJob>,
}

/// I8: one refund made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRefund {
    pub id: i64,
    pub registration_id: RegistrationId,
    pub amount: Fen,
    pub reason: String,
    pub staff_id: AccountId,
    pub at: Timestamp,
    /// What remains refundable after it.
    pub remaining: Fen,
    /// The registration was cancelled by it (nothing remains and its exam was ahead).
    pub cancelled: bool,
}

/// O12: an official-channel reschedule (O7) or retake (O8) as the authorised institution's
/// staff see it: what moved where, and the instants its rule decided on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialApplication {
    /// `reschedule` or `retake`.
    pub kind: String,
    /// The registration moved, or the retake registration.
    pub registration_id: RegistrationId,
    pub certification_code: certdesk_domain::CertCode,
    /// The holder's legal name (staff serve them by it).
    pub holder_name: String,
    /// A reschedule's sitting before, a retake's first attempt.
    pub from_city: String,
    pub from_starts_at: Timestamp,
    pub to_city: String,
    pub to_starts_at: Timestamp,
    /// The start O7's horizon (the sitting first bought) or O8's (the first attempt) counts
    /// from.
    pub original_starts_at: Timestamp,
    /// When it was applied for (and granted).
    pub at: Timestamp,
}

/// The institution channel (I1–I9).
#[async_trait]
pub trait InstitutionStore {
    /// An institution with version 1 of its agreement. Audited.
    async fn commit_institution(&self, new: NewInstitution) -> StoreResult<Institution>;
    async fn get_institution(&self, id: InstitutionId) -> StoreResult<Institution>;
    async fn list_institutions(&self) -> StoreResult<Vec<Institution>>;
    /// I1: publishes the next agreement version. Audited.
    async fn commit_agreement(
        &self,
        institution: InstitutionId,
        text: String,
        audit: NewAuditEntry,
    ) -> StoreResult<Agreement>;
    /// The current agreement (`NotFound` for an unknown institution).
    async fn current_agreement(&self, institution: InstitutionId) -> StoreResult<Agreement>;

    /// `NotFound` for an unknown institution. Audited.
    async fn commit_test_centre(&self, new: NewTestCentre) -> StoreResult<TestCentre>;
    async fn get_test_centre(&self, id: TestCentreId) -> StoreResult<TestCentre>;
    /// I2: every centre, or one institution's, or one city's, by id.
    async fn list_test_centres(
        &self,
        institution: Option<InstitutionId>,
        city: Option<&str>,
    ) -> StoreResult<Vec<TestCentre>>;

    /// I3: a new slot. `NotFound` for an unknown centre; `Conflict::SlotExists` when the
    /// centre already has a slot starting then.
    async fn commit_slot(&self, new: NewSlot) -> StoreResult<Slot>;
    async fn get_slot(&self, id: SlotId) -> StoreResult<Slot>;
    /// A centre's slots starting in `[from, to)`, by start.
    async fn list_slots(
        &self,
        centre: TestCentreId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<Slot>>;

    /// I1: contact, identity, registration (awaiting payment) and payment, in one
    /// transaction. `Conflict::AgreementOutdated`; `Conflict::AlreadyRegistered` when the
    /// person holds a live registration of the certification (A2).
    async fn commit_institution_registration(
        &self,
        new: NewInstitutionRegistration,
    ) -> StoreResult<(InstitutionRegistration, Payment)>;
    /// The registration with its enrolment (a retake's is its first attempt's); `NotFound`
    /// for an unknown one or one of the official channel.
    async fn get_institution_registration(
        &self,
        id: RegistrationId,
    ) -> StoreResult<InstitutionRegistration>;
    /// The registration an institution payment pays for, if it is one.
    async fn find_registration_by_payment(
        &self,
        payment: certdesk_domain::PaymentId,
    ) -> StoreResult<Option<RegistrationId>>;
    /// An institution's registrations (first attempts and retakes), newest first, at most
    /// `limit`.
    async fn list_institution_registrations(
        &self,
        institution: InstitutionId,
        limit: u32,
    ) -> StoreResult<Vec<InstitutionRegistration>>;

    /// I1/I4: idempotent: a repeat answers `confirmed: false` and writes nothing.
    /// `Conflict::PaymentNotPending` for a cancelled payment; `Conflict::AlreadyRegistered`
    /// when the person took another live registration meanwhile (nothing written).
    async fn commit_institution_payment(
        &self,
        commit: InstitutionPaymentCommit,
    ) -> StoreResult<InstitutionPaymentOutcome>;
    /// I3: staff check the candidate in; the first check-in's time is kept (a repeat is
    /// harmless). `NotFound` for an unknown registration or one of the official channel.
    async fn commit_institution_check_in(
        &self,
        id: RegistrationId,
        at: Timestamp,
    ) -> StoreResult<InstitutionRegistration>;
    /// I3/I5: takes the new slot's seat (`Conflict::SlotFull`), releases the old one, moves
    /// the sitting and records the change; a move counts against I5's limit.
    async fn commit_appointment(
        &self,
        commit: AppointmentCommit,
    ) -> StoreResult<InstitutionRegistration>;
    /// I6: the retake registration, booked. `Conflict::RetakeUsed`,
    /// `Conflict::RegistrationChanged` (not a failed first attempt), `Conflict::SlotFull`,
    /// `Conflict::AlreadyRegistered`.
    async fn commit_institution_retake(
        &self,
        commit: InstitutionRetakeCommit,
    ) -> StoreResult<InstitutionRegistration>;
    /// I8: `Conflict::RefundExceedsPaid` when more than remains; when nothing remains after
    /// it, a registration whose exam is ahead is cancelled and its seat released.
    async fn commit_institution_refund(
        &self,
        commit: InstitutionRefundCommit,
    ) -> StoreResult<InstitutionRefund>;
    async fn list_institution_refunds(
        &self,
        registration: RegistrationId,
    ) -> StoreResult<Vec<InstitutionRefund>>;
    /// O12: the official channel's reschedules and retakes, newest first, at most `limit`.
    async fn list_official_applications(&self, limit: u32)
    -> StoreResult<Vec<OfficialApplication>>;
}
