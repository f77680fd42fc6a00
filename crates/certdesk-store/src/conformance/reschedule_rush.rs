//! O7's races, on both databases: many registrations moving into a target with few seats
//! (O3 holds), one registration moved twice at once (one wins), and opposite moves between two
//! pools at once (no deadlock).

use std::sync::Arc;

use super::fixtures::assert_conflict;
use super::reschedule::{later_period, move_to, taken_in};
use super::shop::Shop;
use super::shop::{all_at_once, buyer, paid, shop};
use crate::{Conflict, ExamPeriod, Registration, Store, StoreError};

/// Buys `n` registrations of `shop` in `city` for new buyers named `prefix-i`.
async fn registrations(
    store: &dyn Store,
    shop: &Shop,
    city: &str,
    prefix: &str,
    n: usize,
) -> Vec<Registration> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let b = buyer(store, &format!("{prefix}-{i}"), 0, 0).await;
        let (_, r) = store
            .commit_paid_registration(paid(b, shop, city, 0, 0))
            .await
            .expect("paid");
        out.push(r);
    }
    out
}

pub async fn rush_twenty_reschedules_for_five_seats(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-FND-R", &[("上海", 20)]).await;
    let target = later_period(s, &first, 30, &[("北京", 7)]).await;
    // Two of the target's seats are sold already: 5 are free.
    let other = Shop {
        certification_id: first.certification_id,
        period: target.clone(),
    };
    registrations(s, &other, "北京", "early", 2).await;
    let movers = registrations(s, &first, "上海", "mover", 20).await;

    let shared: Arc<(Vec<Registration>, ExamPeriod)> = Arc::new((movers.clone(), target.clone()));
    let results = all_at_once(&store, 20, move |st, i| {
        let shared = shared.clone();
        async move {
            let (movers, target) = &*shared;
            st.commit_reschedule(move_to(&movers[i], target, "北京"))
                .await
        }
    })
    .await;
    let mut won = Vec::new();
    for (r, result) in movers.iter().zip(results) {
        match result {
            Ok(moved) => won.push(moved.id),
            Err(StoreError::Conflict(Conflict::NoSeatsLeft)) => {
                assert_eq!(s.get_registration(r.id).await.expect("get"), *r);
                assert!(s.list_reschedules(r.id).await.expect("history").is_empty());
            }
            other => panic!("expected Ok or NoSeatsLeft, got {other:?}"),
        }
    }
    assert_eq!(won.len(), 5, "exactly the 5 free seats are taken");
    assert_eq!(taken_in(s, target.id, "北京").await, 7, "taken == capacity");
    assert_eq!(
        taken_in(s, first.period.id, "上海").await,
        15,
        "only the winners' seats are released"
    );
    for id in won {
        let moved = s.get_registration(id).await.expect("get");
        assert_eq!(moved.period_id, Some(target.id));
        assert_eq!(s.list_reschedules(id).await.expect("history").len(), 1);
    }
}

pub async fn rush_same_registration_rescheduled_twice_at_once(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-DEV-R", &[("上海", 3)]).await;
    let a = later_period(s, &first, 20, &[("北京", 3)]).await;
    let b = later_period(s, &first, 40, &[("北京", 3)]).await;
    let r = registrations(s, &first, "上海", "twice", 1).await.remove(0);

    let shared = Arc::new((r.clone(), [a.clone(), b.clone()]));
    let results = all_at_once(&store, 2, move |st, i| {
        let shared = shared.clone();
        async move {
            let (r, targets) = &*shared;
            st.commit_reschedule(move_to(r, &targets[i], "北京")).await
        }
    })
    .await;
    let winner = results
        .iter()
        .position(Result::is_ok)
        .expect("one reschedule wins");
    for (i, result) in results.into_iter().enumerate() {
        if i != winner {
            assert_conflict(result, Conflict::RescheduleUsed);
        }
    }
    let (won, lost) = if winner == 0 { (&a, &b) } else { (&b, &a) };
    assert_eq!(
        s.get_registration(r.id).await.expect("get").period_id,
        Some(won.id)
    );
    assert_eq!(taken_in(s, won.id, "北京").await, 1);
    assert_eq!(
        taken_in(s, lost.id, "北京").await,
        0,
        "the loser took no seat"
    );
    assert_eq!(taken_in(s, first.period.id, "上海").await, 0);
    assert_eq!(s.list_reschedules(r.id).await.expect("history").len(), 1);
}

pub async fn rush_opposite_reschedules_do_not_deadlock(store: Arc<dyn Store>) {
    let s = &*store;
    let first = shop(s, "CLD-OPS-R", &[("上海", 20)]).await;
    let second = later_period(s, &first, 30, &[("上海", 20)]).await;
    let there = Shop {
        certification_id: first.certification_id,
        period: second.clone(),
    };
    // Ten move first → second while ten move second → first, all at once.
    let mut movers = registrations(s, &first, "上海", "east", 10).await;
    movers.extend(registrations(s, &there, "上海", "west", 10).await);
    let shared = Arc::new((movers, first.period.clone(), second.clone()));
    let results = all_at_once(&store, 20, move |st, i| {
        let shared = shared.clone();
        async move {
            let (movers, first, second) = &*shared;
            let to = if i < 10 { second } else { first };
            st.commit_reschedule(move_to(&movers[i], to, "上海")).await
        }
    })
    .await;
    for result in results {
        result.expect("every move succeeds (seats enough both ways)");
    }
    assert_eq!(taken_in(s, first.period.id, "上海").await, 10);
    assert_eq!(taken_in(s, second.id, "上海").await, 10);
}
