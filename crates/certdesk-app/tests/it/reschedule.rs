//! O7 through the use case: the move itself (seat, sitting, promises, inbox, E3), its
//! boundaries at one `now`, the target's public window not applying, and every refusal.

use certdesk_app::{AppError, Placed, RegistrationView};
use certdesk_domain::{
    ErrorCode, Policy, PromiseKind, RegistrationId,
    rules::{admission_ticket_due, score_due},
};
use certdesk_notify::{Notice, resolve};
use certdesk_store::{Account, ExamPeriod};
use jiff::{SignedDuration, Timestamp};

use crate::official::{FEE, SPECIALTY, World, exam_start, order, seats_left};
use crate::{code, start};

pub fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

/// 2027-07-10 09:00 Beijing: the default exam start + 3 months (T2), O7's horizon.
fn horizon() -> Timestamp {
    "2027-07-10T01:00:00Z".parse().unwrap()
}

impl World {
    /// A verified candidate with the fee in cash who bought `period` in `city`.
    pub async fn bought(
        &self,
        email: &str,
        id17: &str,
        period: &ExamPeriod,
        city: &str,
    ) -> (Account, Placed) {
        let me = self.verified(email, id17).await;
        self.credit(me.id, "cash", FEE).await;
        let placed = self
            .t
            .app
            .register_and_pay(&me, order(period, city), None)
            .await
            .unwrap();
        (me, placed)
    }

    pub async fn reschedule(
        &self,
        who: &Account,
        r: RegistrationId,
        to: &ExamPeriod,
        city: &str,
    ) -> Result<RegistrationView, AppError> {
        self.t.app.reschedule(who, r, to.id, city).await
    }
}

/// `(code, rule, field, deadline)` of a refusal.
#[track_caller]
pub fn refusal<T: std::fmt::Debug>(
    result: Result<T, AppError>,
) -> (
    ErrorCode,
    Option<&'static str>,
    Option<String>,
    Option<Timestamp>,
) {
    match result {
        Err(AppError::Refused(r)) => (r.code, r.rule, r.field, r.deadline),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn o7_reschedule_moves_seat_sitting_promises_and_tells_the_candidate() {
    let w = World::new().await;
    let first = w.period().await;
    let later = w
        .period_at(exam_start() + days(28), &[("深圳", 2), ("上海", 1)])
        .await;
    let (me, placed) = w
        .bought("ma@example.com", "11010519900101071", &first, "北京")
        .await;
    let r = placed.registration.id;
    assert!(placed.deadlines.reschedule_until.is_some());
    w.t.run_jobs().await;

    let view = w.reschedule(&me, r, &later, " 上海 ").await.unwrap();
    let moved = &view.registration;
    assert_eq!(
        (moved.period_id, moved.city.as_deref()),
        (Some(later.id), Some("上海"))
    );
    assert_eq!(
        (moved.exam_starts_at, moved.exam_ends_at),
        (Some(later.starts_at), Some(later.ends_at))
    );
    assert_eq!(moved.reschedules_used, 1);
    assert_eq!(moved.original_exam_starts_at, Some(first.starts_at));
    assert_eq!(
        view.deadlines.reschedule_until, None,
        "E3: the right is used"
    );
    assert!(
        view.deadlines.refund_until.is_some(),
        "the refund right stays"
    );
    assert_eq!(view.period.as_ref().map(|p| p.id), Some(later.id));
    assert_eq!(
        seats_left(&w.t, &first, "北京").await,
        1,
        "old seat released"
    );
    assert_eq!(seats_left(&w.t, &later, "上海").await, 0, "new seat taken");

    // P1: the ticket and score promises follow the sitting.
    let p = w.t.app.policy();
    let dues: Vec<_> =
        w.t.store()
            .list_promises(r)
            .await
            .unwrap()
            .into_iter()
            .map(|p| (p.kind, p.due_at))
            .collect();
    assert!(dues.contains(&(
        PromiseKind::AdmissionTicket,
        admission_ticket_due(later.starts_at, p)
    )));
    assert!(dues.contains(&(PromiseKind::Score, score_due(later.ends_at, p))));

    // O6: the candidate is told, in the inbox, at once.
    let messages = w.messages(&me).await;
    let m = &messages[0];
    assert_eq!(
        (m.kind.as_str(), m.title_zh.as_str()),
        ("registration_rescheduled", "改期成功")
    );
    assert!(
        m.body_zh
            .contains("原考试：北京，2027年4月10日 09:00（北京时间）"),
        "{}",
        m.body_zh
    );
    assert!(
        m.body_zh
            .contains("新考试：上海，2027年5月8日 09:00（北京时间）"),
        "{}",
        m.body_zh
    );
    assert_eq!(w.t.run_jobs().await, 0, "written by the commit, no job");
    // What a channel would resolve from the store at send time says the same.
    let notice = Notice::RegistrationRescheduled { registration_id: r };
    assert_eq!(notice.kind(), m.kind);
    let resolved = resolve(&**w.t.store(), me.id, &notice, &w.t.app.site())
        .await
        .unwrap()
        .render();
    assert_eq!(
        (resolved.title_en.as_str(), resolved.body_zh.as_str()),
        (m.title_en.as_str(), m.body_zh.as_str())
    );
    let stranger = w.verified("mu@example.com", "11010519900101079").await;
    assert!(
        resolve(&**w.t.store(), stranger.id, &notice, &w.t.app.site())
            .await
            .is_err()
    );

    // At most once (O7).
    assert_eq!(
        refusal(w.reschedule(&me, r, &first, "深圳").await),
        (ErrorCode::RescheduleUsed, Some("O7"), None, None)
    );
    let again = w.t.app.get_my_registration(&me, r).await.unwrap();
    assert_eq!(again.registration, view.registration);
}

#[tokio::test]
async fn o7_reschedule_refused_at_exactly_current_start_minus_10_days() {
    let w = World::new().await;
    let first = w.period().await;
    let later = w.period_at(exam_start() + days(14), &[("深圳", 5)]).await;
    let (me, placed) = w
        .bought("niu@example.com", "11010519900101072", &first, "深圳")
        .await;
    let r = placed.registration.id;
    let deadline = exam_start() - days(10);
    assert_eq!(
        placed.deadlines.reschedule_until,
        Some(deadline),
        "E3 = the rule"
    );

    w.t.clock.set(deadline);
    assert_eq!(
        refusal(w.reschedule(&me, r, &later, "深圳").await),
        (
            ErrorCode::RescheduleTooLate,
            Some("O7"),
            None,
            Some(deadline)
        )
    );
    w.t.clock.set(deadline - SignedDuration::from_micros(1));
    let view = w.reschedule(&me, r, &later, "深圳").await.unwrap();
    assert_eq!(view.registration.period_id, Some(later.id));
}

#[tokio::test]
async fn o7_target_no_later_than_3_months_after_the_original_start() {
    let w = World::new().await;
    let first = w.period().await;
    let second = w.period_at(exam_start() + days(20), &[("深圳", 5)]).await;
    let edge = w.period_at(horizon(), &[("深圳", 5)]).await;
    let beyond = w
        .period_at(horizon() + SignedDuration::from_secs(1), &[("深圳", 5)])
        .await;
    let (me, placed) = w
        .bought("ou@example.com", "11010519900101073", &first, "深圳")
        .await;
    let r = placed.registration.id;
    let (c, rule, f, _) = refusal(w.reschedule(&me, r, &beyond, "深圳").await);
    assert_eq!(
        (c, rule, f.as_deref()),
        (
            ErrorCode::RescheduleTargetOutOfRange,
            Some("O7"),
            Some("period_id")
        )
    );

    // With a policy of two reschedules, the horizon still counts from the sitting first bought.
    let twice =
        w.t.with_policy(Policy {
            reschedule_max: 2,
            ..Policy::default()
        })
        .await;
    twice.reschedule(&me, r, second.id, "深圳").await.unwrap();
    assert_eq!(
        code(twice.reschedule(&me, r, beyond.id, "深圳").await),
        ErrorCode::RescheduleTargetOutOfRange,
        "second.starts_at + 3 months would allow it; the original start does not"
    );
    let view = twice.reschedule(&me, r, edge.id, "深圳").await.unwrap();
    assert_eq!(view.registration.exam_starts_at, Some(horizon()));
    assert_eq!(
        view.registration.original_exam_starts_at,
        Some(first.starts_at)
    );
    assert_eq!(view.deadlines.reschedule_until, None);
}

#[tokio::test]
async fn o7_target_exactly_10_days_away_is_out_of_range() {
    let w = World::new().await;
    let first = w.period().await;
    let now: Timestamp = "2027-03-20T01:00:00Z".parse().unwrap();
    let near = w.period_at(now + days(10), &[("深圳", 5)]).await;
    let next = w
        .period_at(
            now + days(10) + SignedDuration::from_secs(1),
            &[("深圳", 5)],
        )
        .await;
    let (me, placed) = w
        .bought("pan@example.com", "11010519900101074", &first, "深圳")
        .await;
    let r = placed.registration.id;
    w.t.clock.set(now);
    assert_eq!(
        refusal(w.reschedule(&me, r, &near, "深圳").await),
        (
            ErrorCode::RescheduleTargetOutOfRange,
            Some("O7"),
            Some("period_id".to_owned()),
            Some(now)
        )
    );
    let view = w.reschedule(&me, r, &next, "深圳").await.unwrap();
    assert_eq!(
        view.registration.period_id,
        Some(next.id),
        "earlier sittings are fine"
    );
}

#[tokio::test]
async fn o7_target_public_window_does_not_apply() {
    let w = World::new().await;
    // Cloud (O1): a target whose window opens only on 5 April.
    let first = w.period().await;
    let not_open = w.period_at(horizon() - days(5), &[("深圳", 5)]).await;
    let (me, placed) = w
        .bought("qin@example.com", "11010519900101075", &first, "深圳")
        .await;
    let other = w.verified("qiu@example.com", "11010519900101076").await;
    w.credit(other.id, "cash", FEE).await;
    assert_eq!(
        code(
            w.t.app
                .register_and_pay(&other, order(&not_open, "深圳"), None)
                .await
        ),
        ErrorCode::RegistrationNotOpen
    );
    w.reschedule(&me, placed.registration.id, &not_open, "深圳")
        .await
        .unwrap();

    // Specialty (O2): a target whose own window closed at `start()`.
    let mut bought = w.period_input(SPECIALTY, exam_start(), &[("深圳", 5)]);
    bought.registration_opens_at = Some(start() - days(30));
    bought.registration_closes_at = Some(start() + days(20));
    let bought = w.t.app.create_exam_period(&w.admin, bought).await.unwrap();
    let mut closed = w.period_input(SPECIALTY, exam_start() + days(30), &[("深圳", 5)]);
    closed.registration_opens_at = Some(start() - days(30));
    closed.registration_closes_at = Some(start());
    let closed = w.t.app.create_exam_period(&w.admin, closed).await.unwrap();
    w.credit(me.id, "cash", 200_000).await;
    let specialty =
        w.t.app
            .register_and_pay(&me, order(&bought, "深圳"), None)
            .await
            .unwrap();
    assert_eq!(
        code(
            w.t.app
                .register_and_pay(&other, order(&closed, "深圳"), None)
                .await
        ),
        ErrorCode::RegistrationClosed
    );
    let view = w
        .reschedule(&me, specialty.registration.id, &closed, "深圳")
        .await
        .unwrap();
    assert_eq!(view.registration.period_id, Some(closed.id));
}
