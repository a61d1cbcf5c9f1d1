//! JSON columns read as the types they were written from. Stored JSON that is not what its
//! column holds (written by hand, or by a version that wrote something else) is an error that
//! names the column and the row, never an empty default that would quietly change what the
//! rules decide.

use rusqlite::types::Type;
use serde::de::DeserializeOwned;

/// Column `idx` of `r`, a JSON text, as a `T`; `what` names the column and row for the error
/// (`service_events 12 services_json`).
pub(crate) fn column<T: DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    idx: usize,
    what: impl FnOnce() -> String,
) -> rusqlite::Result<T> {
    let text: String = r.get(idx)?;
    parse(&text, idx, what)
}

/// [`column`] for a column that may be NULL (None).
pub(crate) fn column_opt<T: DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    idx: usize,
    what: impl FnOnce() -> String,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = r.get(idx)?;
    text.map(|t| parse(&t, idx, what)).transpose()
}

fn parse<T: DeserializeOwned>(text: &str, idx: usize, what: impl FnOnce() -> String) -> rusqlite::Result<T> {
    serde_json::from_str(text).map_err(|e| {
        let message = format!("{} is not what it should hold: {e}", what());
        tracing::error!(%message, "bad stored JSON");
        rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, message.into())
    })
}

/// A value as the JSON text a column stores.
pub(crate) fn text<T: serde::Serialize + ?Sized>(value: &T) -> crate::error::Result<String> {
    serde_json::to_string(value).map_err(|e| crate::error::Error::internal(format!("writing JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use crate::domain::visit::ServiceLine;

    #[test]
    fn a_bad_stored_value_is_an_error_naming_it() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let read = |sql: &str| {
            conn.query_row(sql, [], |r| {
                super::column::<Vec<ServiceLine>>(r, 0, || "service_events 7 services_json".into())
            })
        };
        let lines = read(r#"SELECT '[{"op_code":"LOF"}]'"#).unwrap();
        assert_eq!(lines[0].op_code, "LOF");
        let err = read(r#"SELECT '[{"code":"LOF"}]'"#).unwrap_err().to_string();
        assert!(
            err.contains("service_events 7 services_json is not what it should hold"),
            "{err}"
        );
        assert!(err.contains("missing field `op_code`"), "{err}");
    }
}
