//! Cells of CSV files people open in a spreadsheet.

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) starts with a quote mark
/// instead: exports quote what customers and DMS files wrote, and are opened in spreadsheets.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn formulas_are_quoted_and_text_is_not() {
        assert_eq!(super::spreadsheet_safe("=1+2"), "'=1+2");
        assert_eq!(super::spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(super::spreadsheet_safe("hello"), "hello");
    }
}
