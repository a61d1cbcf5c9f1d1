//! Integration tests: one test binary (link time matters on a 2-core box), one module per area.

mod browser;
mod cli;
mod compliance;
mod conversation;
mod drafting;
mod http;
mod import_faults;
mod imports;
mod inbox;
mod inbox_browser;
mod inbox_list;
mod leads;
mod login;
mod login_next;
mod login_throttle;
mod messaging;
mod opt_out_words;
mod pages;
mod reliability;
mod schema;
mod security_headers;
mod support;
mod surveys;
mod twilio_stub;
mod upsell;
mod webhooks;
