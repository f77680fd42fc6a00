//! JSON API handlers under `/api/v1`, one file per resource. Handlers parse the request,
//! call one `certdesk_app` use case and shape the answer; rules live in the app and domain.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod certificates;
pub(crate) mod certifications;
pub(crate) mod identity;
pub(crate) mod institution;
pub(crate) mod institution_staff;
pub(crate) mod me;
pub(crate) mod messages;
pub(crate) mod orders;
pub(crate) mod payments;
pub(crate) mod periods;
pub(crate) mod registrations;
pub(crate) mod retake;
pub(crate) mod sessions;
pub(crate) mod support;
pub(crate) mod test_clock;
pub(crate) mod wallet;
