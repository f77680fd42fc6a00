//! Send time: a notice's ids are read back from the store, so a message says what is true when
//! it goes out, and a job's payload never holds data the store keeps (see the README).

use certdesk_domain::{AccountId, CertCode, Fen};
use certdesk_store::runner::JobFailure;
use certdesk_store::{Store, StoreError};

use crate::message::{CertificationNames, InstitutionContact, Message};
use crate::notice::Notice;
use crate::site::Site;

/// Database trouble is worth retrying; anything else from the store is a defect to look at.
pub(crate) fn store_failure(e: StoreError) -> JobFailure {
    JobFailure::retry(format!("store: {e}"))
}

/// `NotFound` is permanent (the thing is gone or was never the recipient's); other errors retry.
fn lookup<T>(what: &str, result: Result<T, StoreError>) -> Result<T, JobFailure> {
    result.map_err(|e| match e {
        StoreError::NotFound => JobFailure::permanent(format!("{what} does not exist")),
        e => store_failure(e),
    })
}

fn not_theirs(what: &str) -> JobFailure {
    JobFailure::permanent(format!("{what} does not belong to the recipient"))
}

async fn certificate(
    store: &dyn Store,
    number: &certdesk_domain::CertificateNumber,
) -> Result<certdesk_store::Certificate, JobFailure> {
    store
        .find_certificate(number)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| JobFailure::permanent(format!("certificate {number} does not exist")))
}

/// I1/I9: an institution registration of the recipient (its contact), with its institution's
/// contact details.
async fn institution_registration(
    store: &dyn Store,
    account: AccountId,
    id: certdesk_domain::RegistrationId,
) -> Result<(certdesk_store::InstitutionRegistration, InstitutionContact), JobFailure> {
    let r = lookup("registration", store.get_institution_registration(id).await)?;
    if r.registration.account_id != account {
        return Err(not_theirs("registration"));
    }
    let institution = lookup(
        "institution",
        store.get_institution(r.enrolment.institution_id).await,
    )?;
    Ok((
        r,
        InstitutionContact {
            name: institution.name,
            hotline: institution.hotline,
            email: institution.email,
        },
    ))
}

async fn names(store: &dyn Store, code: &CertCode) -> Result<CertificationNames, JobFailure> {
    let cert = store
        .find_certification(code)
        .await
        .map_err(store_failure)?
        .ok_or_else(|| JobFailure::permanent(format!("certification {code} does not exist")))?;
    Ok(CertificationNames {
        zh: cert.data.name_zh,
        en: cert.data.name_en,
    })
}

/// A2: registrations and certificates belong to the identity; the recipient must be that
/// person.
async fn holds(
    store: &dyn Store,
    account: AccountId,
    identity: certdesk_domain::IdentityId,
    what: &str,
) -> Result<(), JobFailure> {
    let own = store.find_identity(account).await.map_err(store_failure)?;
    if own.map(|i| i.identity_id) == Some(identity) {
        Ok(())
    } else {
        Err(not_theirs(what))
    }
}

/// The message `notice` makes for `account`, with its facts read from `store` now.
pub async fn resolve(
    store: &dyn Store,
    account: AccountId,
    notice: &Notice,
    site: &Site,
) -> Result<Message, JobFailure> {
    Ok(match notice {
        Notice::Welcome => Message::Welcome,
        Notice::IdentityVerified => Message::IdentityVerified,
        Notice::IdentityPending => Message::IdentityPending,
        Notice::IdentityRejected { reason } => Message::IdentityRejected {
            reason: reason.clone(),
        },
        Notice::RegistrationConfirmed { period_id, paid_at } => {
            // A2: registrations belong to the identity; the recipient's own paid order of
            // that period at that instant is the one (the newest of the period otherwise).
            let identity = store
                .find_identity(account)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| JobFailure::permanent("the recipient has no identity"))?;
            let of_period: Vec<_> = store
                .list_registrations(identity.identity_id)
                .await
                .map_err(store_failure)?
                .into_iter()
                .filter(|r| r.period_id == Some(*period_id) && r.account_id == account)
                .collect();
            let mut chosen = None;
            for r in &of_period {
                let Some(order_id) = r.order_id else { continue };
                let order = lookup("order", store.get_order(order_id).await)?;
                if order.paid_at == *paid_at {
                    chosen = Some((r, order.total));
                    break;
                }
            }
            let (registration, total) = match chosen {
                Some(found) => found,
                None => {
                    let r = of_period.first().ok_or_else(|| {
                        JobFailure::permanent(format!(
                            "no registration of period {period_id} for account {account}"
                        ))
                    })?;
                    let total = match r.order_id {
                        Some(id) => lookup("order", store.get_order(id).await)?.total,
                        None => Fen::ZERO,
                    };
                    (r, total)
                }
            };
            Message::RegistrationConfirmed {
                certification: names(store, &registration.certification_code).await?,
                city: registration.city.clone().unwrap_or_default(),
                exam_starts_at: registration
                    .exam_starts_at
                    .ok_or_else(|| JobFailure::permanent("the registration has no sitting"))?,
                total,
            }
        }
        Notice::RefundCompleted { order_id } => {
            let order = lookup("order", store.get_order(*order_id).await)?;
            if order.account_id != account {
                return Err(not_theirs("order"));
            }
            let refund = store
                .find_refund(*order_id)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| JobFailure::permanent(format!("order {order_id} has no refund")))?;
            let registration = lookup(
                "registration",
                store.get_registration(order.registration_id).await,
            )?;
            Message::RefundCompleted {
                certification: names(store, &registration.certification_code).await?,
                cash: refund.cash,
                gift: refund.gift,
                voucher_forfeited: refund.voucher_forfeited,
            }
        }
        Notice::RegistrationRescheduled { registration_id } => {
            let registration = lookup(
                "registration",
                store.get_registration(*registration_id).await,
            )?;
            // A2: registrations belong to the identity; the recipient must be that person.
            let identity = store.find_identity(account).await.map_err(store_failure)?;
            if identity.map(|i| i.identity_id) != Some(registration.identity_id) {
                return Err(not_theirs("registration"));
            }
            let moves = store
                .list_reschedules(*registration_id)
                .await
                .map_err(store_failure)?;
            let last = moves.last().ok_or_else(|| {
                JobFailure::permanent(format!(
                    "registration {registration_id} was never rescheduled"
                ))
            })?;
            Message::RegistrationRescheduled {
                certification: names(store, &registration.certification_code).await?,
                from_city: last.from_city.clone(),
                from_starts_at: last.from_starts_at,
                city: last.to_city.clone(),
                exam_starts_at: last.to_starts_at,
            }
        }
        Notice::RetakeRegistered { registration_id } => {
            let mut registration = lookup(
                "registration",
                store.get_registration(*registration_id).await,
            )?;
            // The notice may name the first attempt (the retake's id does not exist when its
            // commit is built): the sitting is the retake's.
            if let Some(retake) = registration.retake_id {
                registration = lookup("registration", store.get_registration(retake).await)?;
            }
            // A2: registrations belong to the identity; the recipient must be that person.
            let identity = store.find_identity(account).await.map_err(store_failure)?;
            if identity.map(|i| i.identity_id) != Some(registration.identity_id) {
                return Err(not_theirs("registration"));
            }
            Message::RetakeRegistered {
                certification: names(store, &registration.certification_code).await?,
                city: registration.city.clone().unwrap_or_default(),
                exam_starts_at: registration
                    .exam_starts_at
                    .ok_or_else(|| JobFailure::permanent("the registration has no sitting"))?,
            }
        }
        Notice::CreditReceived {
            balance,
            amount,
            reason,
        } => Message::CreditReceived {
            balance: *balance,
            amount: *amount,
            reason: reason.clone(),
        },
        Notice::VoucherReceived { code } => {
            let voucher = store
                .find_voucher(code)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| JobFailure::permanent(format!("voucher {code} does not exist")))?;
            if voucher.account_id != account {
                return Err(not_theirs("voucher"));
            }
            Message::VoucherReceived {
                code: voucher.code,
                face_value: voucher.face_value,
                min_spend: voucher.min_spend,
                expires_at: voucher.expires_at,
            }
        }
        Notice::ResultReleased { registration_id } => {
            let r = lookup(
                "registration",
                store.get_registration(*registration_id).await,
            )?;
            if r.account_id != account {
                return Err(not_theirs("registration"));
            }
            let result = r.result.ok_or_else(|| {
                JobFailure::permanent(format!("registration {registration_id} has no result"))
            })?;
            Message::ResultReleased {
                certification: names(store, &r.certification_code).await?,
                score: result.score.map(|s| s.get()),
                passed: result.passed,
            }
        }
        Notice::AdmissionTicketIssued { registration_id } => {
            let r = lookup(
                "registration",
                store.get_registration(*registration_id).await,
            )?;
            holds(store, account, r.identity_id, "registration").await?;
            let ticket = store
                .find_ticket(*registration_id)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| {
                    JobFailure::permanent(format!("registration {registration_id} has no ticket"))
                })?;
            Message::AdmissionTicketIssued {
                certification: names(store, &r.certification_code).await?,
                number: ticket.number.to_string(),
                venue_name: ticket.venue.name,
                venue_address: ticket.venue.address,
                seat: ticket.seat,
                exam_starts_at: ticket.starts_at,
            }
        }
        Notice::CertificateIssued { number } => {
            let certificate = certificate(store, number).await?;
            holds(store, account, certificate.identity_id, "certificate").await?;
            Message::CertificateIssued {
                certification: CertificationNames {
                    zh: certificate.certification_name_zh,
                    en: certificate.certification_name_en,
                },
                number: number.to_string(),
                expires_at: certificate.expires_at,
                verify_url: site.verify_url(number.as_str()),
            }
        }
        Notice::PaperCertificateShipped { number } => {
            let certificate = certificate(store, number).await?;
            let paper = store
                .find_paper_certificate(certificate.id)
                .await
                .map_err(store_failure)?
                .ok_or_else(|| JobFailure::permanent(format!("{number} has no paper copy")))?;
            if paper.account_id != account {
                return Err(not_theirs("paper certificate"));
            }
            let shipment = paper
                .shipment
                .ok_or_else(|| JobFailure::permanent(format!("{number} has not shipped")))?;
            Message::PaperCertificateShipped {
                certification: CertificationNames {
                    zh: certificate.certification_name_zh,
                    en: certificate.certification_name_en,
                },
                carrier: shipment.carrier,
                tracking_number: shipment.tracking_number,
            }
        }
        Notice::SupportTicketAnswered { ticket_id } => {
            let ticket = lookup("support ticket", store.get_support_ticket(*ticket_id).await)?;
            if ticket.account_id != account {
                return Err(not_theirs("support ticket"));
            }
            Message::SupportTicketAnswered {
                ticket_id: ticket_id.get(),
                subject: ticket.subject,
            }
        }
        Notice::SupportTicketUpdated { ticket_id } | Notice::SupportTicketOpened { ticket_id } => {
            let ticket = lookup("support ticket", store.get_support_ticket(*ticket_id).await)?;
            // Whoever is told must still be an operator when it is sent.
            let recipient = lookup("account", store.get_account(account).await)?;
            if !recipient.has_role(certdesk_domain::Role::Admin) {
                return Err(not_theirs("support ticket"));
            }
            let (ticket_id, subject) = (ticket_id.get(), ticket.subject);
            match notice {
                Notice::SupportTicketOpened { .. } => {
                    Message::SupportTicketOpened { ticket_id, subject }
                }
                _ => Message::SupportTicketUpdated { ticket_id, subject },
            }
        }
        Notice::InstitutionRegistered { registration_id } => {
            let (r, institution) =
                institution_registration(store, account, *registration_id).await?;
            Message::InstitutionRegistered {
                certification: names(store, &r.registration.certification_code).await?,
                institution,
                manage_url: site.manage_url(r.enrolment.registration_id),
            }
        }
        Notice::AppointmentBooked { registration_id } => {
            let (mut r, institution) =
                institution_registration(store, account, *registration_id).await?;
            // I6: the notice of a retake names the first attempt (the retake's id does not
            // exist when its commit is built): the appointment is the retake's.
            if let Some(retake) = r.registration.retake_id {
                r = lookup(
                    "registration",
                    store.get_institution_registration(retake).await,
                )?;
            }
            let slot = r
                .slot
                .ok_or_else(|| JobFailure::permanent("the registration has no appointment"))?;
            let centre = lookup(
                "test centre",
                store.get_test_centre(slot.test_centre_id).await,
            )?;
            Message::AppointmentBooked {
                certification: names(store, &r.registration.certification_code).await?,
                centre_name: centre.name,
                centre_address: centre.address,
                exam_starts_at: slot.starts_at,
                institution,
                manage_url: site.manage_url(r.enrolment.registration_id),
            }
        }
        Notice::TopUpReceived { payment_id } => {
            let payment = lookup("payment", store.get_payment(*payment_id).await)?;
            if payment.account_id != account {
                return Err(not_theirs("payment"));
            }
            Message::TopUpReceived {
                amount: payment.amount,
            }
        }
    })
}
