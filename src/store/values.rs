//! The domain's value types as columns: a phone number and a VIN as TEXT, cents as INTEGER.
//! A stored value that breaks the type's rule is a conversion error naming it (the columns'
//! CHECK constraints keep most such values out).

use crate::domain::phone::PhoneE164;
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
    }
}
