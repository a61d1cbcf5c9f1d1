//! What the Imports pages show of a report, an import in the history and a watched-folder file.

use crate::domain::sheet::spreadsheet_safe;
use crate::ingest::dms::RowIssue;
use crate::ingest::dms_import::ImportReport;
use crate::store::imports::JournalEntry;
use crate::store::inbox_filed::RecentFile;
use crate::web::pages::view::local_time;

pub struct IssueView {
    pub row: usize,
    pub field: String,
    pub message: String,
    /// `error` (the row was refused) or `warning` (a value was dropped, the row imported)
    pub severity: &'static str,
}

/// An import's counts and the issues it lists.
#[derive(Default)]
pub struct ReportView {
    pub kind: String,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors_total: usize,
    pub warnings_total: usize,
    /// in row order
    pub issues: Vec<IssueView>,
    /// the full report's id when there were more issues than listed
    pub full_report_id: Option<String>,
}

/// An import report as stored in the journal (the fields the pages use).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Stored {
    kind: String,
    rows: usize,
    created: usize,
    updated: usize,
    unchanged: usize,
    errors_total: usize,
    warnings_total: usize,
    errors: Vec<StoredIssue>,
    warnings: Vec<StoredIssue>,
    full_report: Option<String>,
}

#[derive(serde::Deserialize)]
struct StoredIssue {
    row: usize,
    field: String,
    message: String,
}

fn issues<'a>(
    errors: impl Iterator<Item = (usize, &'a str, &'a str)>,
    warnings: impl Iterator<Item = (usize, &'a str, &'a str)>,
) -> Vec<IssueView> {
    let mut all: Vec<IssueView> = errors
        .map(|i| (i, "error"))
        .chain(warnings.map(|i| (i, "warning")))
        .map(|((row, field, message), severity)| IssueView {
            row,
            field: field.to_string(),
            message: message.to_string(),
            severity,
        })
        .collect();
    all.sort_by_key(|i| (i.row, i.severity == "error"));
    all
}

fn of_row(i: &RowIssue) -> (usize, &str, &str) {
    (i.row, &i.field, &i.message)
}

fn of_stored(i: &StoredIssue) -> (usize, &str, &str) {
    (i.row, &i.field, &i.message)
}

/// `/api/import/reports/<id>.csv` -> `<id>`
fn full_report_id(link: Option<&str>) -> Option<String> {
    link?.rsplit('/').next()?.strip_suffix(".csv").map(str::to_string)
}

impl ReportView {
    pub fn of(r: &ImportReport) -> ReportView {
        ReportView {
            kind: r.kind.as_str().to_string(),
            rows: r.rows,
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            errors_total: r.errors_total,
            warnings_total: r.warnings_total,
            issues: issues(r.errors.iter().map(of_row), r.warnings.iter().map(of_row)),
            full_report_id: full_report_id(r.full_report.as_deref()),
        }
    }

    /// A report as the journal keeps it (None: not one).
    pub fn from_json(json: &str) -> Option<ReportView> {
        let s: Stored = serde_json::from_str(json).ok()?;
        Some(ReportView {
            kind: s.kind,
            rows: s.rows,
            created: s.created,
            updated: s.updated,
            unchanged: s.unchanged,
            errors_total: s.errors_total,
            warnings_total: s.warnings_total,
            issues: issues(s.errors.iter().map(of_stored), s.warnings.iter().map(of_stored)),
            full_report_id: full_report_id(s.full_report.as_deref()),
        })
    }

    pub fn kind_words(&self) -> &'static str {
        match self.kind.as_str() {
            "deals" => "sales (deals)",
            _ => "service visits",
        }
    }

    /// Not every issue is listed here.
    pub fn more(&self) -> bool {
        self.issues.len() < self.errors_total + self.warnings_total
    }

    /// The listed issues as CSV, as the full report has them.
    pub fn issues_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["row", "field", "message", "severity"]);
        for i in &self.issues {
            let _ = w.write_record([
                i.row.to_string().as_str(),
                i.field.as_str(),
                &spreadsheet_safe(&i.message),
                i.severity,
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// One import in the history.
pub struct HistoryRow {
    pub id: i64,
    pub file_name: String,
    pub source: &'static str,
    pub status: &'static str,
    /// `ok`, `warn` or `bad`
    pub tone: &'static str,
    pub when: String,
    pub report: ReportView,
}

impl HistoryRow {
    pub fn of(e: &JournalEntry, tz: chrono_tz::Tz) -> HistoryRow {
        let report = e
            .report_json
            .as_deref()
            .and_then(ReportView::from_json)
            .unwrap_or_default();
        let (status, tone) = match e.status.as_str() {
            "done" if report.errors_total > 0 => ("rows refused", "warn"),
            "done" => ("imported", "ok"),
            "importing" => ("unfinished", "warn"),
            _ => ("failed", "bad"),
        };
        HistoryRow {
            id: e.id,
            file_name: e.file_name.clone(),
            source: match e.source.as_str() {
                "folder" => "watched folder",
                "cli" => "command line",
                _ => "uploaded",
            },
            status,
            tone,
            when: local_time(e.finished_at.unwrap_or(e.started_at), tz),
            report,
        }
    }
}

/// A file the watched folder filed, and what became of it.
pub struct FolderRow {
    pub path: String,
    pub size: String,
    pub when: String,
    pub outcome: String,
    pub tone: &'static str,
    /// its import in the history
    pub journal: Option<i64>,
}

impl FolderRow {
    pub fn of(f: &RecentFile, tz: chrono_tz::Tz) -> FolderRow {
        let failed = f.path.starts_with("failed/");
        let (outcome, tone) = match &f.journal {
            Some((_, status, json)) => {
                let r = json.as_deref().and_then(ReportView::from_json).unwrap_or_default();
                match status.as_str() {
                    "done" if r.errors_total > 0 => (
                        format!(
                            "imported {} of {} rows; {} refused",
                            r.rows - r.errors_total,
                            r.rows,
                            r.errors_total
                        ),
                        "warn",
                    ),
                    "done" => (format!("imported, {} rows", r.rows), "ok"),
                    "importing" => ("being imported".to_string(), "warn"),
                    _ => (
                        "could not be imported; the reason is in the .errors.csv beside it".to_string(),
                        "bad",
                    ),
                }
            }
            None if failed => (
                "set aside without importing; the reason is in the .errors.csv beside it".to_string(),
                "bad",
            ),
            None => ("filed".to_string(), "ok"),
        };
        FolderRow {
            path: f.path.clone(),
            size: size(f.size),
            when: local_time(f.filed_at, tz),
            outcome,
            tone,
            journal: f.journal.as_ref().map(|(id, _, _)| *id),
        }
    }
}

fn size(bytes: i64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_report_reads_back_with_its_issues_in_row_order() {
        let json = r#"{"kind":"deals","rows":5,"created":3,"updated":0,"unchanged":0,"errors_total":2,
            "warnings_total":1,"errors":[{"row":2,"field":"vin","message":"=bad"},{"row":4,"field":"row","message":"x"}],
            "warnings":[{"row":4,"field":"email","message":"w"}],"full_report":null}"#;
        let r = ReportView::from_json(json).unwrap();
        assert_eq!((r.rows, r.created, r.errors_total), (5, 3, 2));
        let order: Vec<_> = r.issues.iter().map(|i| (i.row, i.severity)).collect();
        assert_eq!(order, vec![(2, "error"), (4, "warning"), (4, "error")]);
        assert!(!r.more());
        assert_eq!(
            r.issues_csv().lines().nth(1),
            Some("2,vin,'=bad,error"),
            "a formula is not run by a spreadsheet"
        );
        assert_eq!(
            full_report_id(Some("/api/import/reports/17-ab.csv")),
            Some("17-ab".into())
        );
    }
}
