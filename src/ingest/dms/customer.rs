//! The customer and vehicle cells every DMS export has, service or sales: read the same way
//! whatever the export, so that a customer met in both is matched the same way.

use super::{values, Cells, Field};
use crate::domain::phone::PhoneE164;
use crate::domain::vin::Vin;
use crate::domain::{geo, vin, visit};

/// Who a row is about, normalized.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Customer {
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
}

/// A vehicle as a row describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VehicleDesc {
    /// validated (check digit) or None
    pub vin: Option<Vin>,
    /// from the columns, else the "Vehicle" column, else decoded from the VIN
    pub year: Option<i32>,
    pub make: Option<String>,
    pub model: Option<String>,
}

/// The customer's cells; an unusable value is dropped with a warning.
pub(super) fn read(cells: &Cells, warn: &mut impl FnMut(Field, String)) -> Customer {
    let cell = |field: Field| cells.get(field);
    let (first_name, last_name) = match (cell(Field::FirstName), cell(Field::LastName)) {
        (None, None) => cell(Field::CustomerName).map(values::split_name).unwrap_or_default(),
        (first, last) => (first.map(values::tidy_name), last.map(values::tidy_name)),
    };
    let mut phone_e164 = None;
    let mut phone_is_mobile = false;
    for (field, mobile) in [
        (Field::CellPhone, true),
        (Field::Phone, true),
        (Field::HomePhone, false),
        (Field::WorkPhone, false),
    ] {
        let Some(raw) = cell(field) else { continue };
        match PhoneE164::parse(raw) {
            Ok(e164) if phone_e164.is_none() => (phone_e164, phone_is_mobile) = (Some(e164), mobile),
            Ok(_) => {}
            Err(e) => warn(field, format!("{e}; dropped")),
        }
    }
    let email = cell(Field::Email).and_then(|raw| values::parse_email(raw).map_err(|m| warn(Field::Email, m)).ok());
    let address = cell(Field::Address).map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "));
    let city = cell(Field::City).map(values::tidy_name);
    let state = cell(Field::State).and_then(|raw| {
        let code = geo::normalize_state(raw);
        if code.is_none() {
            warn(Field::State, format!("`{raw}` is not a US state"));
        }
        code.map(str::to_string)
    });
    let zip = cell(Field::Zip).and_then(|raw| values::parse_zip(raw).map_err(|m| warn(Field::Zip, m)).ok());
    Customer {
        first_name,
        last_name,
        phone_e164,
        phone_is_mobile,
        email,
        address,
        city,
        state,
        zip,
    }
}

/// A VIN cell, checked: an invalid one is dropped with a warning.
pub(super) fn read_vin(cells: &Cells, field: Field, warn: &mut impl FnMut(Field, String)) -> Option<Vin> {
    let raw = cells.get(field)?;
    vin::parse(raw)
        .map_err(|e| warn(field, format!("`{raw}` is not a valid VIN: {e}")))
        .ok()
}

/// The vehicle: the VIN in `vin_field`, then the year/make/model columns, then the "Vehicle"
/// column, then what the VIN says.
pub(super) fn read_vehicle(
    cells: &Cells,
    vin_field: Field,
    latest_model_year: i32,
    warn: &mut impl FnMut(Field, String),
) -> VehicleDesc {
    let cell = |field: Field| cells.get(field);
    let vin = read_vin(cells, vin_field, warn);
    let latest_model_year = latest_model_year.min(*visit::MODEL_YEARS.end());
    let mut year = cell(Field::Year).and_then(|raw| {
        values::parse_year(raw, latest_model_year)
            .map_err(|m| warn(Field::Year, m))
            .ok()
    });
    let mut make = cell(Field::Make).map(values::canonical_make);
    let mut model = cell(Field::Model).map(values::tidy_model);
    if let Some(raw) = cell(Field::Vehicle) {
        let (y, mk, md) = values::split_vehicle(raw, latest_model_year);
        (year, make, model) = (year.or(y), make.or(mk), model.or(md));
    }
    if let Some(v) = &vin {
        year = year.or_else(|| vin::model_year(v, latest_model_year));
        make = make.or_else(|| vin::make(v).map(str::to_string));
    }
    VehicleDesc { vin, year, make, model }
}

/// A vehicle known only by its VIN (a trade-in): what the VIN says of it.
pub(super) fn decoded(vin: Vin, latest_model_year: i32) -> VehicleDesc {
    let latest_model_year = latest_model_year.min(*visit::MODEL_YEARS.end());
    VehicleDesc {
        year: vin::model_year(&vin, latest_model_year),
        make: vin::make(&vin).map(str::to_string),
        model: None,
        vin: Some(vin),
    }
}
