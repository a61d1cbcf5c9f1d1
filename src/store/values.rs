//! The domain's value types as columns: a phone number and a VIN as TEXT, cents as INTEGER.
//! A stored value that breaks the type's rule is a conversion error naming it (the columns'
//! CHECK constraints keep most such values out).

use crate::domain::money::Cents;
use crate::domain::phone::PhoneE164;
use crate::domain::vin::Vin;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

impl ToSql for PhoneE164 {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for PhoneE164 {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        PhoneE164::from_stored(value.as_str()?).map_err(|why| FromSqlError::Other(why.into()))
    }
}

impl ToSql for Vin {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

/// Every VIN is checked (check digit included) before it is written; read back, only its shape
/// is (see `Vin::from_stored`): a stored VIN whose check digit fails must not make its customer
/// unreadable.
impl FromSql for Vin {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let stored = value.as_str()?;
        Vin::from_stored(stored)
            .map_err(|e| FromSqlError::Other(format!("`{}` is not a valid VIN: {e}", stored.escape_debug()).into()))
    }
}

impl ToSql for Cents {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.get()))
    }
}

impl FromSql for Cents {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_i64().map(Cents::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_and_read_back_and_broken_ones_refused() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let phone = PhoneE164::parse("512-555-0100").unwrap();
        let back: PhoneE164 = conn.query_row("SELECT ?1", [&phone], |r| r.get(0)).unwrap();
        assert_eq!(back, phone);
        let err = conn
            .query_row("SELECT '5125550100'", [], |r| r.get::<_, PhoneE164>(0))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`5125550100` is not a phone number in E.164 form"),
            "{err}"
        );
        let vin = Vin::parse("1HGCM82633A004352").unwrap();
        let back: Vin = conn.query_row("SELECT ?1", [&vin], |r| r.get(0)).unwrap();
        assert_eq!(back, vin);
        // a stored VIN whose check digit fails still reads (its customer stays readable)...
        let stored: Vin = conn.query_row("SELECT '1HGCM82643A004352'", [], |r| r.get(0)).unwrap();
        assert_eq!(stored.as_str(), "1HGCM82643A004352");
        // ...but not one that is no VIN at all
        for bad in ["1HGCM8264", "1HGCM82643A00435O", "1hgcm82643a004352"] {
            let err = conn
                .query_row(&format!("SELECT '{bad}'"), [], |r| r.get::<_, Vin>(0))
                .unwrap_err()
                .to_string();
            assert!(err.contains("is not a valid VIN"), "{bad}: {err}");
        }
        let back: Cents = conn.query_row("SELECT ?1", [Cents::new(7995)], |r| r.get(0)).unwrap();
        assert_eq!(back, Cents::new(7995));
        assert!(conn.query_row("SELECT 79.95", [], |r| r.get::<_, Cents>(0)).is_err());
    }
}
