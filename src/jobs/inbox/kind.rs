//! What a file in the watched folder is, from its name and its first bytes: pure rules, no I/O.
//! Every reason is written for the DMS administrator who will read it in `<name>.errors.csv`.

/// How many bytes of a file [`not_importable`] looks at.
pub const HEAD_BYTES: usize = 8 * 1024;

/// Name endings that say a writer has not finished (`nightly.csv.part`); a name starting with a
/// dot (`.nightly.csv`) says the same.
const UNFINISHED_SUFFIXES: &[&str] = &[".part", ".tmp", ".partial"];

/// The ending forecourt gives its own error reports.
pub const REPORT_SUFFIX: &str = ".errors.csv";

/// Is the file named as one still being written (hidden, or `.part`/`.tmp`)? Such a file is left
/// alone while it changes: the safe way for a DMS to write is under such a name, renamed at the end.
pub fn unfinished(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with('.') || UNFINISHED_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// The name a file called as unfinished should have had: without its leading dots and its
/// `.part`/`.tmp` ending.
pub fn finished_name(name: &str) -> String {
    let mut base = name.trim_start_matches('.');
    for suffix in UNFINISHED_SUFFIXES {
        if base.len() > suffix.len() && base.to_ascii_lowercase().ends_with(suffix) {
            base = &base[..base.len() - suffix.len()];
        }
    }
    if base.is_empty() {
        "export.csv".into()
    } else {
        base.to_string()
    }
}

/// Why an unfinished-looking file that has not changed for `hours` is set aside.
pub fn unfinished_reason(name: &str, hours: u64) -> String {
    let how = if name.starts_with('.') {
        "its name starts with a dot, which marks a file that is still being written"
    } else {
        "its name ends in .part or .tmp, which marks a file that is still being written"
    };
    format!(
        "not imported: {how}, and it has not changed for {hours} hours. If the file is complete, \
         rename it to {} and drop it in the account's folder again. A DMS should write under such a \
         name and rename the file when it is done.",
        finished_name(name)
    )
}

/// Why a file in a folder named for an account this box does not have is set aside.
pub fn unknown_account_reason(folder: &str) -> String {
    format!(
        "there is no account {folder} on this box; move the file to the folder of the right account \
         (inbox/<account id>/)"
    )
}

/// Why a file that held still cannot be an export to import, if it cannot: a name like
/// forecourt's own error reports, an empty file, or content that is not CSV text.
pub fn not_importable(name: &str, size: u64, head: &[u8]) -> Option<String> {
    if name.to_ascii_lowercase().ends_with(REPORT_SUFFIX) {
        return Some(format!(
            "not imported: the name ends in {REPORT_SUFFIX}, which is how forecourt names its error \
             reports. If this is an export, rename it (for example to ro_export.csv) and drop it in the \
             account's folder again."
        ));
    }
    if size == 0 {
        return Some("the file is empty (0 bytes). Check the DMS export job, then drop the file again.".into());
    }
    let what = if head.starts_with(b"PK\x03\x04") {
        "an Excel workbook (.xlsx) or a zip archive"
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        "an Excel 97-2003 workbook (.xls)"
    } else if head.starts_with(b"%PDF") {
        "a PDF document"
    } else if head.starts_with(&[0x1F, 0x8B]) {
        "a compressed (gzip) file"
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Some(
            "the file is saved as UTF-16 text. Save or export it as CSV with UTF-8 encoding and drop it \
             again."
                .into(),
        );
    } else if head.contains(&0) {
        "not a text file (it holds binary data)"
    } else {
        return None;
    };
    Some(format!(
        "this is {what}, not a CSV file. Export or save the data as CSV (comma-separated values) and drop \
         that file in the account's folder."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfinished_names() {
        for name in [
            ".nightly.csv",
            "..hidden.csv",
            "nightly.csv.part",
            "ro.CSV.TMP",
            "x.partial",
        ] {
            assert!(unfinished(name), "{name}");
        }
        for name in ["nightly.csv", "part.csv", "tmp", "ro.csv.bak"] {
            assert!(!unfinished(name), "{name}");
        }
        assert_eq!(finished_name("..hidden.csv"), "hidden.csv");
        assert_eq!(finished_name(".ro.csv.part"), "ro.csv");
        assert_eq!(finished_name("ro.csv.TMP"), "ro.csv");
        assert_eq!(finished_name(".part"), "part", "a hidden file named part");
        assert_eq!(finished_name("..part"), "part");
        assert_eq!(finished_name("."), "export.csv");
    }

    #[test]
    fn unfinished_reason_says_how_to_name_it() {
        let why = unfinished_reason(".ro.csv", 24);
        assert!(why.contains("starts with a dot") && why.contains("rename it to ro.csv") && why.contains("24 hours"));
        let why = unfinished_reason("ro.csv.part", 24);
        assert!(why.contains(".part") && why.contains("rename it to ro.csv"));
    }

    #[test]
    fn what_cannot_be_an_export() {
        let csv = b"RO Number,Open Date\r\n1,11/05/2026\r\n";
        assert_eq!(not_importable("ro.csv", csv.len() as u64, csv), None);
        assert_eq!(
            not_importable("ro.txt", 3, b"a,b"),
            None,
            "the name's ending does not matter"
        );
        let bom = b"\xEF\xBB\xBFRO Number\r\n";
        assert_eq!(
            not_importable("ro.csv", bom.len() as u64, bom),
            None,
            "UTF-8 with a BOM is fine"
        );
        let cases: [(&str, &[u8], &str); 8] = [
            ("x.errors.csv", b"row,field,message\n", "error reports"),
            ("X.ERRORS.CSV", b"row,field,message\n", "error reports"),
            ("empty.csv", b"", "empty"),
            ("book.xlsx", b"PK\x03\x04\x14\x00", "Excel workbook (.xlsx)"),
            ("old.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], ".xls"),
            ("ro.pdf", b"%PDF-1.7", "PDF"),
            ("ro.csv.gz", &[0x1F, 0x8B, 8, 0], "gzip"),
            ("ro.csv", &[0xFF, 0xFE, b'R', 0], "UTF-16"),
        ];
        for (name, head, says) in cases {
            let why = not_importable(name, head.len() as u64, head).unwrap_or_else(|| panic!("{name}"));
            assert!(why.contains(says), "{name}: {why}");
        }
        let why = not_importable("blob.csv", 4, b"ab\0c").unwrap();
        assert!(why.contains("binary"), "{why}");
    }
}
