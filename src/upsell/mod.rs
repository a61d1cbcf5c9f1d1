//! The upsell capability: at three moments of a service visit, text the customer the one offer
//! that fits best, and credit what it earned.
//!
//! - `engine`: which visits are due, which offer fits, the text through the outbox (the
//!   `upsell.triggers` job and `POST /api/internal/offers/send` call it);
//! - `replies`: the inbound listener that reads YES/NO answers to an offer;
//! - `attribution`: clicks on the tracked link and RO lines that credit revenue.
//!
//! The rules themselves are pure, in `domain::offers`.

pub mod attribution;
pub mod engine;
pub mod outcomes;
pub mod replies;
