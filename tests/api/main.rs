//! Integration tests: one test binary (link time matters on a 2-core box), one module per area.

mod browser;
mod cli;
mod compliance;
mod drafting;
mod http;
mod import_faults;
mod imports;
mod leads;
mod login;
mod messaging;
mod pages;
mod reliability;
mod schema;
mod support;
mod twilio_stub;
mod upsell;
