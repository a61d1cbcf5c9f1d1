//! The reading side of an import: the header, then every record of the file (see
//! [`super::records`]) mapped by `dms` into chunks of events, with each row's errors and
//! warnings in row order.

use super::records::{Broken, Item, Records};
use super::report::Noted;
use super::{ImportError, ImportOptions, CHUNK};
use crate::error::Error;
use crate::ingest::dms::{self, ColumnMap, DealRow, EventRow, ExportKind, RowIssue};
use chrono::Datelike;

/// The header row, its first cell without a byte order mark.
pub(super) fn read_headers<R: std::io::BufRead>(records: &mut Records<R>) -> Result<Vec<String>, ImportError> {
    let unreadable =
        |e: std::io::Error| ImportError::Store(Error::internal(format!("the file could not be read: {e}")));
    match records.next().map_err(unreadable)? {
        Item::Record => {}
        Item::End => return Err(ImportError::NoKnownHeaders(Vec::new())),
        Item::Broken(b) => return Err(ImportError::Csv(format!("the header row: {}", b.message(&[])))),
    }
    let fields = records
        .fields()
        .map_err(|i| ImportError::Csv(format!("header {} is not UTF-8 text: save the export as UTF-8", i + 1)))?;
    Ok(fields
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect())
}

/// A mapped row: a service visit or a deal, as the export's kind says.
pub(super) enum Mapped {
    Visit(EventRow),
    Deal(DealRow),
}

impl Mapped {
    pub(super) fn row(&self) -> usize {
        match self {
            Mapped::Visit(e) => e.row,
            Mapped::Deal(d) => d.row,
        }
    }
}

/// Mapped rows on their way from the reader to the store, with the rows' issues in row order.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) events: Vec<Mapped>,
    pub(super) noted: Vec<Noted>,
    /// rows read so far (data rows, blank and refused ones included): for `progress`
    pub(super) rows_read: usize,
}

/// Rows, as the file gives them, mapped into chunks.
pub(super) struct Mapper<'a> {
    map: &'a ColumnMap,
    opts: &'a ImportOptions<'a>,
    kind: ExportKind,
    /// the last row's number (blank rows count, as a spreadsheet counts them)
    row: usize,
    /// data rows, blank ones aside
    pub(super) rows: usize,
    chunk: Chunk,
}

impl<'a> Mapper<'a> {
    pub(super) fn new(map: &'a ColumnMap, opts: &'a ImportOptions<'a>, kind: ExportKind) -> Mapper<'a> {
        Mapper {
            map,
            opts,
            kind,
            row: 0,
            rows: 0,
            chunk: Chunk::default(),
        }
    }

    /// A row of the file; one with only blank cells is skipped (a CSV's blank line) when
    /// `skip_blank`.
    pub(super) fn row(&mut self, fields: &[&str], skip_blank: bool) {
        self.row += 1;
        if skip_blank && fields.iter().all(|f| f.trim().is_empty()) {
            return;
        }
        self.rows += 1;
        let fields: Vec<&str> = fields.iter().map(|f| f.trim()).collect();
        let (tz, latest) = (self.opts.tz, self.opts.now.year() + 1);
        let mapped = match self.kind {
            ExportKind::Service => {
                dms::map_row(self.map, self.row, &fields, tz, latest).map(|(e, w)| (Mapped::Visit(e), w))
            }
            ExportKind::Deals => {
                dms::map_deal_row(self.map, self.row, &fields, tz, latest).map(|(d, w)| (Mapped::Deal(d), w))
            }
        };
        match mapped {
            Ok((event, warnings)) => {
                self.chunk.noted.extend(warnings.into_iter().map(Noted::Warning));
                self.chunk.events.push(event);
            }
            Err(issue) => self.chunk.noted.push(Noted::Error(issue)),
        }
    }

    /// A row that cannot be read at all.
    fn refused(&mut self, field: &str, message: String) {
        self.row += 1;
        self.rows += 1;
        let issue = RowIssue {
            row: self.row,
            field: field.into(),
            message,
        };
        self.chunk.noted.push(Noted::Error(issue));
    }

    fn broken(&mut self, broken: &Broken) {
        let field = broken
            .quoted_field
            .and_then(|i| self.map.fields.iter().find(|(at, _)| *at == i))
            .map_or("row", |(_, f)| f.as_str());
        self.refused(field, broken.message(&self.map.headers));
    }

    fn not_utf8(&mut self, field: usize) {
        let column = self
            .map
            .headers
            .get(field)
            .map_or(format!("column {}", field + 1), |h| format!("column `{h}`"));
        let message = format!("{column} is not UTF-8 text; save the export as UTF-8 (CSV UTF-8) and import it again");
        self.refused("row", message);
    }

    /// The chunk, if it holds enough to hand over.
    pub(super) fn full_chunk(&mut self) -> Option<Chunk> {
        (self.chunk.events.len() + self.chunk.noted.len() >= CHUNK).then(|| self.take())
    }

    pub(super) fn take(&mut self) -> Chunk {
        let mut chunk = std::mem::take(&mut self.chunk);
        chunk.rows_read = self.row;
        self.chunk.events.reserve(CHUNK);
        chunk
    }
}

/// The reading thread: every record of the CSV mapped, in chunks. Returns the file's data rows,
/// and why it could not be read to its end, if it could not.
pub(super) fn read_rows<R: std::io::BufRead>(
    mut records: Records<R>,
    mut mapper: Mapper,
    chunks: std::sync::mpsc::SyncSender<Chunk>,
) -> (usize, Option<std::io::Error>) {
    let mut unreadable = None;
    loop {
        match records.next() {
            Ok(Item::End) => break,
            Ok(Item::Broken(b)) => mapper.broken(&b),
            Ok(Item::Record) => match records.fields() {
                Ok(fields) => mapper.row(&fields, true),
                Err(field) => mapper.not_utf8(field),
            },
            Err(e) => {
                unreadable = Some(e);
                break;
            }
        }
        if let Some(chunk) = mapper.full_chunk() {
            if chunks.send(chunk).is_err() {
                return (mapper.rows, None); // the store failed; its error is the import's
            }
        }
    }
    // the last chunk, possibly empty: it carries the final row count
    let _ = chunks.send(mapper.take());
    (mapper.rows, unreadable)
}

/// An event's values in the order of `headers`: a list joined with `;`, a number as written.
pub(super) fn json_values(headers: &[String], e: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    headers
        .iter()
        .map(|h| match e.get(h) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .collect::<Vec<_>>()
                .join(";"),
            Some(other) => other.to_string(),
        })
        .collect()
}
