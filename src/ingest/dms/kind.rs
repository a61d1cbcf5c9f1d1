//! Which kind of export a file is: service visits (appointments, repair orders) or sales
//! (deals). Said by the caller (`?kind=deals`, `--kind deals`) or read from the headers.

use super::{ColumnMap, Field};

/// What a DMS export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// appointments and repair orders
    #[default]
    Service,
    /// sales: one row per deal
    Deals,
}

impl ExportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportKind::Service => "service",
            ExportKind::Deals => "deals",
        }
    }

    /// `service` (or `ro`, `appointments`) and `deals` (or `sales`).
    pub fn parse(s: &str) -> Option<ExportKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "service" | "ro" | "ros" | "repair_orders" | "appointments" => Some(ExportKind::Service),
            "deals" | "deal" | "sales" => Some(ExportKind::Deals),
            _ => None,
        }
    }

    /// The kind a watched-folder file's name says: a word `deal`, `deals`, `sales` or `sold` in
    /// it (`deals_2026-11.csv`, `CDK Sales Export.csv`) makes it a sales export (`dealership_ros.csv`
    /// does not); otherwise the headers decide.
    pub fn from_file_name(path: &std::path::Path) -> Option<ExportKind> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        name.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| matches!(w, "deal" | "deals" | "sales" | "sold"))
            .then_some(ExportKind::Deals)
    }

    /// The kind a field belongs to; None for the customer and vehicle columns both have.
    pub fn of(field: Field) -> Option<ExportKind> {
        use Field::*;
        match field {
            RoNumber | AppointmentId | OpenDate | CloseDate | AppointmentDate | AppointmentTime
            | AppointmentDateTime | Advisor | OpCodes | OpDescriptions | DeclinedOpCodes | LaborAmount
            | PartsAmount | TotalAmount => Some(ExportKind::Service),
            DealNumber | SoldDate | NewUsed | SaleType | TermMonths | MonthlyPayment | Apr | LeaseMilesPerYear
            | Lender | AmountFinanced | TradeVin | TradePayoff => Some(ExportKind::Deals),
            CustomerName | FirstName | LastName | CellPhone | HomePhone | WorkPhone | Phone | Email | Address
            | City | State | Zip | Vin | Year | Make | Model | Vehicle | Mileage => None,
        }
    }

    /// The kind the headers say: a sales export when more of its columns are a deal's than a
    /// visit's (a deal number and a sold date against an RO number...), else a service export.
    pub fn detect(map: &ColumnMap) -> ExportKind {
        let count = |kind| {
            map.fields
                .iter()
                .filter(|(_, f)| ExportKind::of(*f) == Some(kind))
                .count()
        };
        if count(ExportKind::Deals) > count(ExportKind::Service) {
            ExportKind::Deals
        } else {
            ExportKind::Service
        }
    }
}

impl ColumnMap {
    /// The map for an export of `kind`: the other kind's columns are ignored (a `Total` column
    /// in a deal export is not a repair order's total).
    pub fn for_kind(mut self, kind: ExportKind) -> ColumnMap {
        let (kept, other): (Vec<_>, Vec<_>) = self
            .fields
            .into_iter()
            .partition(|(_, f)| ExportKind::of(*f).is_none_or(|k| k == kind));
        self.fields = kept;
        if !other.is_empty() {
            let ignored: std::collections::HashSet<usize> = other.iter().map(|(i, _)| *i).collect();
            let mut all: Vec<(usize, String)> = self
                .headers
                .iter()
                .enumerate()
                .filter(|(i, _)| ignored.contains(i))
                .map(|(i, h)| (i, h.clone()))
                .collect();
            // the headers already ignored, in column order with the newly ignored
            for h in &self.ignored {
                if let Some(i) = self.headers.iter().position(|x| x == h) {
                    all.push((i, h.clone()));
                }
            }
            all.sort();
            all.dedup();
            self.ignored = all.into_iter().map(|(_, h)| h).collect();
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::dms::map_columns;
    use std::collections::HashMap;

    fn map(headers: &[&str]) -> ColumnMap {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        map_columns(&headers, &HashMap::new()).unwrap()
    }

    #[test]
    fn a_cdk_deal_export_reads_as_deals() {
        let m = map(&[
            "DealNo",
            "ContractDate",
            "CustName",
            "HomePhone",
            "CellPhone",
            "VIN",
            "N/U",
            "Deal Type",
            "Term",
            "Payment",
            "APR",
            "Lienholder",
            "Amt Financed",
            "Trade1 VIN",
            "Trade1 Payoff",
        ]);
        assert_eq!(ExportKind::detect(&m), ExportKind::Deals);
        assert!(m.has(Field::NewUsed) && m.has(Field::Lender) && m.has(Field::TradeVin));
    }

    #[test]
    fn a_reynolds_or_tekion_deal_export_reads_as_deals() {
        let m = map(&[
            "Deal Number",
            "Sold Date",
            "First Name",
            "Last Name",
            "Mobile Phone",
            "Email Address",
            "Vehicle VIN",
            "Year",
            "Make",
            "Model",
            "New/Used",
            "Sale Type",
            "Term (Months)",
            "Monthly Payment",
            "Rate",
            "Lease Miles Per Year",
            "Lender Name",
            "Amount Financed",
            "Trade-In VIN",
            "Trade-In Payoff",
            "Total",
        ]);
        assert_eq!(ExportKind::detect(&m), ExportKind::Deals);
        let m = m.for_kind(ExportKind::Deals);
        assert!(!m.has(Field::TotalAmount));
        assert_eq!(m.ignored, vec!["Total".to_string()]);
        assert!(m.has(Field::TermMonths) && m.has(Field::LeaseMilesPerYear) && m.has(Field::TradePayoff));
    }

    #[test]
    fn a_service_export_stays_service() {
        let m = map(&["RO Number", "Open Date", "Customer Name", "Cell", "VIN", "Total"]);
        assert_eq!(ExportKind::detect(&m), ExportKind::Service);
        let m = map(&["Customer Name", "Cell", "VIN"]);
        assert_eq!(ExportKind::detect(&m), ExportKind::Service);
    }

    #[test]
    fn kinds_by_file_name() {
        use std::path::Path;
        assert_eq!(
            ExportKind::from_file_name(Path::new("in/deals_2026-11.csv")),
            Some(ExportKind::Deals)
        );
        assert_eq!(
            ExportKind::from_file_name(Path::new("CDK Sales Export.csv")),
            Some(ExportKind::Deals)
        );
        assert_eq!(ExportKind::from_file_name(Path::new("ro_export.csv")), None);
        assert_eq!(ExportKind::from_file_name(Path::new("dealership_ros.csv")), None);
        assert_eq!(
            ExportKind::from_file_name(Path::new("Sold-Deals 11.30.csv")),
            Some(ExportKind::Deals)
        );
    }

    #[test]
    fn kinds_by_name() {
        assert_eq!(ExportKind::parse("deals"), Some(ExportKind::Deals));
        assert_eq!(ExportKind::parse("Sales"), Some(ExportKind::Deals));
        assert_eq!(ExportKind::parse("service"), Some(ExportKind::Service));
        assert_eq!(ExportKind::parse("parts"), None);
    }
}
