//! What an import reports, in bounded memory whatever the file: the counts, the first
//! [`SHOWN`] errors and warnings, and, when there were more, every one of them in a CSV file
//! written as the import goes (`<reports>/<account id>/<id>.csv`, downloadable by the account at
//! `/api/import/reports/<id>.csv`, removed after [`REPORTS_KEPT_DAYS`] days).

use crate::domain::sheet::spreadsheet_safe;
use crate::ingest::dms::{ExportKind, Field, RowIssue};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors, and warnings, an import's answer lists at most.
pub const SHOWN: usize = 100;
/// A message is cut to this many characters (one may quote a cell, and a cell may be huge).
const MESSAGE_MAX_CHARS: usize = 500;
/// Days a full report stays downloadable.
pub const REPORTS_KEPT_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ImportReport {
    /// what the export held: `service` (appointments, repair orders) or `deals` (sales)
    pub kind: ExportKind,
    /// every data row of the file (blank lines aside): created + updated + unchanged + refused
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// refused rows, all of them
    pub errors_total: usize,
    /// values dropped from rows that were imported, all of them
    pub warnings_total: usize,
    /// the first [`SHOWN`] refused rows
    pub errors: Vec<RowIssue>,
    /// the first [`SHOWN`] dropped values
    pub warnings: Vec<RowIssue>,
    /// when there were more than shown: where the account downloads them all, as CSV
    pub full_report: Option<String>,
    /// that file on this machine (for the CLI and the watched folder)
    #[serde(skip)]
    pub full_report_path: Option<PathBuf>,
    /// header -> the field it was read as; and the headers that were ignored
    pub columns: ColumnsReport,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ColumnsReport {
    pub used: BTreeMap<String, Field>,
    pub ignored: Vec<String>,
}

/// A row refused, or a value dropped from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Noted {
    Error(RowIssue),
    Warning(RowIssue),
}

impl Noted {
    pub(crate) fn row(&self) -> usize {
        match self {
            Noted::Error(i) | Noted::Warning(i) => i.row,
        }
    }
}

const CSV_HEADER: [&str; 4] = ["row", "field", "message", "severity"];

/// Where an import's issues go, in row order: the first [`SHOWN`] of each kind kept for the
/// answer, and once there are more, all of them written to the full report.
pub(crate) struct Issues {
    errors: Vec<RowIssue>,
    warnings: Vec<RowIssue>,
    errors_total: usize,
    warnings_total: usize,
    /// the account's folder of full reports (None: no full report is written)
    folder: Option<PathBuf>,
    created_at: i64,
    full: Option<FullReport>,
}

struct FullReport {
    id: String,
    path: PathBuf,
    writer: csv::Writer<std::fs::File>,
}

impl Issues {
    /// `reports` is the data directory's `reports` folder.
    pub(crate) fn new(reports: Option<&Path>, account_id: i64, now: DateTime<Utc>) -> Issues {
        Issues {
            errors: Vec::new(),
            warnings: Vec::new(),
            errors_total: 0,
            warnings_total: 0,
            folder: reports.map(|r| r.join(account_id.to_string())),
            created_at: now.timestamp(),
            full: None,
        }
    }

    pub(crate) fn note(&mut self, noted: Noted) {
        let is_error = matches!(noted, Noted::Error(_));
        let (Noted::Error(issue) | Noted::Warning(issue)) = noted;
        let issue = RowIssue {
            message: cut(issue.message),
            ..issue
        };
        let shown = if is_error {
            self.errors_total += 1;
            self.errors.len()
        } else {
            self.warnings_total += 1;
            self.warnings.len()
        };
        if shown >= SHOWN && self.full.is_none() {
            self.open_full_report();
        }
        if let Some(full) = &mut self.full {
            full.write(&issue, if is_error { "error" } else { "warning" });
        }
        if shown < SHOWN {
            if is_error {
                self.errors.push(issue);
            } else {
                self.warnings.push(issue);
            }
        }
    }

    /// More issues than shown: every one so far goes into a new full report, and every later one.
    fn open_full_report(&mut self) {
        let Some(folder) = &self.folder else { return };
        let id = format!("{}-{}", self.created_at, uuid::Uuid::new_v4().simple());
        let path = folder.join(format!("{id}.csv"));
        let opened = std::fs::create_dir_all(folder)
            .and_then(|_| std::fs::File::create(&path))
            .map(csv::Writer::from_writer);
        let mut full = match opened {
            Ok(writer) => FullReport { id, path, writer },
            Err(e) => {
                tracing::error!(path = %path.display(), error = %e, "cannot write an import's full report");
                self.folder = None;
                return;
            }
        };
        full.writer.write_record(CSV_HEADER).ok();
        for (issue, severity) in in_row_order(&self.errors, &self.warnings) {
            full.write(issue, severity);
        }
        self.full = Some(full);
    }

    /// The counts, the issues shown and the full report's link into the report.
    pub(crate) fn finish(self, report: &mut ImportReport) {
        report.errors = self.errors;
        report.warnings = self.warnings;
        report.errors_total = self.errors_total;
        report.warnings_total = self.warnings_total;
        if let Some(mut full) = self.full {
            match full.writer.flush() {
                Ok(()) => {
                    report.full_report = Some(format!("/api/import/reports/{}.csv", full.id));
                    report.full_report_path = Some(full.path);
                }
                Err(e) => {
                    tracing::error!(path = %full.path.display(), error = %e, "cannot write an import's full report");
                    std::fs::remove_file(&full.path).ok();
                }
            }
        }
    }
}

impl FullReport {
    fn write(&mut self, issue: &RowIssue, severity: &str) {
        let row = issue.row.to_string();
        let written = self.writer.write_record([
            row.as_str(),
            issue.field.as_str(),
            &spreadsheet_safe(&issue.message),
            severity,
        ]);
        if let Err(e) = written {
            tracing::error!(path = %self.path.display(), error = %e, "cannot write an import's full report");
        }
    }
}

/// Errors and warnings (each in row order) merged in row order, a row's warnings first.
fn in_row_order<'a>(errors: &'a [RowIssue], warnings: &'a [RowIssue]) -> Vec<(&'a RowIssue, &'static str)> {
    let mut all: Vec<(&RowIssue, &str)> = errors
        .iter()
        .map(|e| (e, "error"))
        .chain(warnings.iter().map(|w| (w, "warning")))
        .collect();
    all.sort_by_key(|(issue, severity)| (issue.row, *severity == "error"));
    all
}

/// A message cut to [`MESSAGE_MAX_CHARS`].
fn cut(message: String) -> String {
    match message.char_indices().nth(MESSAGE_MAX_CHARS) {
        Some((at, _)) => format!("{}…", &message[..at]),
        None => message,
    }
}

impl ImportReport {
    /// Every error and warning as CSV (`row,field,message,severity`) at `to`, with a `file` line
    /// first when the whole file could not be read: the full report when there is one, else the
    /// issues shown (they are all there are).
    pub fn write_issues_csv(&self, to: impl std::io::Write, fatal: Option<&str>) -> std::io::Result<()> {
        let mut to = to;
        if let (Some(full), None) = (&self.full_report_path, fatal) {
            std::io::copy(&mut std::fs::File::open(full)?, &mut to)?;
            return to.flush();
        }
        let mut w = csv::Writer::from_writer(to);
        w.write_record(CSV_HEADER).map_err(std::io::Error::other)?;
        if let Some(message) = fatal {
            w.write_record(["", "file", message, "error"])
                .map_err(std::io::Error::other)?;
        }
        for (issue, severity) in in_row_order(&self.errors, &self.warnings) {
            let row = issue.row.to_string();
            w.write_record([
                row.as_str(),
                issue.field.as_str(),
                &spreadsheet_safe(&issue.message),
                severity,
            ])
            .map_err(std::io::Error::other)?;
        }
        w.flush()
    }
}

/// The file of an account's full report `id` under `reports`, if `id` is one an import made
/// (`<unix time>-<32 hex digits>`: nothing else can name a file).
pub fn report_path(reports: &Path, account_id: i64, id: &str) -> Option<PathBuf> {
    let (time, random) = id.split_once('-')?;
    let digits = !time.is_empty() && time.len() <= 19 && time.bytes().all(|b| b.is_ascii_digit());
    let hex = random.len() == 32 && random.bytes().all(|b| b.is_ascii_hexdigit());
    (digits && hex).then(|| reports.join(account_id.to_string()).join(format!("{id}.csv")))
}

/// Remove the full reports made more than [`REPORTS_KEPT_DAYS`] days before `now` (the time is
/// in each file's name); returns how many went.
pub fn remove_old_reports(reports: &Path, now: DateTime<Utc>) -> usize {
    let before = now.timestamp() - REPORTS_KEPT_DAYS * 86_400;
    let mut removed = 0;
    let Ok(accounts) = std::fs::read_dir(reports) else {
        return 0;
    };
    for account in accounts.flatten() {
        let Ok(files) = std::fs::read_dir(account.path()) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name().to_string_lossy().to_string();
            let made = name
                .strip_suffix(".csv")
                .and_then(|id| id.split_once('-'))
                .and_then(|(time, _)| time.parse::<i64>().ok());
            if made.is_some_and(|t| t < before) && std::fs::remove_file(file.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(row: usize, message: &str) -> RowIssue {
        RowIssue {
            row,
            field: "row".into(),
            message: message.into(),
        }
    }

    #[test]
    fn past_the_shown_issues_every_one_goes_to_the_full_report_in_row_order() {
        let dir = tempfile::tempdir().unwrap();
        let now = "2026-11-24T15:00:00Z".parse().unwrap();
        let mut issues = Issues::new(Some(dir.path()), 3, now);
        for row in 1..=SHOWN + 1 {
            issues.note(Noted::Warning(issue(row, "=1+2")));
            if row % 2 == 0 {
                issues.note(Noted::Error(issue(row, &"x".repeat(MESSAGE_MAX_CHARS + 5))));
            }
        }
        let mut report = ImportReport::default();
        issues.finish(&mut report);
        assert_eq!((report.warnings.len(), report.warnings_total), (SHOWN, SHOWN + 1));
        assert_eq!((report.errors.len(), report.errors_total), (SHOWN / 2, SHOWN / 2));
        assert_eq!(report.errors[0].message.chars().count(), MESSAGE_MAX_CHARS + 1);
        let path = report.full_report_path.clone().expect("a full report");
        let id = path.file_stem().unwrap().to_str().unwrap();
        assert_eq!(report.full_report, Some(format!("/api/import/reports/{id}.csv")));
        assert_eq!(report_path(dir.path(), 3, id), Some(path.clone()));
        assert_eq!(report_path(dir.path(), 3, "../3/x"), None);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1 + SHOWN + 1 + SHOWN / 2);
        assert_eq!(lines[0], "row,field,message,severity");
        assert_eq!(lines[1], "1,row,'=1+2,warning", "a formula is not run by a spreadsheet");
        assert!(lines[3].starts_with("2,row,xxx") && lines[3].ends_with(",error"));

        // kept 30 days from the import's time, then removed
        let later = |days: i64| now + chrono::Duration::days(days);
        assert_eq!(remove_old_reports(dir.path(), later(REPORTS_KEPT_DAYS)), 0);
        assert!(path.exists());
        assert_eq!(remove_old_reports(dir.path(), later(REPORTS_KEPT_DAYS + 1)), 1);
        assert!(!path.exists());
    }
}
