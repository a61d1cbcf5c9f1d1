//! Sales (deal) export rows -> normalized deals. Pure, like [`super::map_row`]: a row is refused
//! only when it cannot be stored at all (no deal number, no usable sold date); any other
//! unusable value is dropped with a warning and the deal imported.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::customer::{self, Customer, VehicleDesc};
use super::{checks, values, Cells, ColumnMap, Field, RowIssue};
use crate::domain::deal::{self, Apr, Condition, SaleType};
use crate::domain::money::Cents;
use crate::domain::visit;

/// One deal as the export describes it, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct DealRow {
    pub row: usize,
    /// trimmed; unique per account
    pub deal_number: String,
    /// the contract (sold) date; a bare date is the start of that local day
    pub sold_at: DateTime<Utc>,
    pub customer: Customer,
    /// the vehicle sold
    pub vehicle: VehicleDesc,
    pub mileage: Option<i64>,
    pub condition: Option<Condition>,
    pub sale_type: Option<SaleType>,
    pub term_months: Option<i64>,
    pub monthly_payment: Option<Cents>,
    pub apr: Option<Apr>,
    pub lease_miles_per_year: Option<i64>,
    pub lender: Option<String>,
    pub amount_financed: Option<Cents>,
    /// the vehicle traded in, known by its VIN (year and make decoded from it)
    pub trade: Option<VehicleDesc>,
    pub trade_payoff: Option<Cents>,
}

/// Map one data row of a sales export (see [`super::map_row`] for what `tz` and
/// `latest_model_year` mean). Warnings come in column order.
pub fn map_deal_row(
    map: &ColumnMap,
    row: usize,
    record: &[&str],
    tz: Tz,
    latest_model_year: i32,
) -> Result<(DealRow, Vec<RowIssue>), RowIssue> {
    let cleaned: Vec<String>;
    let cleaned_cells: Vec<&str>;
    let record = if record.iter().any(|c| visit::has_control(c)) {
        cleaned = checks::without_controls(map, record);
        cleaned_cells = cleaned.iter().map(String::as_str).collect();
        &cleaned_cells[..]
    } else {
        record
    };
    let cells = Cells { map, record, row };
    let cell = |field: Field| cells.get(field);
    let deal_number = deal_number(&cells)?;
    let sold_at = sold_at(&cells, tz, latest_model_year)?;
    let mut warnings = Vec::new();
    if let Some(extra) = record
        .get(map.headers.len()..)
        .filter(|x| x.iter().any(|v| !v.trim().is_empty()))
    {
        let (values, headers) = (map.headers.len() + extra.len(), map.headers.len());
        let message = format!("{values} values but {headers} headers: an unquoted comma may have shifted the values");
        warnings.push(cells.issue("row", message));
    }
    let mut warn = |field: Field, message: String| warnings.push(cells.issue(field.as_str(), message));

    let customer = customer::read(&cells, &mut warn);
    let vehicle = customer::read_vehicle(&cells, Field::Vin, latest_model_year, &mut warn);
    let mileage =
        cell(Field::Mileage).and_then(|raw| values::parse_mileage(raw).map_err(|m| warn(Field::Mileage, m)).ok()?);
    let condition = cell(Field::NewUsed).and_then(|raw| {
        let c = Condition::read(raw);
        if c.is_none() {
            warn(
                Field::NewUsed,
                format!("{} is not new or used; dropped", visit::quoted(raw)),
            );
        }
        c
    });
    let sale_type = cell(Field::SaleType).and_then(|raw| {
        let t = SaleType::read(raw);
        if t.is_none() {
            let message = format!(
                "{} is not a sale type ({}); dropped",
                visit::quoted(raw),
                SaleType::words()
            );
            warn(Field::SaleType, message);
        }
        t
    });
    let term_months =
        cell(Field::TermMonths).and_then(|raw| deal::read_term(raw).map_err(|m| warn(Field::TermMonths, m)).ok());
    let apr = cell(Field::Apr).and_then(|raw| Apr::read(raw).map_err(|m| warn(Field::Apr, m)).ok());
    let lease_miles_per_year = cell(Field::LeaseMilesPerYear).and_then(|raw| {
        deal::read_lease_miles(raw)
            .map_err(|m| warn(Field::LeaseMilesPerYear, m))
            .ok()
    });
    let lender = cell(Field::Lender).map(values::display_person);
    let mut money = |field: Field| {
        let raw = cell(field)?;
        let cents = values::parse_cents(raw).map_err(|m| warn(field, m)).ok()??;
        visit::check_cents(cents)
            .map_err(|why| warn(field, format!("{}: {why}; dropped", visit::quoted(raw))))
            .ok()
    };
    let (monthly_payment, amount_financed, trade_payoff) = (
        money(Field::MonthlyPayment),
        money(Field::AmountFinanced),
        money(Field::TradePayoff),
    );
    let trade = customer::read_vin(&cells, Field::TradeVin, &mut warn)
        .filter(|t| vehicle.vin.as_ref() != Some(t))
        .map(|vin| customer::decoded(vin, latest_model_year));
    let deal = DealRow {
        row,
        deal_number: deal_number.to_string(),
        sold_at,
        customer,
        vehicle,
        mileage,
        condition,
        sale_type,
        term_months,
        monthly_payment,
        apr,
        lease_miles_per_year,
        lender,
        amount_financed,
        trade,
        trade_payoff,
    };
    let column = |field: &str| {
        map.fields
            .iter()
            .find(|(_, f)| f.as_str() == field)
            .map_or(0, |(i, _)| *i + 1)
    };
    warnings.sort_by_key(|w| column(&w.field));
    checks::fit_deal_for_store(&deal)?;
    Ok((deal, warnings))
}

/// The deal number: the key a later export is matched on.
fn deal_number<'a>(cells: &Cells<'a>) -> Result<&'a str, RowIssue> {
    match cells.get(Field::DealNumber) {
        Some(id) => visit::check_external_id(id).map(|()| id).map_err(|why| {
            let message = format!(
                "the deal number {} {why}; the row cannot be imported",
                visit::quoted(id)
            );
            cells.issue(Field::DealNumber.as_str(), message)
        }),
        None if cells.map.has(Field::DealNumber) => Err(cells.issue(
            Field::DealNumber.as_str(),
            "no deal number: the deal cannot be matched on a later import".into(),
        )),
        None => Err(cells.issue(
            Field::DealNumber.as_str(),
            "the file has no deal number column (Deal Number, Deal No, DealNo...)".into(),
        )),
    }
}

/// The sold (contract) date: a deal without one cannot be placed in time.
fn sold_at(cells: &Cells, tz: Tz, latest_year: i32) -> Result<DateTime<Utc>, RowIssue> {
    let field = Field::SoldDate.as_str();
    match cells.get(Field::SoldDate) {
        Some(raw) => values::parse_when(raw, latest_year)
            .map(|w| w.to_utc(tz))
            .map_err(|m| cells.issue(field, format!("{m}: the deal cannot be placed in time"))),
        None if cells.map.has(Field::SoldDate) => {
            Err(cells.issue(field, "no sold date: the deal cannot be placed in time".into()))
        }
        None => Err(cells.issue(
            field,
            "the file has no sold date column (Sold Date, Contract Date, Deal Date...)".into(),
        )),
    }
}

#[cfg(test)]
#[path = "deals_tests.rs"]
mod tests;
