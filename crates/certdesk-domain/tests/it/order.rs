//! A1 (who may buy), E3 (a registration's deadlines, from the rules that enforce them) and the
//! status names of registrations, orders, payments and promises.

use super::{MICROSECOND, SECOND, assert_refused, at};
use certdesk_domain::rules::{
    check_refund_window, refund_deadline, reschedule_deadline, retake_apply_deadline,
    retake_latest_start,
};
use certdesk_domain::{
    Attempt, Channel, IdentityStatus, Locale, OrderStatus, PaymentStatus, Policy, PromiseKind,
    RegistrationDeadlines, RegistrationFacts, RegistrationStatus, check_real_name,
    registration_deadlines,
};

#[test]
fn a1_only_a_verified_identity_buys() {
    assert!(check_real_name(Some(IdentityStatus::Verified)).is_ok());
    for status in [
        None,
        Some(IdentityStatus::Pending),
        Some(IdentityStatus::Rejected),
    ] {
        assert_refused(check_real_name(status), "real_name_required", "A1", None);
    }
}

fn facts() -> RegistrationFacts {
    RegistrationFacts {
        channel: Channel::Official,
        status: RegistrationStatus::Confirmed,
        attempt: Attempt::First,
        order: Some((at("2027-03-01 20:30"), OrderStatus::Paid)),
        reschedules_used: 0,
        current_start: at("2027-06-12 09:00"),
        retake_used: false,
    }
}

#[test]
fn e3_registration_deadlines_come_from_the_enforcing_rules() {
    let p = Policy::default();
    let d = registration_deadlines(&facts(), &p);
    assert_eq!(
        d.refund_until,
        Some(refund_deadline(at("2027-03-01 20:30"), &p))
    );
    assert_eq!(
        d.reschedule_until,
        Some(reschedule_deadline(at("2027-06-12 09:00"), &p))
    );
    assert_eq!(d.reschedule_until, Some(at("2027-06-02 09:00")));
    assert_eq!(d.retake_apply_until, None);
    let json = serde_json::to_value(d).unwrap();
    assert!(json.get("retake_apply_until").is_none());
    assert_eq!(json["reschedule_until"], "2027-06-02T01:00:00Z");

    let refunded = RegistrationFacts {
        order: Some((at("2027-03-01 20:30"), OrderStatus::Refunded)),
        ..facts()
    };
    assert_eq!(registration_deadlines(&refunded, &p).refund_until, None);
    let moved = RegistrationFacts {
        reschedules_used: 1,
        ..facts()
    };
    assert_eq!(registration_deadlines(&moved, &p).reschedule_until, None);
    let retake = RegistrationFacts {
        attempt: Attempt::Retake,
        order: None,
        ..facts()
    };
    assert_eq!(registration_deadlines(&retake, &p), Default::default());
    for status in [
        RegistrationStatus::Cancelled,
        RegistrationStatus::Passed,
        RegistrationStatus::Absent,
    ] {
        let done = RegistrationFacts { status, ..facts() };
        assert_eq!(registration_deadlines(&done, &p), Default::default());
    }
    let ticketed = RegistrationFacts {
        status: RegistrationStatus::TicketIssued,
        ..facts()
    };
    assert!(
        registration_deadlines(&ticketed, &p)
            .reschedule_until
            .is_some()
    );
    let institution = RegistrationFacts {
        channel: Channel::Institution,
        ..facts()
    };
    assert_eq!(registration_deadlines(&institution, &p), Default::default());
}

#[test]
fn o8_retake_apply_until_is_three_months_after_the_first_start_less_ten_days() {
    let p = Policy::default();
    let failed = RegistrationFacts {
        status: RegistrationStatus::Failed,
        ..facts()
    };
    let d = registration_deadlines(&failed, &p);
    // 12 June + 3 months = 12 September, 09:00; − 10 days = 2 September, 09:00.
    assert_eq!(d.retake_apply_until, Some(at("2027-09-02 09:00")));
    assert_eq!(
        d.retake_apply_until,
        Some(retake_apply_deadline(
            retake_latest_start(failed.current_start, &p),
            &p
        ))
    );
    assert_eq!((d.refund_until, d.reschedule_until), (None, None));
    // Month ends clamp (T2): 30 November + 3 months = 29 February 2028.
    let november = RegistrationFacts {
        current_start: at("2027-11-30 09:00"),
        ..failed
    };
    assert_eq!(
        registration_deadlines(&november, &p).retake_apply_until,
        Some(at("2028-02-19 09:00"))
    );
    let used = RegistrationFacts {
        retake_used: true,
        ..failed
    };
    assert_eq!(registration_deadlines(&used, &p).retake_apply_until, None);
    let failed_retake = RegistrationFacts {
        attempt: Attempt::Retake,
        order: None,
        ..failed
    };
    assert_eq!(
        registration_deadlines(&failed_retake, &p).retake_apply_until,
        None,
        "a failed retake gives nothing further"
    );
    let absent = RegistrationFacts {
        status: RegistrationStatus::Absent,
        ..facts()
    };
    assert_eq!(
        registration_deadlines(&absent, &p).retake_apply_until,
        None,
        "a no-show forfeits the retake by default"
    );
    let lenient = Policy {
        no_show_forfeits_retake: false,
        ..Policy::default()
    };
    assert_eq!(
        registration_deadlines(&absent, &lenient).retake_apply_until,
        Some(at("2027-09-02 09:00"))
    );
}

#[test]
fn o10_refund_open_until_the_microsecond_before_refund_until() {
    let p = Policy::default();
    let paid_at = at("2027-03-01 20:30");
    let d = registration_deadlines(&facts(), &p);
    let until = d.refund_until.unwrap();
    for now in [until - SECOND, until - MICROSECOND] {
        assert!(d.refund_open(now), "{now}");
        assert!(check_refund_window(paid_at, now, &p).is_ok());
    }
    for now in [until, until + MICROSECOND, until + SECOND] {
        assert!(!d.refund_open(now), "{now}");
        assert!(check_refund_window(paid_at, now, &p).is_err());
    }
    // No right, nothing open: a refunded order, or another account's view (A2).
    assert!(!RegistrationDeadlines::default().refund_open(paid_at));
}

#[test]
fn statuses_spell_as_the_api_does() {
    let names: Vec<&str> = RegistrationStatus::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "awaiting_payment",
            "confirmed",
            "ticket_issued",
            "passed",
            "failed",
            "absent",
            "cancelled"
        ]
    );
    let kinds: Vec<String> = PromiseKind::ALL
        .iter()
        .map(|k| {
            serde_json::to_value(k)
                .unwrap()
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "confirmation",
            "admission_ticket",
            "score",
            "e_certificate",
            "paper_certificate",
            "institution_confirmation"
        ]
    );
    assert_eq!(PromiseKind::InstitutionConfirmation.rule(), "I4");
    assert_eq!("retake".parse::<Attempt>(), Ok(Attempt::Retake));
    assert_eq!(Channel::Institution.to_string(), "institution");
    assert_eq!(
        serde_json::to_string(&PaymentStatus::Succeeded).unwrap(),
        "\"succeeded\""
    );
    assert!("Paid".parse::<OrderStatus>().is_err());
    assert!(RegistrationStatus::TicketIssued.is_live());
    assert!(!RegistrationStatus::Failed.is_live());
    assert_eq!(RegistrationStatus::Absent.label(Locale::ZhCn), "缺考");
}
