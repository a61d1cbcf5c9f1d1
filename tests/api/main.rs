//! Integration tests: one test binary (link time matters on a 2-core box), one module per area.

mod browser;
mod cli;
mod http;
mod login;
mod pages;
mod schema;
mod support;
