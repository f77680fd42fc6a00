//! The edge of the web layer, below the router: the HTTP server certdesk runs (`serve`),
//! which tells the router each request's TCP peer and gives hyper's own protocol-level
//! refusals E1 bodies under `/api`, and the trusted proxies whose forwarded headers count.

mod io;
pub mod proxies;
mod refusal;
pub mod serve;
