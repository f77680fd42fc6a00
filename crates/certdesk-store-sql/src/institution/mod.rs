//! The institution channel's store (I1–I9), written once for both databases: `setup.rs`
//! (institutions, agreements, centres, slots), `enrol.rs` (registration without an account
//! and its payment), `appointment.rs` (bookings, moves, the retake, staff refunds),
//! `rows.rs` (an institution registration read back in one SELECT).

mod applications;
mod appointment;
mod enrol;
mod rows;
mod setup;

use async_trait::async_trait;
use certdesk_domain::{InstitutionId, PaymentId, RegistrationId, SlotId, TestCentreId};
use certdesk_store::{
    Agreement, AppointmentCommit, Institution, InstitutionPaymentCommit, InstitutionPaymentOutcome,
    InstitutionRefund, InstitutionRefundCommit, InstitutionRegistration, InstitutionRetakeCommit,
    InstitutionStore, NewAuditEntry, NewInstitution, NewInstitutionRegistration, NewSlot,
    NewTestCentre, OfficialApplication, Payment, Slot, StoreResult, TestCentre,
};
use jiff::Timestamp;

use crate::SqlStore;
use crate::db::query;

#[async_trait]
impl InstitutionStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all)]
    async fn commit_institution(&self, new: NewInstitution) -> StoreResult<Institution> {
        setup::commit_institution(self, new).await
    }

    async fn get_institution(&self, id: InstitutionId) -> StoreResult<Institution> {
        setup::get_institution(self.read(), id).await
    }

    async fn list_institutions(&self) -> StoreResult<Vec<Institution>> {
        setup::list_institutions(self).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(institution_id = %institution))]
    async fn commit_agreement(
        &self,
        institution: InstitutionId,
        text: String,
        audit: NewAuditEntry,
    ) -> StoreResult<Agreement> {
        setup::commit_agreement(self, institution, text, audit).await
    }

    async fn current_agreement(&self, institution: InstitutionId) -> StoreResult<Agreement> {
        setup::current_agreement(self, institution).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(institution_id = %new.institution_id))]
    async fn commit_test_centre(&self, new: NewTestCentre) -> StoreResult<TestCentre> {
        setup::commit_test_centre(self, new).await
    }

    async fn get_test_centre(&self, id: TestCentreId) -> StoreResult<TestCentre> {
        setup::get_test_centre(self.read(), id).await
    }

    async fn list_test_centres(
        &self,
        institution: Option<InstitutionId>,
        city: Option<&str>,
    ) -> StoreResult<Vec<TestCentre>> {
        setup::list_test_centres(self, institution, city).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(test_centre_id = %new.test_centre_id))]
    async fn commit_slot(&self, new: NewSlot) -> StoreResult<Slot> {
        setup::commit_slot(self, new).await
    }

    async fn get_slot(&self, id: SlotId) -> StoreResult<Slot> {
        setup::get_slot(self.read(), id).await
    }

    async fn list_slots(
        &self,
        centre: TestCentreId,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<Slot>> {
        setup::list_slots(self, centre, from, to).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(institution_id = %new.institution_id))]
    async fn commit_institution_registration(
        &self,
        new: NewInstitutionRegistration,
    ) -> StoreResult<(InstitutionRegistration, Payment)> {
        enrol::commit_registration(self, new).await
    }

    async fn get_institution_registration(
        &self,
        id: RegistrationId,
    ) -> StoreResult<InstitutionRegistration> {
        rows::load(self.read(), id).await
    }

    async fn find_registration_by_payment(
        &self,
        payment: PaymentId,
    ) -> StoreResult<Option<RegistrationId>> {
        enrol::registration_paid_by(self.read(), payment).await
    }

    async fn list_institution_registrations(
        &self,
        institution: InstitutionId,
        limit: u32,
    ) -> StoreResult<Vec<InstitutionRegistration>> {
        let sql = format!(
            "{} WHERE e.institution_id = $1 ORDER BY r.id DESC LIMIT $2",
            *rows::SELECT
        );
        let found = query(&sql)
            .bind(institution.get())
            .bind(i64::from(limit))
            .fetch_all(self.read())
            .await?;
        found.iter().map(rows::institution_registration).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, fields(payment_id = %commit.payment_id))]
    async fn commit_institution_payment(
        &self,
        commit: InstitutionPaymentCommit,
    ) -> StoreResult<InstitutionPaymentOutcome> {
        enrol::commit_payment(self, commit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(registration_id = %id))]
    async fn commit_institution_check_in(
        &self,
        id: RegistrationId,
        at: Timestamp,
    ) -> StoreResult<InstitutionRegistration> {
        let mut tx = self.begin().await?;
        query(
            "UPDATE registrations SET checked_in_at = $2
             WHERE id = $1 AND channel = 'institution' AND checked_in_at IS NULL",
        )
        .bind(id.get())
        .bind(crate::convert::ts(at))
        .execute(&mut tx)
        .await?;
        let checked = rows::load(&mut tx, id).await?;
        tx.commit().await?;
        Ok(checked)
    }

    #[tracing::instrument(level = "debug", skip_all, fields(registration_id = %commit.registration_id))]
    async fn commit_appointment(
        &self,
        commit: AppointmentCommit,
    ) -> StoreResult<InstitutionRegistration> {
        appointment::commit_appointment(self, commit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(first_registration_id = %commit.first_registration_id))]
    async fn commit_institution_retake(
        &self,
        commit: InstitutionRetakeCommit,
    ) -> StoreResult<InstitutionRegistration> {
        appointment::commit_retake(self, commit).await
    }

    #[tracing::instrument(level = "debug", skip_all, fields(registration_id = %commit.registration_id))]
    async fn commit_institution_refund(
        &self,
        commit: InstitutionRefundCommit,
    ) -> StoreResult<InstitutionRefund> {
        appointment::commit_refund(self, commit).await
    }

    async fn list_official_applications(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<OfficialApplication>> {
        applications::list(self, limit).await
    }

    async fn list_institution_refunds(
        &self,
        registration: RegistrationId,
    ) -> StoreResult<Vec<InstitutionRefund>> {
        appointment::list_refunds(self, registration).await
    }
}
