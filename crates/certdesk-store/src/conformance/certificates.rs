//! O9: certificates for passes only — numbered, valid for the certification's months, each
//! with its paper copy queued and its promises (P1: the e-certificate kept, the paper shipment
//! recorded) — a number drawn twice refused whole; revocation once, audited; a paper copy ships
//! once, to the address given then, keeping its promise.

use std::sync::Arc;

use certdesk_domain::{CertificateNumber, ExamOutcome, PromiseKind};
use jiff::Timestamp;

use super::fixtures::{assert_conflict, assert_not_found, at, audit};
use super::results::{commit, release, released, scored, sitting};
use crate::{
    CertificateDue, Conflict, MailingAddress, NewCertificate, NewInboxMessage, PageRequest, Store,
};

fn number(n: u8) -> CertificateNumber {
    CertificateNumber::from_digits([n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
}

fn notice(due: &CertificateDue, kind: &str, at: Timestamp) -> NewInboxMessage {
    NewInboxMessage {
        account_id: due.account_id,
        kind: kind.to_owned(),
        title_zh: "证书".to_owned(),
        body_zh: due.certification_name_zh.clone(),
        title_en: "Certificate".to_owned(),
        body_en: due.certification_name_en.clone(),
        source_job: None,
        created_at: at,
        deliveries: Vec::new(),
    }
}

fn certificate(due: &CertificateDue, n: u8, issued_at: Timestamp) -> NewCertificate {
    NewCertificate {
        number: number(n),
        registration_id: due.registration_id,
        identity_id: due.identity_id,
        certification_id: due.certification_id,
        holder_name: due.holder_name.clone(),
        issued_at,
        expires_at: at(900 * 86_400),
        paper_due_at: at(120 * 86_400),
        inbox: notice(due, "certificate_issued", issued_at),
    }
}

fn address(line: &str, at: Timestamp) -> MailingAddress {
    MailingAddress {
        recipient: "韩梅梅".to_owned(),
        phone: "+8613800000000".to_owned(),
        province: "广东省".to_owned(),
        city: "深圳市".to_owned(),
        address: line.to_owned(),
        postcode: Some("518000".to_owned()),
        updated_at: at,
    }
}

/// Three sat the exam: the first passed, the second failed, the third was absent.
async fn resulted(store: &dyn Store, code: &str) -> Vec<CertificateDue> {
    let regs = sitting(store, code, 3).await;
    store
        .commit_results(commit(
            vec![
                release(regs[0].0, regs[0].1, scored(90), true),
                release(regs[1].0, regs[1].1, scored(10), false),
                release(regs[2].0, regs[2].1, ExamOutcome::Absent, false),
            ],
            released(),
        ))
        .await
        .expect("results");
    store.list_certificates_due(10).await.expect("due")
}

pub async fn certificates_issued_for_passes_with_their_paper_copies(store: Arc<dyn Store>) {
    let s = &*store;
    let due = resulted(s, "CLD-ARC-A").await;
    assert_eq!(due.len(), 1, "only the pass: {due:?}");
    let d = &due[0];
    assert_eq!(d.validity_months, 24);
    assert!(!d.holder_name.is_empty());
    let issued_at = at(91 * 86_400 + 60);
    assert_eq!(
        s.commit_certificates(vec![certificate(d, 1, issued_at)])
            .await
            .expect("issued"),
        1
    );
    let c = s
        .find_certificate(&number(1))
        .await
        .expect("find")
        .expect("certificate");
    assert_eq!(
        (
            c.registration_id,
            c.identity_id,
            c.issued_at,
            c.revoked.clone()
        ),
        (d.registration_id, d.identity_id, issued_at, None)
    );
    assert_eq!(c.certification_code, d.certification_code);
    assert_eq!(
        s.list_certificates(d.identity_id).await.expect("list"),
        vec![c.clone()]
    );
    assert!(s.list_certificates_due(10).await.expect("due").is_empty());
    let promises = s.list_promises(d.registration_id).await.expect("promises");
    let kept = |kind| promises.iter().find(|p| p.kind == kind).map(|p| p.kept_at);
    assert_eq!(
        kept(PromiseKind::ECertificate),
        Some(Some(issued_at)),
        "{promises:?}"
    );
    assert_eq!(kept(PromiseKind::PaperCertificate), Some(None));
    let queue = s
        .list_paper_certificates(false, PageRequest::default())
        .await
        .expect("queue");
    assert_eq!(queue.items.len(), 1);
    assert_eq!(queue.items[0].certificate_number, number(1));
    assert_eq!(queue.items[0].due_at, at(120 * 86_400));
    assert_eq!(queue.items[0].address, None);
    let inbox = s
        .list_inbox_messages(d.account_id, PageRequest::default())
        .await
        .expect("inbox");
    assert!(inbox.items.iter().any(|m| m.kind == "certificate_issued"));

    // The same number again, for another pass: refused whole.
    let more = sitting(s, "CLD-ARC-E", 1).await;
    s.commit_results(commit(
        vec![release(more[0].0, more[0].1, scored(95), true)],
        released(),
    ))
    .await
    .expect("results");
    let other = s.list_certificates_due(10).await.expect("due");
    assert_conflict(
        s.commit_certificates(vec![certificate(&other[0], 1, issued_at)])
            .await,
        Conflict::CertificateTaken,
    );
    assert_eq!(
        s.list_certificates_due(10).await.expect("due").len(),
        1,
        "nothing written"
    );
}

pub async fn certificate_revoked_once_audited(store: Arc<dyn Store>) {
    let s = &*store;
    let due = resulted(s, "CLD-DEV-A").await;
    s.commit_certificates(vec![certificate(&due[0], 2, released())])
        .await
        .expect("issued");
    let revoked = s
        .commit_revocation(
            &number(2),
            "考试舞弊",
            at(95 * 86_400),
            audit("certificate.revoke", at(95 * 86_400)),
        )
        .await
        .expect("revoked");
    assert_eq!(
        revoked.revoked,
        Some((at(95 * 86_400), "考试舞弊".to_owned()))
    );
    assert_conflict(
        s.commit_revocation(
            &number(2),
            "again",
            at(96 * 86_400),
            audit("certificate.revoke", at(1)),
        )
        .await,
        Conflict::AlreadyRevoked,
    );
    assert_not_found(
        s.commit_revocation(
            &number(9),
            "none",
            at(96 * 86_400),
            audit("certificate.revoke", at(1)),
        )
        .await,
    );
    let log = s.list_audit(PageRequest::default()).await.expect("audit");
    let revocations = log
        .items
        .iter()
        .filter(|e| e.action == "certificate.revoke")
        .count();
    assert_eq!(revocations, 1);
}

pub async fn paper_certificate_ships_once_to_the_address_given_then(store: Arc<dyn Store>) {
    let s = &*store;
    let due = resulted(s, "CLD-OPS-A").await;
    let d = &due[0];
    s.commit_certificates(vec![certificate(d, 3, released())])
        .await
        .expect("issued");
    let id = s
        .find_certificate(&number(3))
        .await
        .expect("find")
        .expect("certificate")
        .id;
    let ship = |at_secs: i64| {
        s.commit_shipment(
            id,
            "顺丰速运",
            "SF1234567890",
            at(at_secs),
            notice(d, "paper_certificate_shipped", at(at_secs)),
            audit("paper_certificate.ship", at(at_secs)),
        )
    };
    assert_conflict(ship(100 * 86_400).await, Conflict::NoMailingAddress);
    let waiting = s.find_paper_certificate(id).await.expect("find");
    let waiting = waiting.expect("queued with its certificate");
    assert_eq!((waiting.address, waiting.shipment), (None, None));
    assert_eq!(waiting.account_id, d.account_id);
    s.put_mailing_address(d.account_id, address("南山区科技园 1 号", at(99 * 86_400)))
        .await
        .expect("address");
    assert_eq!(
        s.find_mailing_address(d.account_id).await.expect("find"),
        Some(address("南山区科技园 1 号", at(99 * 86_400)))
    );
    let shipped = ship(100 * 86_400).await.expect("shipped");
    let shipment = shipped.shipment.expect("shipment");
    assert_eq!(
        (shipment.carrier.as_str(), shipment.tracking_number.as_str()),
        ("顺丰速运", "SF1234567890")
    );
    assert_eq!(shipment.address.address, "南山区科技园 1 号");
    assert_conflict(ship(101 * 86_400).await, Conflict::AlreadyShipped);
    let found = s.find_paper_certificate(id).await.expect("find");
    assert_eq!(
        found.and_then(|p| p.shipment).map(|s| s.tracking_number),
        Some("SF1234567890".to_owned())
    );
    assert_eq!(
        s.find_paper_certificate(certdesk_domain::CertificateId(9_999))
            .await
            .expect("find"),
        None
    );

    // A new address later does not rewrite where it went.
    s.put_mailing_address(d.account_id, address("福田区 2 号", at(102 * 86_400)))
        .await
        .expect("address");
    let listed = s
        .list_paper_certificates(true, PageRequest::default())
        .await
        .expect("shipped");
    assert_eq!(listed.items.len(), 1);
    let kept = listed.items[0].shipment.as_ref().expect("shipment");
    assert_eq!(kept.address.address, "南山区科技园 1 号");
    assert_eq!(
        listed.items[0].address.as_ref().expect("now").address,
        "福田区 2 号"
    );
    assert!(
        s.list_paper_certificates(false, PageRequest::default())
            .await
            .expect("pending")
            .items
            .is_empty()
    );
    let promises = s.list_promises(d.registration_id).await.expect("promises");
    let paper = promises
        .iter()
        .find(|p| p.kind == PromiseKind::PaperCertificate)
        .expect("promise");
    assert_eq!(paper.kept_at, Some(at(100 * 86_400)));
    assert_not_found(
        s.commit_shipment(
            certdesk_domain::CertificateId(9_999),
            "x",
            "y",
            at(1),
            notice(d, "x", at(1)),
            audit("paper_certificate.ship", at(1)),
        )
        .await,
    );
}
