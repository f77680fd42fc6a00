//! I1/I4: registering through an institution without an account — the agreement accepted
//! (its current version only), the legal name and ID number checked as A2 says, phone and
//! email — then paid through the institution's gateway; and the signed link that manages the
//! registration, checked on every use and sent again on request.

use certdesk_domain::rules::institution_confirmation_due;
use certdesk_domain::rules::{ManageLinkFacts, check_manage_link};
use certdesk_domain::time::local_date;
use certdesk_domain::{
    CertCode, ErrorCode, IdNumber, InstitutionId, Locale, PromiseKind, Refusal, RegistrationId,
};
use certdesk_notify::Notice;
use certdesk_store::{
    Conflict, Institution, InstitutionPaymentCommit, InstitutionRegistration,
    NewInstitutionRegistration, NewPromise, Payment, PaymentOutcome, StoreError,
};

use crate::App;
use crate::crypto::PURPOSE_ID_NUMBER;
use crate::error::AppResult;
use crate::identity::parse_real_name;

/// What a candidate fills in (API: `POST /api/v1/institution-registrations`).
#[derive(Debug, Clone, Default)]
pub struct InstitutionRegistrationInput {
    pub institution_id: i64,
    pub certification: String,
    pub agreement_version: i64,
    pub real_name: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
}

/// A registration made: it awaits its payment; the token manages it (I1).
#[derive(Debug, Clone)]
pub struct Registered {
    pub registration: InstitutionRegistration,
    pub payment: Payment,
    pub institution: Institution,
    pub manage_token: String,
}

impl App {
    /// I1: registers a candidate without an account. Refusals, in order: `not_found` (field
    /// `institution_id`), `invalid_cert_code` / `not_found` (field `certification`),
    /// `certification_retired`, `agreement_outdated` (any version but the current one),
    /// `invalid_real_name`, `invalid_id_number` (A2, naming the part), `invalid_phone`,
    /// `invalid_email`, `top_up_unavailable` when no payment gateway is configured,
    /// `already_registered` (A2).
    #[tracing::instrument(skip_all, fields(institution_id = input.institution_id))]
    pub async fn register_with_institution(
        &self,
        input: InstitutionRegistrationInput,
        locale: Locale,
    ) -> AppResult<Registered> {
        let institution = self
            .store
            .get_institution(InstitutionId(input.institution_id))
            .await
            .map_err(|_| Refusal::new(ErrorCode::NotFound).field("institution_id"))?;
        let code = CertCode::parse(input.certification.trim())
            .map_err(|_| Refusal::new(ErrorCode::InvalidCertCode).field("certification"))?;
        let certification = self
            .store
            .find_certification(&code)
            .await?
            .ok_or_else(|| Refusal::new(ErrorCode::NotFound).field("certification"))?;
        if certification.data.retired {
            return Err(Refusal::new(ErrorCode::CertificationRetired)
                .rule("C1")
                .field("certification")
                .into());
        }
        if input.agreement_version != i64::from(institution.agreement_version) {
            return Err(Refusal::new(ErrorCode::AgreementOutdated)
                .rule("I1")
                .field("agreement_version")
                .into());
        }
        let real_name = parse_real_name(&input.real_name)?;
        let now = self.now();
        let id = IdNumber::parse(&input.id_number, local_date(now)).map_err(Refusal::from)?;
        let phone = crate::accounts::parse_phone(Some(&input.phone))?
            .ok_or_else(|| Refusal::new(ErrorCode::InvalidPhone).field("phone"))?;
        let email = crate::accounts::parse_email(&input.email)?;
        let gateway = self
            .gateways
            .for_top_ups()
            .ok_or_else(|| Refusal::new(ErrorCode::TopUpUnavailable).rule("I1"))?;
        let (registration, payment) = self
            .store
            .commit_institution_registration(NewInstitutionRegistration {
                institution_id: institution.id,
                agreement_version: institution.agreement_version,
                certification_id: certification.id,
                fee: certification.data.fee,
                gateway: gateway.name().to_owned(),
                email,
                phone,
                locale: locale.as_tag().to_owned(),
                real_name,
                blind_index: self.cipher.blind_index(id.as_str()),
                id_number_ciphertext: self
                    .cipher
                    .encrypt(PURPOSE_ID_NUMBER, id.as_str().as_bytes())?,
                id_number_masked: id.masked(),
                at: now,
            })
            .await
            .map_err(|e| match e {
                StoreError::Conflict(Conflict::AgreementOutdated) => {
                    Refusal::new(ErrorCode::AgreementOutdated)
                        .rule("I1")
                        .field("agreement_version")
                        .into()
                }
                e => crate::AppError::from(e),
            })?;
        let manage_token = self.manage_links.token(registration.registration.id);
        tracing::info!(registration_id = %registration.registration.id, payment_id = %payment.id, "institution registration awaiting payment");
        Ok(Registered {
            registration,
            payment,
            institution,
            manage_token,
        })
    }

    /// I1/I4: the institution's gateway reported `payment` paid: the registration is
    /// confirmed, the I4 promise recorded (due 10 minutes after payment) and the confirmation
    /// enqueued on every outside channel, its email keeping the promise. A repeat report
    /// changes nothing.
    pub(crate) async fn institution_payment_paid(
        &self,
        payment: &Payment,
        registration: RegistrationId,
        gateway_ref: &str,
    ) -> AppResult<PaymentOutcome> {
        let now = self.now();
        let mut jobs = self.deliveries(
            payment.account_id,
            Notice::InstitutionRegistered {
                registration_id: registration,
            },
            &format!("institution_registered:registration:{registration}"),
            now,
        );
        // I4 is an email promise: the email job keeps it (P1). Without an email channel the
        // promise stays open and shows overdue, which is the truth.
        for job in &mut jobs {
            if job.channel.as_deref() == Some("email") {
                job.keeps_promise = Some(PromiseKind::InstitutionConfirmation);
            }
        }
        let outcome = self
            .store
            .commit_institution_payment(InstitutionPaymentCommit {
                payment_id: payment.id,
                gateway_ref: gateway_ref.to_owned(),
                at: now,
                promises: vec![NewPromise {
                    kind: PromiseKind::InstitutionConfirmation,
                    due_at: institution_confirmation_due(now, &self.policy),
                    kept_at: None,
                }],
                jobs,
                inbox: None,
            })
            .await;
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(StoreError::Conflict(Conflict::AlreadyRegistered)) => {
                // A2: the person took another live registration of the certification between
                // registering and paying. The money arrived; an operator refunds it.
                tracing::error!(payment_id = %payment.id, registration_id = %registration, "paid institution registration conflicts with a live one; needs an operator");
                return Err(Refusal::new(ErrorCode::AlreadyRegistered).rule("A2").into());
            }
            Err(e) => return Err(e.into()),
        };
        if outcome.confirmed {
            tracing::info!(registration_id = %registration, "institution registration paid");
        }
        Ok(PaymentOutcome {
            payment: outcome.payment,
            credited: outcome.confirmed,
        })
    }

    /// I1: the registration a management token opens, if this deployment signed it and it
    /// is still valid: `unauthenticated` for a forged token, `link_expired` (with the
    /// instant) once neither the registration nor its retake is live. Answers the first
    /// attempt the token was issued for.
    pub async fn open_manage_link(&self, token: &str) -> AppResult<InstitutionRegistration> {
        let id = self
            .manage_links
            .verify(token.trim())
            .ok_or_else(|| Refusal::new(ErrorCode::Unauthenticated).rule("I1"))?;
        let first = self
            .store
            .get_institution_registration(id)
            .await
            .map_err(|_| Refusal::new(ErrorCode::Unauthenticated).rule("I1"))?;
        let retake = match first.registration.retake_id {
            Some(retake) => Some(self.store.get_institution_registration(retake).await?),
            None => None,
        };
        let facts = ManageLinkFacts {
            status: first.registration.status,
            first_start: first.registration.exam_starts_at,
            retake: retake
                .as_ref()
                .map(|r| (r.registration.status, r.registration.exam_ends_at)),
        };
        check_manage_link(&facts, self.now(), &self.policy)?;
        Ok(first)
    }

    /// I1: registration `id` through a management token: the first attempt it was issued
    /// for, or the retake that followed; any other id is `not_found`.
    pub async fn managed_registration(
        &self,
        token: &str,
        id: RegistrationId,
    ) -> AppResult<InstitutionRegistration> {
        let first = self.open_manage_link(token).await?;
        if id == first.registration.id {
            return Ok(first);
        }
        if first.registration.retake_id == Some(id) {
            return Ok(self.store.get_institution_registration(id).await?);
        }
        Err(ErrorCode::NotFound.into())
    }

    /// I1: the management link sent again to the registration's email. Sent only for a paid
    /// registration, at most once per registration and minute (the dedup key), so a stranger
    /// can neither spam an inbox nor learn anything (the answer is the same either way).
    pub async fn resend_manage_link(&self, id: RegistrationId, email: &str) -> AppResult<()> {
        let Ok(email) = crate::accounts::parse_email(email) else {
            return Ok(());
        };
        let Ok(r) = self.store.get_institution_registration(id).await else {
            return Ok(());
        };
        if r.email.as_str() != email.as_str()
            || r.registration.status == certdesk_domain::RegistrationStatus::AwaitingPayment
        {
            return Ok(());
        }
        let now = self.now();
        let minute = now.as_second() / 60;
        let jobs = self.deliveries(
            r.registration.account_id,
            Notice::InstitutionRegistered {
                registration_id: r.enrolment.registration_id,
            },
            &format!(
                "institution_registered:registration:{}:resend:{minute}",
                r.enrolment.registration_id
            ),
            now,
        );
        self.store.enqueue_jobs(jobs).await?;
        Ok(())
    }

    /// O9/I7: an institution candidate gives the address their paper certificate ships to,
    /// through the management link: the registration's contact is who "me" is.
    pub async fn put_mailing_address_by_link(
        &self,
        token: &str,
        input: crate::paper::MailingAddressInput,
    ) -> AppResult<certdesk_store::MailingAddress> {
        let first = self.open_manage_link(token).await?;
        let contact = self
            .store
            .get_account(first.registration.account_id)
            .await?;
        self.put_mailing_address(&contact, input).await
    }

    /// The management token of a registration (tests and the demo print it).
    pub fn manage_token(&self, id: RegistrationId) -> String {
        self.manage_links.token(id)
    }
}
