//! The conformance suite: every store behaviour as a named async fn, expanded into tests in
//! each backend crate by `conformance_tests!`. (Being written.)
