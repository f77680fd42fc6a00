//! The demo's history: an exam sat 20 days ago, replayed through the real use cases at a clock
//! set in the past — registration, tickets at start − 5 days (O4), check-in, results (O6), the
//! certificate (O9) — so that a newcomer finds a certificate with a working verification link,
//! and a fail with its free retake (O8) open.

use std::sync::Arc;

use certdesk_app::paper::MailingAddressInput;
use certdesk_app::{App, OrderInput, ResultsUpload, VenueInput};
use certdesk_domain::{ExamPeriodId, PayFirst, RawAmount, TestClock, time};
use certdesk_store::Account;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde_json::json;

use crate::serve::app_error;

/// The past exam's certification and its days before today.
pub const CERTIFICATION: &str = "TCCA-FND";
const DAYS_AGO: i64 = 20;

/// Venues per city: (city, name, address, seats). Fictitious places in real districts; their
/// seats cover every demo period's capacity in that city (O4 never seats more).
pub const VENUES: &[(&str, &str, &str, i64)] = &[
    (
        "北京",
        "北京海淀考点",
        "北京市海淀区中关村软件园二期 8 号楼 3 层",
        40,
    ),
    (
        "北京",
        "北京朝阳考点",
        "北京市朝阳区望京街 10 号 B 座 5 层",
        30,
    ),
    (
        "上海",
        "上海浦东考点",
        "上海市浦东新区张江路 368 号 2 层",
        60,
    ),
    (
        "广州",
        "广州天河考点",
        "广州市天河区天河北路 233 号 12 层",
        40,
    ),
    (
        "深圳",
        "深圳南山考点",
        "深圳市南山区科技园科苑路 15 号 4 层",
        40,
    ),
    (
        "成都",
        "成都高新考点",
        "成都市高新区天府大道中段 1366 号 6 层",
        10,
    ),
];

/// 09:00 Beijing time on the day `days` from `now`'s date.
pub fn exam_day(now: Timestamp, days: i64) -> anyhow::Result<Timestamp> {
    let date = time::local_date(now).checked_add(days.days())?;
    Ok(date
        .at(9, 0, 0, 0)
        .to_zoned(time::programme_zone())?
        .timestamp())
}

/// When the demo's history begins: 40 days before the past exam, its window open (O1).
pub fn setup_at(now: Timestamp) -> anyhow::Result<Timestamp> {
    Ok(exam_day(now, -DAYS_AGO)? - SignedDuration::from_hours(24 * 40))
}

pub async fn venues(app: &App, operator: &Account) -> anyhow::Result<()> {
    for (city, name, address, seats) in VENUES {
        app.create_venue(
            operator,
            VenueInput {
                city: (*city).into(),
                name: (*name).into(),
                address: (*address).into(),
                seats: *seats,
            },
        )
        .await
        .map_err(app_error)?;
    }
    Ok(())
}

/// Replays the past exam at `clock` (set to [`setup_at`]), to an hour after its results:
/// the first candidate passes and holds the certificate, the second fails with a retake open.
pub async fn replay(
    app: &App,
    clock: &TestClock,
    operator: &Account,
    candidates: &[Account],
) -> anyhow::Result<()> {
    let starts_at = exam_day(app.now() + SignedDuration::from_hours(24 * 40), 0)?;
    let period = app
        .create_exam_period(
            operator,
            certdesk_app::PeriodInput {
                certification: CERTIFICATION.into(),
                starts_at,
                ends_at: None,
                cities: vec![certdesk_domain::CityDraft {
                    city: "北京".into(),
                    capacity: 60,
                }],
                registration_opens_at: None,
                registration_closes_at: None,
            },
        )
        .await
        .map_err(app_error)?;
    let fee = app
        .get_certification(CERTIFICATION)
        .await
        .map_err(app_error)?
        .data
        .fee;
    let mut registrations = Vec::new();
    for candidate in candidates {
        // Paid in cash topped up for it, so today's demo balances stay as printed.
        app.credit_account(
            operator,
            candidate.id,
            "cash",
            RawAmount::from(fee),
            "演示：往期考试报名费",
        )
        .await
        .map_err(app_error)?;
        let placed = app
            .register_and_pay(candidate, order(period.id), None)
            .await
            .map_err(app_error)?;
        registrations.push(placed.registration.id);
    }
    let first = &candidates[0];
    app.put_mailing_address(
        first,
        MailingAddressInput {
            recipient: "李雷".into(),
            phone: "13800138000".into(),
            province: "北京市".into(),
            city: "北京市".into(),
            address: "海淀区学院路 30 号 2 号楼 1201 室".into(),
            postcode: Some("100083".into()),
        },
    )
    .await
    .map_err(app_error)?;
    app.job_runner().run_until_idle().await?;

    // O4: tickets at start − 5 days; both candidates at the desk on the day.
    clock.set(starts_at - SignedDuration::from_hours(24 * 5));
    app.job_runner().run_until_idle().await?;
    clock.set(starts_at - SignedDuration::from_mins(20));
    for candidate in candidates {
        for exam in app
            .list_my_registrations(candidate)
            .await
            .map_err(app_error)?
        {
            if let Some((_, code)) = exam.ticket {
                app.check_in(operator, period.id, &code)
                    .await
                    .map_err(app_error)?;
            }
        }
    }

    // O6: results the next morning; a pass (O9: its certificate) and a fail (O8: a retake).
    clock.set(starts_at + SignedDuration::from_hours(25));
    let results = vec![
        json!({"registration_id": registrations[0].get(), "score": 86}),
        json!({"registration_id": registrations[1].get(), "score": 52}),
    ];
    let outcome = app
        .import_results(operator, ResultsUpload::Json(results))
        .await
        .map_err(app_error)?;
    anyhow::ensure!(
        outcome.rejected.is_empty(),
        "demo results refused: {:?}",
        outcome.rejected
    );
    clock.set(starts_at + SignedDuration::from_hours(26));
    app.job_runner().run_until_idle().await?;
    Ok(())
}

fn order(period: ExamPeriodId) -> OrderInput {
    OrderInput {
        period_id: period.get(),
        city: "北京".into(),
        voucher_code: None,
        pay_first: Some(PayFirst::Cash),
    }
}

/// The history's clock, and the app that reads it.
pub fn history(app: &App) -> anyhow::Result<(App, TestClock)> {
    let clock = TestClock::new(setup_at(app.now())?);
    Ok((app.clone().with_clock(Arc::new(clock.clone())), clock))
}
