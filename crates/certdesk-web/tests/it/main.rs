//! In-process HTTP tests of the web layer: the real router over the real app and a SQLite
//! store in a temporary directory, driven with `tower::ServiceExt::oneshot`. Every request
//! made through `TestApp` fails the test on a 5xx: a 5xx is a defect (SPEC E1).

mod shop;
mod support;

mod accounts;
mod admin_pages;
mod catalogue;
mod certificate_admin_pages;
mod certificate_pages;
mod certificate_pdf;
mod certificates_api;
mod conformance;
mod csrf;
mod errors;
mod health;
mod hostile;
mod https;
mod identity;
mod identity_pages;
mod institution_access;
mod institution_journey;
mod institution_o12;
mod lifecycle_journey;
mod me;
mod notification_pages;
mod official_admin_pages;
mod official_api;
mod official_pages;
mod official_payments;
mod official_refusals;
mod openapi;
mod pages;
mod paper_certificates;
mod pdf_check;
mod promise_deadlines;
mod protocol;
mod reschedule_api;
mod reschedule_pages;
mod reschedule_refusals;
mod results_api;
mod results_pages;
mod results_support;
mod retake_api;
mod retake_pages;
mod retake_refusals;
mod security;
mod stable_answers;
mod support_ticket_pages;
mod support_tickets;
mod test_clock;
mod throttle;
mod ticket_documents;
mod tickets;
mod venue_pages;
