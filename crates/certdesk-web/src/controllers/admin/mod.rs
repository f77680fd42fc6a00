//! Operator API (role `admin`) under `/api/v1/admin`.

pub(crate) mod accounts;
pub(crate) mod audit;
pub(crate) mod certificates;
pub(crate) mod certifications;
pub(crate) mod identities;
pub(crate) mod institutions;
pub(crate) mod jobs;
pub(crate) mod periods;
pub(crate) mod results;
pub(crate) mod settings;
pub(crate) mod support;
pub(crate) mod venues;
pub(crate) mod wallet;
