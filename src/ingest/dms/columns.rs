//! Header row -> [`ColumnMap`]: which column holds which [`Field`], by the names the common DMSs (CDK, Reynolds &
//! Reynolds, Dealertrack, Tekion, Xtime) give them, compared without case or punctuation.

use std::collections::{HashMap, HashSet};

use super::{ColumnMap, Field};

use Field::*;

/// Built-in header aliases, already in [`normalize_header`] form.
#[rustfmt::skip]
const ALIASES: &[(&str, Field)] = &[
    ("ronumber", RoNumber), ("ro", RoNumber), ("ronum", RoNumber), ("rono", RoNumber), ("ronbr", RoNumber),
    ("repairorder", RoNumber), ("repairordernumber", RoNumber), ("repairorderno", RoNumber),
    ("appointmentid", AppointmentId), ("apptnumber", AppointmentId), ("apptid", AppointmentId),
    ("appointmentnumber", AppointmentId), ("apptno", AppointmentId), ("apptnum", AppointmentId),
    ("appointmentno", AppointmentId),
    ("opendate", OpenDate), ("roopendate", OpenDate), ("dateopened", OpenDate), ("opened", OpenDate),
    ("openeddate", OpenDate), ("opendatetime", OpenDate), ("rodate", OpenDate),
    ("closedate", CloseDate), ("closed", CloseDate), ("cashierdate", CloseDate), ("dateclosed", CloseDate),
    ("closeddate", CloseDate), ("roclosedate", CloseDate), ("closedatetime", CloseDate), ("invoicedate", CloseDate),
    ("appointmentdate", AppointmentDate), ("apptdate", AppointmentDate), ("scheduleddate", AppointmentDate),
    ("appointmenttime", AppointmentTime), ("appttime", AppointmentTime), ("scheduledtime", AppointmentTime),
    ("apptdatetime", AppointmentDateTime), ("appointmentdatetime", AppointmentDateTime),
    ("scheduled", AppointmentDateTime), ("scheduledat", AppointmentDateTime), ("appointmentstart", AppointmentDateTime),
    ("customername", CustomerName), ("customer", CustomerName), ("name", CustomerName), ("custname", CustomerName),
    ("fullname", CustomerName),
    ("firstname", FirstName), ("first", FirstName), ("customerfirstname", FirstName), ("fname", FirstName),
    ("lastname", LastName), ("last", LastName), ("customerlastname", LastName), ("lname", LastName),
    ("surname", LastName),
    ("cell", CellPhone), ("cellphone", CellPhone), ("mobile", CellPhone), ("mobilephone", CellPhone),
    ("cellnumber", CellPhone), ("mobilenumber", CellPhone), ("customercell", CellPhone),
    ("homephone", HomePhone), ("homenumber", HomePhone),
    ("workphone", WorkPhone), ("businessphone", WorkPhone), ("officephone", WorkPhone),
    ("phone", Phone), ("phonenumber", Phone), ("customerphone", Phone), ("telephone", Phone),
    ("primaryphone", Phone),
    ("email", Email), ("emailaddress", Email), ("customeremail", Email),
    ("address", Address), ("address1", Address), ("street", Address), ("streetaddress", Address),
    ("addressline1", Address),
    ("city", City), ("state", State), ("st", State),
    ("zip", Zip), ("zipcode", Zip), ("postalcode", Zip), ("postal", Zip),
    ("vin", Vin), ("vinnumber", Vin), ("vehiclevin", Vin),
    ("year", Year), ("modelyear", Year), ("vehicleyear", Year),
    ("make", Make), ("vehiclemake", Make), ("model", Model), ("vehiclemodel", Model),
    ("vehicle", Vehicle), ("yearmakemodel", Vehicle), ("ymm", Vehicle), ("vehicledescription", Vehicle),
    ("mileagein", Mileage), ("mileage", Mileage), ("odometer", Mileage), ("miles", Mileage), ("odometerin", Mileage),
    ("milesin", Mileage),
    ("serviceadvisor", Advisor), ("advisor", Advisor), ("writer", Advisor), ("servicewriter", Advisor),
    ("advisorname", Advisor),
    ("opcodes", OpCodes), ("opcode", OpCodes), ("operationcodes", OpCodes), ("laborops", OpCodes),
    ("services", OpCodes), ("laborop", OpCodes), ("operations", OpCodes),
    ("opdescriptions", OpDescriptions), ("opdescription", OpDescriptions), ("descriptions", OpDescriptions),
    ("operationdescription", OpDescriptions), ("operationdescriptions", OpDescriptions),
    ("declinedops", DeclinedOpCodes), ("declinedopcodes", DeclinedOpCodes), ("declined", DeclinedOpCodes),
    ("declinedservices", DeclinedOpCodes), ("declinedop", DeclinedOpCodes),
    ("labor", LaborAmount), ("laborsale", LaborAmount), ("laboramount", LaborAmount), ("labortotal", LaborAmount),
    ("laborsales", LaborAmount),
    ("parts", PartsAmount), ("partssale", PartsAmount), ("partsamount", PartsAmount), ("partstotal", PartsAmount),
    ("partssales", PartsAmount),
    ("total", TotalAmount), ("totalsale", TotalAmount), ("rototal", TotalAmount), ("totalamount", TotalAmount),
    ("grandtotal", TotalAmount), ("invoicetotal", TotalAmount),
    // sales (deal) exports: CDK, Reynolds & Reynolds, Tekion, Dealertrack
    ("dealnumber", DealNumber), ("deal", DealNumber), ("dealno", DealNumber), ("dealnum", DealNumber),
    ("dealnbr", DealNumber), ("dealid", DealNumber), ("contractnumber", DealNumber), ("contractno", DealNumber),
    ("solddate", SoldDate), ("contractdate", SoldDate), ("dealdate", SoldDate), ("datesold", SoldDate),
    ("saledate", SoldDate), ("deliverydate", SoldDate), ("delivereddate", SoldDate), ("purchasedate", SoldDate),
    ("sold", SoldDate), ("contractdt", SoldDate), ("solddt", SoldDate), ("dealdatesold", SoldDate),
    ("newused", NewUsed), ("neworused", NewUsed), ("nu", NewUsed), ("newusedcpo", NewUsed),
    ("condition", NewUsed), ("vehiclecondition", NewUsed), ("stocktype", NewUsed), ("inventorytype", NewUsed),
    ("saletype", SaleType), ("dealtype", SaleType), ("financetype", SaleType), ("purchasetype", SaleType),
    ("paymenttype", SaleType), ("fintype", SaleType), ("dealtypecode", SaleType), ("salestype", SaleType),
    ("term", TermMonths), ("termmonths", TermMonths), ("months", TermMonths), ("financeterm", TermMonths),
    ("leaseterm", TermMonths), ("terminmonths", TermMonths), ("loanterm", TermMonths), ("termmos", TermMonths),
    ("payment", MonthlyPayment), ("monthlypayment", MonthlyPayment), ("pmt", MonthlyPayment),
    ("paymentamount", MonthlyPayment), ("monthlypmt", MonthlyPayment), ("mopmt", MonthlyPayment),
    ("monthlypaymentamount", MonthlyPayment),
    ("apr", Apr), ("rate", Apr), ("aprrate", Apr), ("interestrate", Apr), ("sellrate", Apr),
    ("annualpercentagerate", Apr), ("contractrate", Apr),
    ("leasemiles", LeaseMilesPerYear), ("milesperyear", LeaseMilesPerYear), ("leasemilesperyear", LeaseMilesPerYear),
    ("annualmiles", LeaseMilesPerYear), ("milesallowed", LeaseMilesPerYear), ("leasemileage", LeaseMilesPerYear),
    ("allowedmiles", LeaseMilesPerYear), ("milesyear", LeaseMilesPerYear), ("leasemileageallowance", LeaseMilesPerYear),
    ("lender", Lender), ("bank", Lender), ("lienholder", Lender), ("financesource", Lender),
    ("lendername", Lender), ("financecompany", Lender), ("bankname", Lender), ("lienholdername", Lender),
    ("amountfinanced", AmountFinanced), ("amtfinanced", AmountFinanced), ("financedamount", AmountFinanced),
    ("totalfinanced", AmountFinanced), ("amountfin", AmountFinanced), ("amtfin", AmountFinanced),
    ("tradevin", TradeVin), ("trade1vin", TradeVin), ("tradeinvin", TradeVin), ("tradevinnumber", TradeVin),
    ("trade1vinnumber", TradeVin),
    ("tradepayoff", TradePayoff), ("trade1payoff", TradePayoff), ("payoff", TradePayoff),
    ("tradeinpayoff", TradePayoff), ("payoffamount", TradePayoff), ("tradelienpayoff", TradePayoff),
    ("trade1payoffamount", TradePayoff),
];

/// How a header is compared: lower-case, only ASCII letters and digits (`R.O. #` -> `ro`).
pub fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The header without bracketed notes: `Customer Name (LAST, FIRST)` -> `Customer Name`.
fn without_notes(h: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in h.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The built-in meaning of a header, if any.
pub(super) fn builtin_field(header: &str) -> Option<Field> {
    let lookup = |key: String| ALIASES.iter().find(|(alias, _)| *alias == key).map(|(_, f)| *f);
    lookup(normalize_header(header)).or_else(|| lookup(normalize_header(&without_notes(header))))
}

/// Builds the map from a header row. An account's saved mapping (`custom`, keyed by normalized header) wins over
/// the built-in aliases; each field goes to the first column claiming it, so a later duplicate is ignored. Err when
/// no header means anything (the message lists the headers seen).
pub fn map_columns(headers: &[String], custom: &HashMap<String, Field>) -> Result<ColumnMap, String> {
    let custom: HashMap<String, Field> = custom.iter().map(|(k, f)| (normalize_header(k), *f)).collect();
    let mut chosen: Vec<Option<Field>> = vec![None; headers.len()];
    let mut taken = HashSet::new();
    for (slot, h) in chosen.iter_mut().zip(headers) {
        if let Some(f) = custom.get(&normalize_header(h)).filter(|f| taken.insert(**f)) {
            *slot = Some(*f);
        }
    }
    for (slot, h) in chosen.iter_mut().zip(headers) {
        let own = custom.contains_key(&normalize_header(h));
        if slot.is_none() && !own {
            *slot = builtin_field(h).filter(|f| taken.insert(*f));
        }
    }
    let fields: Vec<(usize, Field)> = chosen
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.map(|f| (i, f)))
        .collect();
    if fields.is_empty() {
        let seen: Vec<String> = headers
            .iter()
            .map(|h| format!("`{}`", h.trim_start_matches('\u{feff}')))
            .collect();
        return Err(format!(
            "none of the columns is one a DMS export has (RO number, appointment, deal number, customer, vehicle...); saw {}",
            if seen.is_empty() {
                "no headers".to_string()
            } else {
                seen.join(", ")
            }
        ));
    }
    let ignored = headers
        .iter()
        .zip(&chosen)
        .filter(|(_, f)| f.is_none())
        .map(|(h, _)| h.clone())
        .collect();
    Ok(ColumnMap {
        fields,
        ignored,
        headers: headers.to_vec(),
    })
}
