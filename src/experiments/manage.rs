//! Setting up an experiment: a draft can be changed; starting it checks no other experiment runs
//! on an overlapping campaign; a running one cannot change its holdout (its arms would stop being
//! comparable): stop it and start a new one. Each step is one write transaction, so two starts
//! at once cannot both pass the check.

use crate::clock::to_unix;
use crate::db::WriteTx;
use crate::domain::experiments::{ExperimentStatus, ValidExperiment};
use crate::error::{Error, Result};
use crate::secrets;
use crate::store::{self, experiments::Experiment};
use chrono::{DateTime, Utc};

fn not_found(id: i64) -> Error {
    Error::NotFound(format!("experiment {id}"))
}

fn read_back(tx: &WriteTx, account_id: i64, id: i64) -> Result<Experiment> {
    store::experiments::get(tx, account_id, id)?.ok_or_else(|| not_found(id))
}

/// A new draft with a salt of its own (its customers' arms are independent of any other experiment).
pub fn create(tx: &WriteTx, account_id: i64, e: &ValidExperiment, now: DateTime<Utc>) -> Result<Experiment> {
    let id = store::experiments::insert(tx, account_id, e, &secrets::random_token(12), to_unix(now))?;
    read_back(tx, account_id, id)
}

/// Change a draft. A running experiment's holdout cannot change; nothing else of a started one can.
pub fn update(tx: &WriteTx, account_id: i64, id: i64, e: &ValidExperiment, now: DateTime<Utc>) -> Result<Experiment> {
    let current = read_back(tx, account_id, id)?;
    match current.status {
        ExperimentStatus::Draft => {}
        ExperimentStatus::Running if current.holdout_pct != e.holdout_pct => {
            return Err(Error::Conflict(format!(
                "`{}` is running with {}% held out; changing the holdout now would make its arms incomparable. \
                 Stop it and start a new experiment with the new holdout.",
                current.name, current.holdout_pct
            )))
        }
        ExperimentStatus::Running => {
            return Err(Error::Conflict(format!(
                "`{}` is running; only a draft can be changed. Stop it and start a new experiment.",
                current.name
            )))
        }
        ExperimentStatus::Stopped => {
            return Err(Error::Conflict(format!(
                "`{}` is stopped; its results stay as they are. Create a new experiment.",
                current.name
            )))
        }
    }
    store::experiments::update(tx, account_id, id, e, to_unix(now))?;
    read_back(tx, account_id, id)
}

/// Start a draft now. 409 when it is not a draft, or an experiment already runs on an
/// overlapping campaign ("any upsell" overlaps each upsell phase).
pub fn start(tx: &WriteTx, account_id: i64, id: i64, now: DateTime<Utc>) -> Result<Experiment> {
    let e = read_back(tx, account_id, id)?;
    if e.status != ExperimentStatus::Draft {
        return Err(Error::Conflict(format!(
            "`{}` is {}; only a draft can be started (create a new experiment to run again)",
            e.name, e.status
        )));
    }
    if let Some(other) = store::experiments::running(tx, account_id)?
        .into_iter()
        .find(|o| o.campaign.overlaps(e.campaign))
    {
        return Err(Error::Conflict(format!(
            "`{}` is already running on {} ({}); stop it first: one experiment per campaign at a time",
            other.name,
            other.campaign.label(),
            other.campaign
        )));
    }
    store::experiments::set_status(tx, account_id, id, ExperimentStatus::Running, to_unix(now))?;
    read_back(tx, account_id, id)
}

/// Stop a running experiment now: no more customers are assigned or held out; results stay.
pub fn stop(tx: &WriteTx, account_id: i64, id: i64, now: DateTime<Utc>) -> Result<Experiment> {
    let e = read_back(tx, account_id, id)?;
    if e.status != ExperimentStatus::Running {
        return Err(Error::Conflict(format!(
            "`{}` is {}; only a running experiment can be stopped",
            e.name, e.status
        )));
    }
    store::experiments::set_status(tx, account_id, id, ExperimentStatus::Stopped, to_unix(now))?;
    read_back(tx, account_id, id)
}
