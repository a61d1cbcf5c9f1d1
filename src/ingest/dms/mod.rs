//! DMS export rows (CDK, Reynolds & Reynolds, Dealertrack, Tekion, Xtime...) -> normalized service events. Pure:
//! no I/O, no database, no clock. [`map_columns`] reads the header row once; [`map_row`] turns each data row into an
//! [`EventRow`] plus warnings about values it had to drop, or refuses the row with the reason (rule 4: nothing lost,
//! the caller reports refused rows and imports the rest).

mod checks;
mod columns;
mod customer;
mod deals;
mod kind;
mod values;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::money::Cents;
use crate::domain::phone::PhoneE164;
use crate::domain::vin::Vin;
use crate::domain::visit;
use crate::domain::visit::{LineStatus, ServiceEventKind, ServiceLine};
pub use columns::{map_columns, normalize_header};
pub use customer::{Customer, VehicleDesc};
pub use deals::{map_deal_row, DealRow};
pub use kind::ExportKind;
use values::When;

/// What a column means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    RoNumber,
    AppointmentId,
    OpenDate,
    CloseDate,
    AppointmentDate,
    AppointmentTime,
    AppointmentDateTime,
    CustomerName,
    FirstName,
    LastName,
    CellPhone,
    HomePhone,
    WorkPhone,
    Phone,
    Email,
    Address,
    City,
    State,
    Zip,
    Vin,
    Year,
    Make,
    Model,
    Vehicle,
    Mileage,
    Advisor,
    OpCodes,
    OpDescriptions,
    DeclinedOpCodes,
    LaborAmount,
    PartsAmount,
    TotalAmount,
    // a sales (deal) export's own columns
    DealNumber,
    SoldDate,
    NewUsed,
    SaleType,
    TermMonths,
    MonthlyPayment,
    Apr,
    LeaseMilesPerYear,
    Lender,
    AmountFinanced,
    TradeVin,
    TradePayoff,
}

impl Field {
    /// The snake_case name (as serialized), used in [`RowIssue::field`].
    pub fn as_str(self) -> &'static str {
        use Field::*;
        match self {
            RoNumber => "ro_number",
            AppointmentId => "appointment_id",
            OpenDate => "open_date",
            CloseDate => "close_date",
            AppointmentDate => "appointment_date",
            AppointmentTime => "appointment_time",
            AppointmentDateTime => "appointment_date_time",
            CustomerName => "customer_name",
            FirstName => "first_name",
            LastName => "last_name",
            CellPhone => "cell_phone",
            HomePhone => "home_phone",
            WorkPhone => "work_phone",
            Phone => "phone",
            Email => "email",
            Address => "address",
            City => "city",
            State => "state",
            Zip => "zip",
            Vin => "vin",
            Year => "year",
            Make => "make",
            Model => "model",
            Vehicle => "vehicle",
            Mileage => "mileage",
            Advisor => "advisor",
            OpCodes => "op_codes",
            OpDescriptions => "op_descriptions",
            DeclinedOpCodes => "declined_op_codes",
            LaborAmount => "labor_amount",
            PartsAmount => "parts_amount",
            TotalAmount => "total_amount",
            DealNumber => "deal_number",
            SoldDate => "sold_date",
            NewUsed => "new_used",
            SaleType => "sale_type",
            TermMonths => "term_months",
            MonthlyPayment => "monthly_payment",
            Apr => "apr",
            LeaseMilesPerYear => "lease_miles_per_year",
            Lender => "lender",
            AmountFinanced => "amount_financed",
            TradeVin => "trade_vin",
            TradePayoff => "trade_payoff",
        }
    }
}

/// Which field each column index maps to, and which headers were ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    pub fields: Vec<(usize, Field)>,
    pub ignored: Vec<String>,
    pub headers: Vec<String>,
}

impl ColumnMap {
    pub fn has(&self, field: Field) -> bool {
        self.fields.iter().any(|(_, f)| *f == field)
    }
}

/// A refused row or a dropped value. `row` is the 1-based data row (header excluded); `field` is a [`Field`]'s
/// snake_case name, or `row` for the row as a whole.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RowIssue {
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// One service visit as the export describes it, normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub row: usize,
    /// RO number or appointment id, trimmed
    pub external_id: String,
    /// a repair order when an RO number, open date or close date is present, else an appointment
    pub kind: ServiceEventKind,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// best usable: cell/mobile first, then phone, home, work
    pub phone_e164: Option<PhoneE164>,
    /// true when it came from a cell/mobile column or an untyped Phone column
    pub phone_is_mobile: bool,
    pub email: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    /// two-letter USPS code
    pub state: Option<String>,
    /// five digits
    pub zip: Option<String>,
    /// validated (check digit) or None
    pub vin: Option<Vin>,
    /// from the columns, else the "Vehicle" column, else decoded from the VIN
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub mileage: Option<i64>,
    pub advisor: Option<String>,
    pub services: Vec<ServiceLine>,
    pub labor_cents: Option<Cents>,
    pub parts_cents: Option<Cents>,
    pub total_cents: Option<Cents>,
}

/// Cells that mean "nothing here".
const BLANKS: &[&str] = &["null", "n/a", "#n/a", "none", "-", "--"];

/// One data row, read through the column map.
struct Cells<'a> {
    map: &'a ColumnMap,
    record: &'a [&'a str],
    row: usize,
}

impl<'a> Cells<'a> {
    /// The trimmed cell for `field`; None when the column is missing or the cell blank (`N/A`, `NULL`, `-`...).
    fn get(&self, field: Field) -> Option<&'a str> {
        let (i, _) = self.map.fields.iter().find(|(_, f)| *f == field)?;
        let v = self.record.get(*i)?.trim();
        (!v.is_empty() && !BLANKS.iter().any(|b| b.eq_ignore_ascii_case(v))).then_some(v)
    }

    fn issue(&self, field: &str, message: String) -> RowIssue {
        RowIssue {
            row: self.row,
            field: field.to_string(),
            message,
        }
    }

    /// The RO number (kind "repair_order") or appointment id: one a later export can be matched
    /// on (see [`visit::check_external_id`]).
    fn external_id(&self) -> Result<&'a str, RowIssue> {
        let ro = self.get(Field::RoNumber);
        let (id, field, what) = match ro {
            Some(id) => (Some(id), Field::RoNumber, "RO number"),
            None => (self.get(Field::AppointmentId), Field::AppointmentId, "appointment id"),
        };
        if let Some(id) = id {
            return visit::check_external_id(id).map(|()| id).map_err(|why| {
                let message = format!("the {what} {} {why}; the row cannot be imported", visit::quoted(id));
                self.issue(field.as_str(), message)
            });
        }
        id.ok_or_else(|| {
            let (field, what) = match (self.map.has(Field::RoNumber), self.map.has(Field::AppointmentId)) {
                (true, true) => ("ro_number", "no RO number or appointment id"),
                (true, false) => ("ro_number", "no RO number"),
                (false, true) => ("appointment_id", "no appointment id"),
                (false, false) => ("external_id", "the file has no RO number or appointment id column"),
            };
            self.issue(field, format!("{what}: the visit cannot be matched on a later import"))
        })
    }

    /// Scheduled, opened and closed times with warnings about unusable ones; Err when none is usable.
    fn times(&self, latest: i32) -> Result<([Option<When>; 3], Vec<RowIssue>), RowIssue> {
        let mut problems = Vec::new();
        let mut when = |field: Field| {
            let parsed = values::parse_when(self.get(field)?, latest);
            parsed.map_err(|m| problems.push(self.issue(field.as_str(), m))).ok()
        };
        let (opened, closed) = (when(Field::OpenDate), when(Field::CloseDate));
        let mut scheduled = when(Field::AppointmentDateTime);
        if scheduled.is_none() {
            scheduled = when(Field::AppointmentDate);
            match (scheduled, self.get(Field::AppointmentTime).map(values::parse_time)) {
                (Some(w @ (When::Date(_) | When::Local(_))), Some(Ok(t))) => {
                    scheduled = Some(When::Local(w.date().and_time(t)))
                }
                (Some(_), Some(Err(m))) => {
                    problems.push(self.issue("appointment_time", format!("{m}; kept the date only")))
                }
                _ => {}
            }
        }
        if opened.is_some() || closed.is_some() || scheduled.is_some() {
            return Ok(([scheduled, opened, closed], problems));
        }
        if let Some(mut first) = problems.into_iter().next() {
            first.message += ", and the row has no other usable date";
            return Err(first);
        }
        let dated = [
            Field::OpenDate,
            Field::CloseDate,
            Field::AppointmentDateTime,
            Field::AppointmentDate,
        ];
        Err(match dated.into_iter().find(|f| self.map.has(*f)) {
            Some(f) => self.issue(f.as_str(), "no date: the visit cannot be placed in time".into()),
            None => self.issue("date", "the file has no open, close or appointment date column".into()),
        })
    }
}

/// Map one data row. Err(issue) when the row cannot be imported at all (no external id; no usable date of any kind);
/// otherwise Ok with warnings for values that were unusable and dropped (invalid VIN, unusable phone, bad amount...)
/// — the visit still counts. Warnings come in column order. Dates/times without an offset are local times in `tz`
/// (the account's zone); a bare date is the start of that local day. `latest_model_year` bounds VIN year decoding,
/// model years, and two-digit years (20YY when that is no later than it, else 19YY).
pub fn map_row(
    map: &ColumnMap,
    row: usize,
    record: &[&str],
    tz: Tz,
    latest_model_year: i32,
) -> Result<(EventRow, Vec<RowIssue>), RowIssue> {
    // control characters (a NUL, a line break in a quoted cell) are read as spaces, but in the
    // RO number and appointment id, which they make unusable (see `Cells::external_id`)
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
    let external_id = cells.external_id()?;
    let ([scheduled, opened, closed], mut warnings) = cells.times(latest_model_year)?;
    if let Some(extra) = record
        .get(map.headers.len()..)
        .filter(|x| x.iter().any(|v| !v.trim().is_empty()))
    {
        let (values, headers) = (map.headers.len() + extra.len(), map.headers.len());
        let message = format!("{values} values but {headers} headers: an unquoted comma may have shifted the values");
        warnings.push(cells.issue("row", message));
    }
    let mut warn = |field: Field, message: String| warnings.push(cells.issue(field.as_str(), message));

    let Customer {
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
    } = customer::read(&cells, &mut warn);
    let VehicleDesc { vin, year, make, model } =
        customer::read_vehicle(&cells, Field::Vin, latest_model_year, &mut warn);
    let mileage =
        cell(Field::Mileage).and_then(|raw| values::parse_mileage(raw).map_err(|m| warn(Field::Mileage, m)).ok()?);

    // The visit
    let advisor = cell(Field::Advisor).map(values::display_person);
    let (codes, descriptions) = (cell(Field::OpCodes), cell(Field::OpDescriptions));
    let (mut services, pairing) = service_lines(codes, descriptions, cell(Field::DeclinedOpCodes));
    if let Some(m) = pairing {
        warn(Field::OpDescriptions, m);
    }
    services.retain(|line| match visit::check_op_code(&line.op_code) {
        Ok(()) => true,
        Err(why) => {
            let field = if line.status == LineStatus::Declined {
                Field::DeclinedOpCodes
            } else {
                Field::OpCodes
            };
            warn(
                field,
                format!("op code {} {why}; dropped", visit::quoted(&line.op_code)),
            );
            false
        }
    });
    let mut money = |field: Field| {
        let cents = values::parse_cents(cell(field)?).map_err(|m| warn(field, m)).ok()??;
        let raw = cell(field).unwrap_or_default();
        visit::check_cents(cents)
            .map_err(|why| warn(field, format!("{}: {why}; dropped", visit::quoted(raw))))
            .ok()
    };
    let (labor_cents, parts_cents, total_cents) = (
        money(Field::LaborAmount),
        money(Field::PartsAmount),
        money(Field::TotalAmount),
    );

    let event = EventRow {
        row,
        external_id: external_id.to_string(),
        kind: if cell(Field::RoNumber).is_some() || opened.is_some() || closed.is_some() {
            ServiceEventKind::RepairOrder
        } else {
            ServiceEventKind::Appointment
        },
        scheduled_at: scheduled.map(|w| w.to_utc(tz)),
        opened_at: opened.map(|w| w.to_utc(tz)),
        closed_at: closed.map(|w| w.to_utc(tz)),
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
        vin,
        year,
        make,
        model,
        mileage,
        advisor,
        services,
        labor_cents,
        parts_cents,
        total_cents,
    };
    // in column order, as the person fixing the export reads it
    let column = |field: &str| {
        map.fields
            .iter()
            .find(|(_, f)| f.as_str() == field)
            .map_or(0, |(i, _)| *i + 1)
    };
    warnings.sort_by_key(|w| column(&w.field));
    checks::fit_for_store(&event)?;
    Ok((event, warnings))
}

/// Service lines from the op-code, description and declined-op cells; descriptions pair with codes by position, and
/// a declined code already on the RO marks that line declined. The message warns of unpaired descriptions.
fn service_lines(
    codes: Option<&str>,
    descs: Option<&str>,
    declined: Option<&str>,
) -> (Vec<ServiceLine>, Option<String>) {
    let codes = codes.map(values::split_list).unwrap_or_default();
    let descs = descs
        .map(|d| values::split_descriptions(d, codes.len()))
        .unwrap_or_default();
    let pairing = (!descs.is_empty() && descs.len() != codes.len()).then(|| {
        format!(
            "{} op codes, {} descriptions: paired by position",
            codes.len(),
            descs.len()
        )
    });
    let line = |item: &str, desc: Option<&String>, status: LineStatus| {
        let (op_code, text) = values::code_and_text(item);
        let description = desc.cloned().or(text);
        ServiceLine {
            op_code,
            description,
            amount_cents: None,
            status,
        }
    };
    let mut lines: Vec<ServiceLine> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| line(c, descs.get(i), LineStatus::Performed))
        .collect();
    for item in declined.map(values::split_list).unwrap_or_default() {
        let new = line(&item, None, LineStatus::Declined);
        match lines.iter_mut().find(|l| l.op_code.eq_ignore_ascii_case(&new.op_code)) {
            Some(existing) => existing.status = new.status,
            None => lines.push(new),
        }
    }
    (lines, pairing)
}
