//! End-to-end tests: the real `certdesk` binary on 127.0.0.1:0, driven over HTTP and by a
//! real Chromium through chromedriver.

mod browser;
mod certificates;
mod cli;
mod edge;
mod http;
mod institution;
mod journey;
mod notifications;
mod official;
mod reschedule;
mod scale_out;
mod server;
mod tickets;
