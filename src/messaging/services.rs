//! What the send path runs on, handed to it rather than found in the App: the send path knows
//! neither the job loop nor HTTP, so it cannot come to depend on them.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Db;
use crate::drafting::Drafter;
use std::sync::Arc;

use super::inbound::InboundListener;
use super::sender::Sender;

/// Configuration, database, clock, the sender and the drafter, and the capabilities that take
/// inbound texts before the drafter does. Cheap to clone (one shared allocation). The App holds
/// one and reads through to it (`app.db` is `app.services.db`).
#[derive(Clone)]
pub struct Services(Arc<Parts>);

pub struct Parts {
    pub config: Config,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub sender: Arc<dyn Sender>,
    pub drafter: Arc<dyn Drafter>,
    /// capabilities that take inbound texts before the drafter does
    pub listeners: Vec<Box<dyn InboundListener>>,
}

impl Services {
    pub fn new(parts: Parts) -> Services {
        Services(Arc::new(parts))
    }
}

impl std::ops::Deref for Services {
    type Target = Parts;
    fn deref(&self) -> &Parts {
        &self.0
    }
}
