//! The institution channel's API routes (I1–I9), one line per route, as in `router.rs`:
//! public, through the management token, institution staff, operators.

use axum::routing::{get, post, put};

use crate::controllers::{self as api, admin};
use crate::router::Table;

/// The institution channel (I1–I9): public, through the management token, staff, operators.
pub(crate) fn institution_api() -> Table {
    use api::institution as inst;
    use api::institution_staff as staff;
    vec![
        ("GET", "/api/v1/institutions", get(inst::list_institutions)),
        (
            "GET",
            "/api/v1/institutions/{id}/agreement",
            get(inst::get_agreement),
        ),
        ("GET", "/api/v1/test-centres", get(inst::list_test_centres)),
        (
            "GET",
            "/api/v1/test-centres/{id}/slots",
            get(inst::list_slots),
        ),
        (
            "POST",
            "/api/v1/institution-registrations",
            post(inst::register),
        ),
        (
            "POST",
            "/api/v1/institution-registrations/{id}/manage-link",
            post(inst::resend_manage_link),
        ),
        (
            "POST",
            "/api/v1/registrations/{id}/appointment",
            post(inst::book_appointment),
        ),
        (
            "GET",
            "/api/v1/institution/test-centres",
            get(staff::list_own_centres),
        ),
        (
            "POST",
            "/api/v1/institution/slots",
            post(staff::publish_slot),
        ),
        (
            "GET",
            "/api/v1/institution/registrations",
            get(staff::list_registrations),
        ),
        (
            "GET",
            "/api/v1/institution/registrations/{id}",
            get(staff::get_registration),
        ),
        (
            "POST",
            "/api/v1/institution/registrations/{id}/appointment",
            post(staff::move_appointment),
        ),
        (
            "POST",
            "/api/v1/institution/registrations/{id}/refund",
            post(staff::refund),
        ),
        (
            "GET",
            "/api/v1/institution/registrations/{id}/refunds",
            get(staff::list_refunds),
        ),
        (
            "POST",
            "/api/v1/institution/registrations/{id}/check-in",
            post(staff::check_in),
        ),
        (
            "GET",
            "/api/v1/institution/official-applications",
            get(staff::list_official_applications),
        ),
        (
            "POST",
            "/api/v1/institution/results",
            // I7: a results file may be larger than any other body (`router::UPLOAD_ROUTES`).
            post(admin::results::record_institution_results),
        ),
        (
            "POST",
            "/api/v1/admin/institutions",
            post(admin::institutions::create_institution),
        ),
        (
            "PUT",
            "/api/v1/admin/institutions/{id}/agreement",
            put(admin::institutions::publish_agreement),
        ),
        (
            "POST",
            "/api/v1/admin/test-centres",
            post(admin::institutions::create_test_centre),
        ),
    ]
}
