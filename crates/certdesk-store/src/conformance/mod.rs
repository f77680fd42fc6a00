//! The conformance suite: every store behaviour as a named async fn over `Arc<dyn Store>`,
//! expanded by [`conformance_tests!`] into one test per behaviour for each database the store
//! runs on.
//!
//! The store crate writes, in a test module per database:
//!
//! ```text
//! /// Returns a fresh, migrated store, or None (after printing why) to skip the test.
//! async fn fresh(test: &'static str) -> Option<Arc<dyn Store>> { … }
//! certdesk_store::conformance_tests!(fresh);
//! ```
//!
//! The store crate needs `tokio` (with `macros` and `rt-multi-thread`) as a dev-dependency.
//! Every behaviour expects a fresh, empty database of its own.

mod accounts;
mod atomic;
mod audit;
pub mod bench;
mod certificates;
mod deliveries;
pub mod fixtures;
mod idempotency;
mod identity;
mod inbox;
mod institution;
mod job_outcomes;
mod jobs;
mod literal;
mod order_context;
mod orders;
mod periods;
mod promises;
mod refunds;
mod reschedule;
mod reschedule_rush;
mod results;
mod retake;
mod runner;
mod rush;
mod sessions;
pub mod shop;
mod support;
mod tickets;
mod wallet;

pub use accounts::*;
pub use atomic::*;
pub use audit::*;
pub use certificates::*;
pub use deliveries::*;
pub use idempotency::*;
pub use identity::*;
pub use inbox::*;
pub use institution::*;
pub use job_outcomes::*;
pub use jobs::*;
pub use literal::*;
pub use order_context::*;
pub use orders::*;
pub use periods::*;
pub use promises::*;
pub use refunds::*;
pub use reschedule::*;
pub use reschedule_rush::*;
pub use results::*;
pub use retake::*;
pub use runner::*;
pub use rush::*;
pub use sessions::*;
pub use support::*;
pub use tickets::*;
pub use wallet::*;

/// Expands into one `#[tokio::test]` per behaviour of the suite. `$factory` is an async fn
/// `(test_name: &'static str) -> Option<Arc<dyn Store>>`: a fresh store, or `None` after it
/// printed why the test is skipped (e.g. PostgreSQL unreachable).
#[macro_export]
macro_rules! conformance_tests {
    ($factory:path) => {
        $crate::__conformance_tests!($factory;
            account_create_and_find,
            account_email_taken_case_insensitive,
            account_list_pages_and_contacts,
            accounts_listed_by_role,
            sessions_find_expire_delete,
            login_throttle_accumulates_and_locks,
            login_throttle_window_restart_keeps_lock,
            stale_login_throttles_are_deleted,
            identity_submission_verified_and_pending,
            identity_limit_three_accounts_per_identity,
            identity_limit_holds_under_concurrency,
            identity_already_verified,
            identity_decision_approve_reject_audited,
            identity_decision_rechecks_limit,
            catalogue_create_update_retire_audited,
            audit_newest_first_paginated,
            settings_set_and_find_audited,
            inbox_idempotent_per_source_job,
            delivery_recorded_once_with_figures_and_locale,
            deliveries_recorded_at_once_each_on_its_own,
            inbox_list_read_and_unread_count,
            jobs_enqueue_dedup,
            jobs_claim_in_run_at_order,
            jobs_claim_batch_limit_and_order,
            jobs_claim_batches_never_overlap,
            jobs_not_claimed_before_run_at,
            jobs_lease_expiry_reclaim,
            jobs_only_holder_records_outcome,
            jobs_complete_batch_only_held,
            jobs_dead_after_last_attempt,
            jobs_retry_dead_job_audited,
            jobs_list_by_status_and_next_due,
            runner_retries_with_backoff_then_done,
            runner_dead_after_max_attempts,
            runner_survives_panicking_handler,
            runner_concurrent_workers_run_each_job_once,
            runner_batch_records_successes_and_failures,
            runner_batch_runs_in_claim_order,
            runner_ordered_jobs_keep_claim_order_beside_concurrent_ones,
            runner_run_forever_stops_on_shutdown,
            runner_gives_way_to_a_busy_foreground_within_a_limit,
            hostile_strings_stored_literally,
            exam_period_create_get_list_audited,
            exam_period_unknown_is_not_found,
            wallet_credit_ledger_and_balance,
            voucher_issue_find_list_code_taken,
            payment_callback_credits_once,
            payment_cancelled_then_paid_still_credits,
            payment_callback_concurrent_credits_once,
            order_context_matches_single_reads,
            order_context_unknown_period_or_account,
            paid_registration_commits_everything,
            paid_registration_unknown_period_or_city,
            paid_registration_already_registered_across_accounts,
            paid_registration_idempotency_key,
            paid_registration_is_atomic,
            rush_fifty_buyers_for_the_last_five_seats,
            rush_one_voucher_many_orders,
            rush_debits_never_overdraw,
            rush_refusals_inside_a_group,
            rush_same_idempotency_key_commits_once,
            rush_concurrent_refunds_refund_once,
            refund_returns_money_releases_seat_voids_promises,
            refund_released_seat_can_be_bought_again,
            promise_summary_on_time_late_overdue_pending,
            promise_job_must_name_a_recorded_promise,
            promise_kept_by_batch_completion,
            promise_jobs_of_a_group_keep_their_own,
            promise_overdue_list_matches_summary,
            venue_create_list_and_name_taken,
            tickets_issued_from_the_plan,
            tickets_skip_the_refunded_and_refuse_a_taken_seat,
            tickets_issued_twice_at_once_seat_everyone_once,
            check_in_records_the_first_scan,
            certificates_issued_for_passes_with_their_paper_copies,
            certificate_revoked_once_audited,
            paper_certificate_ships_once_to_the_address_given_then,
            reschedule_moves_everything_atomically,
            reschedule_unknown_or_foreign_target_is_not_found,
            reschedule_without_a_seat_changes_nothing,
            reschedule_moves_open_promises_only,
            rush_twenty_reschedules_for_five_seats,
            rush_same_registration_rescheduled_twice_at_once,
            rush_opposite_reschedules_do_not_deadlock,
            results_commit_everything,
            results_one_refused_line_writes_nothing,
            results_refused_for_a_registration_refunded_meanwhile,
            results_concurrent_imports_one_wins,
            retake_registers_everything_atomically,
            retake_refusals_write_nothing,
            rush_ten_retakes_for_the_last_seat,
            rush_same_first_attempt_retaken_at_once,
            support_ticket_thread_moves_only_from_the_status_read,
            support_ticket_unknown_references_are_not_found,
            support_queue_serves_open_first_longest_wait_first,
            institution_registration_commits_and_confirms_once,
            institution_last_seats_of_a_slot,
            institution_refunds_never_exceed_paid,
            idempotency_key_reserved_completed_and_replayed,
            idempotency_key_released_for_a_retry,
            idempotency_key_free_again_after_24_hours,
            idempotency_key_reserved_once_under_concurrency,
            expired_idempotency_records_are_deleted,
        );
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __conformance_tests {
    ($factory:path; $($name:ident),+ $(,)?) => {$(
        #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            if let Some(store) = $factory(stringify!($name)).await {
                $crate::conformance::$name(store).await;
            }
        }
    )+};
}
