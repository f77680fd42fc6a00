//! The institution channel's store behaviours (I1, I3, I5, I6, I8): what one registration
//! commits, the agreement version read in its transaction, a payment reported many times at
//! once, the last seats of a slot under concurrent bookings, and refunds that never exceed
//! what was paid however many arrive together.

use std::sync::Arc;

use certdesk_domain::{
    AccountId, Email, Fen, InstitutionId, Phone, PromiseKind, RegistrationId, RegistrationStatus,
    SlotId,
};

use super::fixtures::{assert_conflict, at, audit, cert_data};
use super::shop::all_at_once;
use crate::{
    AppointmentCommit, Conflict, Institution, InstitutionPaymentCommit, InstitutionRefundCommit,
    InstitutionRetakeCommit, NewInstitution, NewInstitutionRegistration, NewPromise, NewSlot,
    NewTestCentre, Slot, Store, TestCentre,
};

struct Place {
    institution: Institution,
    centre: TestCentre,
    certification: certdesk_domain::CertificationId,
    staff: AccountId,
}

async fn place(s: &dyn Store) -> Place {
    let staff = super::fixtures::account(s, "staff@inst.example.cn")
        .await
        .id;
    let cert = s
        .commit_certification_create(cert_data("INS-DEV-A"), audit("certification.create", at(0)))
        .await
        .expect("certification");
    let institution = s
        .commit_institution(NewInstitution {
            name: "华南云计算培训中心".into(),
            hotline: "0755-8888 6666".into(),
            email: "exam@huanan.example.cn".into(),
            agreement_text: "第一版".into(),
            at: at(0),
            audit: audit("institution.create", at(0)),
        })
        .await
        .expect("institution");
    assert_eq!(institution.agreement_version, 1);
    let centre = s
        .commit_test_centre(NewTestCentre {
            institution_id: institution.id,
            name: "福田考点".into(),
            city: "深圳".into(),
            address: "深圳市福田区深南大道 1 号".into(),
            contact_name: "王老师".into(),
            contact_phone: "0755-1234 5678".into(),
            at: at(0),
            audit: audit("test_centre.create", at(0)),
        })
        .await
        .expect("centre");
    Place {
        institution,
        centre,
        certification: cert.id,
        staff,
    }
}

async fn new_slot(s: &dyn Store, p: &Place, days: i64, capacity: u32) -> Slot {
    s.commit_slot(NewSlot {
        test_centre_id: p.centre.id,
        starts_at: at(days * 86_400),
        capacity,
        created_by: p.staff,
        at: at(1),
    })
    .await
    .expect("slot")
}

fn registration(p: &Place, n: u32, version: u32) -> NewInstitutionRegistration {
    NewInstitutionRegistration {
        institution_id: p.institution.id,
        agreement_version: version,
        certification_id: p.certification,
        fee: Fen::new(70_000).expect("fee"),
        gateway: "sandbox".into(),
        email: Email::parse(&format!("c{n}@example.com")).expect("email"),
        phone: Phone::parse("13800138000").expect("phone"),
        locale: "zh-CN".into(),
        real_name: "韩梅梅".into(),
        blind_index: format!("person-{n}").into_bytes(),
        id_number_ciphertext: vec![n as u8; 28],
        id_number_masked: "440305********0011".into(),
        at: at(10),
    }
}

/// A registration, paid: its id.
async fn paid(s: &dyn Store, p: &Place, n: u32) -> RegistrationId {
    let (r, payment) = s
        .commit_institution_registration(registration(p, n, p.institution.agreement_version))
        .await
        .expect("registered");
    let outcome = s
        .commit_institution_payment(payment_commit(payment.id))
        .await
        .expect("paid");
    assert!(outcome.confirmed);
    r.registration.id
}

fn payment_commit(id: certdesk_domain::PaymentId) -> InstitutionPaymentCommit {
    InstitutionPaymentCommit {
        payment_id: id,
        gateway_ref: format!("gw-{id}"),
        at: at(20),
        promises: vec![NewPromise {
            kind: PromiseKind::InstitutionConfirmation,
            due_at: at(20 + 600),
            kept_at: None,
        }],
        jobs: Vec::new(),
        inbox: None,
    }
}

fn booking(id: RegistrationId, to: SlotId) -> AppointmentCommit {
    AppointmentCommit {
        registration_id: id,
        from_slot: None,
        to_slot: to,
        duration_minutes: 120,
        staff: None,
        at: at(30),
        jobs: Vec::new(),
    }
}

/// I1: the registration awaits its payment, with its contact (who cannot sign in) verified as
/// the person; a stale agreement version writes nothing; the payment confirms it once.
pub async fn institution_registration_commits_and_confirms_once(store: Arc<dyn Store>) {
    let s = &*store;
    let p = place(s).await;
    let next = s
        .commit_agreement(
            p.institution.id,
            "第二版".into(),
            audit("agreement.publish", at(2)),
        )
        .await
        .expect("version 2");
    assert_eq!(next.version, 2);
    assert_eq!(
        s.current_agreement(p.institution.id)
            .await
            .expect("current"),
        next
    );
    assert_conflict(
        s.commit_institution_registration(registration(&p, 1, 1))
            .await,
        Conflict::AgreementOutdated,
    );
    let (r, payment) = s
        .commit_institution_registration(registration(&p, 1, 2))
        .await
        .expect("registered");
    assert_eq!(r.registration.status, RegistrationStatus::AwaitingPayment);
    assert_eq!(
        (r.registration.exam_starts_at, r.slot.as_ref()),
        (None, None)
    );
    assert_eq!(r.enrolment.agreement_version, 2);
    assert_eq!(r.enrolment.paid.get(), 70_000);
    assert_eq!(payment.amount.get(), 70_000);
    assert_eq!(r.email.as_str(), "c1@example.com");
    // The contact is no login: no email finds it.
    assert!(
        s.find_account_by_email(&r.email)
            .await
            .expect("find")
            .is_none(),
        "a contact never signs in"
    );
    assert_eq!(
        s.find_registration_by_payment(payment.id)
            .await
            .expect("find"),
        Some(r.registration.id)
    );
    // Reported paid five times at once: confirmed once, one promise.
    let id = payment.id;
    let outcomes = all_at_once(&store, 5, move |st, _| async move {
        st.commit_institution_payment(payment_commit(id)).await
    })
    .await;
    let confirmed = outcomes
        .into_iter()
        .map(|o| o.expect("reported"))
        .filter(|o| o.confirmed)
        .count();
    assert_eq!(confirmed, 1);
    let again = s
        .get_institution_registration(r.registration.id)
        .await
        .expect("read");
    assert_eq!(again.registration.status, RegistrationStatus::Confirmed);
    let promises = s.list_promises(r.registration.id).await.expect("promises");
    assert_eq!(promises.len(), 1);
    // A2: the same person cannot register for the same certification while this is live.
    let mut twin = registration(&p, 1, 2);
    twin.email = Email::parse("other@example.com").expect("email");
    assert_conflict(
        s.commit_institution_registration(twin).await,
        Conflict::AlreadyRegistered,
    );
}

/// I3: twelve candidates book a slot of three seats at once: three booked, nine refused, the
/// slot's count exact; a move releases the old seat; I6's retake takes a seat the same way.
pub async fn institution_last_seats_of_a_slot(store: Arc<dyn Store>) {
    let s = &*store;
    let p = place(s).await;
    let slot = new_slot(s, &p, 30, 3).await;
    let other = new_slot(s, &p, 31, 5).await;
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(paid(s, &p, n).await);
    }
    let shared = Arc::new(ids.clone());
    let to = slot.id;
    let results = all_at_once(&store, 12, move |st, i| {
        let ids = shared.clone();
        async move { st.commit_appointment(booking(ids[i], to)).await }
    })
    .await;
    let mut booked = Vec::new();
    for (id, result) in ids.iter().zip(results) {
        match result {
            Ok(r) => {
                assert_eq!(r.registration.slot_id, Some(to));
                assert_eq!(r.registration.exam_starts_at, Some(slot.starts_at));
                booked.push(*id);
            }
            Err(e) => assert!(
                matches!(e, crate::StoreError::Conflict(Conflict::SlotFull)),
                "{e:?}"
            ),
        }
    }
    assert_eq!(booked.len(), 3);
    assert_eq!(s.get_slot(to).await.expect("slot").taken, 3);
    // A move takes the new seat and gives the old one back; the move counts (I5).
    let moved = s
        .commit_appointment(AppointmentCommit {
            from_slot: Some(to),
            ..booking(booked[0], other.id)
        })
        .await
        .expect("moved");
    assert_eq!(moved.registration.reschedules_used, 1);
    assert_eq!(s.get_slot(to).await.expect("slot").taken, 2);
    assert_eq!(s.get_slot(other.id).await.expect("slot").taken, 1);
    // Moving from a slot it is no longer on changes nothing.
    assert_conflict(
        s.commit_appointment(AppointmentCommit {
            from_slot: Some(to),
            ..booking(booked[0], other.id)
        })
        .await,
        Conflict::RegistrationChanged,
    );
    // I6: only a failed first attempt gives a retake, once.
    let retake = |first: RegistrationId, slot: SlotId| InstitutionRetakeCommit {
        first_registration_id: first,
        slot_id: slot,
        duration_minutes: 120,
        promises: Vec::new(),
        jobs: Vec::new(),
        at: at(40),
    };
    assert_conflict(
        s.commit_institution_retake(retake(booked[1], other.id))
            .await,
        Conflict::RegistrationChanged,
    );
}

/// I8: ten refunds of ¥300 at once against ¥700 paid: two made, the rest refused, the total
/// never above what was paid; the last fen cancels the live registration and frees its seat.
pub async fn institution_refunds_never_exceed_paid(store: Arc<dyn Store>) {
    let s = &*store;
    let p = place(s).await;
    let slot = new_slot(s, &p, 30, 2).await;
    let id = paid(s, &p, 1).await;
    s.commit_appointment(booking(id, slot.id))
        .await
        .expect("booked");
    let staff = p.staff;
    let refund = move |amount: i64| InstitutionRefundCommit {
        registration_id: id,
        amount: Fen::new(amount).expect("amount"),
        reason: "考生申请退款".into(),
        staff_id: staff,
        at: at(50),
        audit: audit("institution_refund.create", at(50)),
        jobs: Vec::new(),
    };
    let results = all_at_once(&store, 10, move |st, _| async move {
        st.commit_institution_refund(refund(30_000)).await
    })
    .await;
    let made = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(made, 2);
    for r in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            matches!(r, crate::StoreError::Conflict(Conflict::RefundExceedsPaid)),
            "{r:?}"
        );
    }
    let r = s.get_institution_registration(id).await.expect("read");
    assert_eq!(r.enrolment.refunded.get(), 60_000);
    assert_eq!(r.registration.status, RegistrationStatus::Confirmed);
    let last = s
        .commit_institution_refund(refund(10_000))
        .await
        .expect("rest");
    assert_eq!((last.remaining.get(), last.cancelled), (0, true));
    let r = s.get_institution_registration(id).await.expect("read");
    assert_eq!(r.registration.status, RegistrationStatus::Cancelled);
    assert_eq!(s.get_slot(slot.id).await.expect("slot").taken, 0);
    let listed = s.list_institution_refunds(id).await.expect("list");
    assert_eq!(
        listed.iter().map(|r| r.remaining.get()).collect::<Vec<_>>(),
        vec![40_000, 10_000, 0]
    );
    assert_conflict(
        s.commit_institution_refund(refund(1)).await,
        Conflict::RefundExceedsPaid,
    );
    // Another institution's listing does not show it.
    let elsewhere = s
        .list_institution_registrations(InstitutionId(p.institution.id.get() + 1), 10)
        .await
        .expect("list");
    assert!(elsewhere.is_empty());
}
