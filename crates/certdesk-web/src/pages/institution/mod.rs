//! The institution channel's pages (I1–I9), one file per page:
//!
//! - candidates, no account: `public.rs` (`/institutions`: institutions and the public test
//!   centres, I2/I9), `register.rs` (`/institutions/{id}/register`: agreement and details,
//!   I1), `payment.rs` (the payment step), `manage.rs` + `manage_view.rs` +
//!   `manage_actions.rs` (`/manage/{token}`: the registration, the slot picker, the retake,
//!   the link sent again; I1/I3/I5/I6/I8/I9);
//! - staff (role `institution_staff`, own institution only): `staff.rs` (`/institution`:
//!   candidates, slots) and `staff_registration.rs` (one registration: move, refund), `staff_result.rs` (its result, I7);
//! - `views.rs`: how institutions, centres, slots and appointments are worded.
//!
//! The operators' pages (add an institution, publish an agreement, add a centre) live with
//! the other operator pages in `pages/admin/institutions.rs`.

pub(crate) mod manage;
pub(crate) mod manage_actions;
pub(crate) mod manage_view;
pub(crate) mod payment;
pub(crate) mod public;
pub(crate) mod register;
pub(crate) mod staff;
pub(crate) mod staff_registration;
pub(crate) mod staff_result;
pub(crate) mod views;

use axum::Router;
use axum::routing::{get, post};

use crate::pages::admin::institutions as admin;
use crate::state::AppState;

/// The channel's page routes, the operators' included (merged by `router.rs`, whose own
/// list is long enough).
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/institutions", get(public::show_institutions))
        .route(
            "/institutions/{id}/register",
            get(register::show_register).post(register::submit_register),
        )
        .route("/manage/{token}", get(manage::show_manage))
        .route(
            "/manage/{token}/payment",
            get(payment::show_payment).post(payment::submit_payment),
        )
        .route(
            "/manage/{token}/appointment",
            post(manage_actions::submit_appointment),
        )
        .route(
            "/manage/{token}/retake",
            post(manage_actions::submit_retake),
        )
        .route(
            "/manage/{token}/mailing-address",
            post(manage_actions::submit_mailing_address),
        )
        .route(
            "/manage/{token}/resend",
            post(manage_actions::submit_resend),
        )
        .route("/institution", get(staff::show_staff))
        .route("/institution/slots", post(staff::submit_slot))
        .route(
            "/institution/registrations/{id}",
            get(staff_registration::show_registration),
        )
        .route(
            "/institution/registrations/{id}/appointment",
            post(staff_registration::submit_move),
        )
        .route(
            "/institution/registrations/{id}/refund",
            post(staff_registration::submit_refund),
        )
        .route(
            "/institution/registrations/{id}/check-in",
            post(staff_result::submit_check_in),
        )
        .route(
            "/institution/registrations/{id}/result",
            post(staff_result::submit_result),
        )
        .route(
            "/admin/institutions",
            get(admin::show_institutions).post(admin::submit_institution),
        )
        .route(
            "/admin/institutions/agreement",
            post(admin::submit_agreement),
        )
        .route(
            "/admin/test-centres",
            get(admin::show_centres).post(admin::submit_centre),
        )
}
